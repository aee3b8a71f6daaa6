package checkpoint

import (
	"fmt"
	"math"
)

// The metadata keys goglove writes; see the package documentation.
const (
	// KeyProgram holds the program's canonical YAML.
	KeyProgram = "goglove.program"
	// KeyMetrics holds the metrics as a JSON object.
	KeyMetrics = "goglove.metrics"
	// KeyVersion holds the version of goglove that wrote the file.
	KeyVersion = "goglove.version"
	// KeyChecksum holds the lower-case hex SHA-256 of the data section.
	// Write sets it and Read verifies it and removes it from the
	// Metadata it returns; callers never set it.
	KeyChecksum = "goglove.data_sha256"
)

// MaxHeaderSize is the largest JSON header Read accepts, in bytes (the
// limit of the reference implementation).
const MaxHeaderSize = 100_000_000

// metadataKey is the header key of the metadata object.
const metadataKey = "__metadata__"

// Dtype is a tensor's element type, as the safetensors header names it.
type Dtype string

// The dtypes of the package. The zero Dtype stands for F32.
const (
	DtypeF32 Dtype = "F32" // IEEE 754 float32, little-endian, in Data
	DtypeU8  Dtype = "U8"  // unsigned bytes, in Bytes
	DtypeI8  Dtype = "I8"  // signed bytes (two's complement), in Bytes
)

// size returns the bytes an element of d takes, 0 for a dtype the package
// does not know.
func (d Dtype) size() uint64 {
	switch d {
	case "", DtypeF32:
		return 4
	case DtypeU8, DtypeI8:
		return 1
	}
	return 0
}

// name returns the header's name of d, F32 for the zero Dtype.
func (d Dtype) name() string {
	if d == "" {
		return string(DtypeF32)
	}
	return string(d)
}

// Tensor is one named tensor: Data (F32) or Bytes (U8, I8) holds the
// values in row-major order, and the product of Shape (1 for an empty
// Shape, a scalar) equals their length; the other is empty.
type Tensor struct {
	Name  string
	Shape []int
	// Dtype is the element type: F32 (the zero value, which Read gives
	// for F32 tensors, so that a written checkpoint reads back equal),
	// U8 or I8.
	Dtype Dtype
	// Data holds an F32 tensor's values.
	Data []float32
	// Bytes holds a U8 or I8 tensor's values, an I8 value as the byte of
	// its two's complement (byte(int8(v))).
	Bytes []byte
}

// Len returns the number of values the tensor holds: len(Bytes) for U8
// and I8, else len(Data).
func (t *Tensor) Len() int {
	if t.Dtype.size() == 1 {
		return len(t.Bytes)
	}
	return len(t.Data)
}

// Checkpoint is a saved model: its tensors, in file order, and string
// metadata (see the Key constants). Metadata may be nil.
type Checkpoint struct {
	Tensors  []Tensor
	Metadata map[string]string
}

// maxElements bounds a tensor's element count so that its byte length
// fits an int64 with room to spare.
const maxElements = math.MaxInt64 / 8

// elements returns the product of shape, or an error for a negative
// dimension or a product beyond maxElements.
func elements(shape []int) (int64, error) {
	n := int64(1)
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("negative dimension %d in shape %v", d, shape)
		}
		if d != 0 && n > maxElements/int64(d) {
			return 0, fmt.Errorf("shape %v has too many elements", shape)
		}
		n *= int64(d)
	}
	return n, nil
}
