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
	// KeyRoles holds each tensor's parameter role (weight, bias, gain,
	// adapter, arch_logit) as a JSON object from tensor name to role.
	KeyRoles = "goglove.roles"
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

// dtypeF32 is the only dtype of the package.
const dtypeF32 = "F32"

// Tensor is one named float32 tensor: Data holds the values in row-major
// order, and the product of Shape (1 for an empty Shape, a scalar) equals
// len(Data).
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
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
