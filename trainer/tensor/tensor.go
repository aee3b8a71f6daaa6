package tensor

import (
	"fmt"
	"strconv"
	"strings"
)

// Tensor is a dense float32 array of a given shape, stored row-major: for
// a matrix of shape [r, c], element (i, j) is Data[i*c+j]; len(Data) is
// the product of Shape.
//
// The zero Tensor is an empty tensor of rank 0 (a scalar with no data); use
// New or FromData to build one.
type Tensor struct {
	Shape []int
	Data  []float32
}

// New returns a zero-filled tensor of the given shape.
func New(shape ...int) *Tensor {
	n := Size(shape)
	return &Tensor{Shape: append([]int(nil), shape...), Data: make([]float32, n)}
}

// FromData wraps data (not copied) as a tensor of the given shape; it
// panics if len(data) is not the product of the shape.
func FromData(data []float32, shape ...int) *Tensor {
	n := Size(shape)
	if len(data) != n {
		panic(fmt.Sprintf("tensor: FromData: %d values for shape %s (%d)", len(data), ShapeString(shape), n))
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: data}
}

// Size returns the number of elements of a tensor of the given shape; it
// panics on a negative dimension.
func Size(shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			panic("tensor: negative dimension in shape " + ShapeString(shape))
		}
		n *= d
	}
	return n
}

// ShapeString formats a shape as [2 3].
func ShapeString(shape []int) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, d := range shape {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(d))
	}
	b.WriteByte(']')
	return b.String()
}

// Len returns the number of elements (the product of the shape).
func (t *Tensor) Len() int { return Size(t.Shape) }

// Dims returns the rows and columns of a matrix (a rank-2 tensor); it
// panics on any other rank.
func (t *Tensor) Dims() (rows, cols int) {
	if len(t.Shape) != 2 {
		panic("tensor: Dims of a tensor of shape " + ShapeString(t.Shape) + ", want a matrix")
	}
	return t.Shape[0], t.Shape[1]
}

// At returns the element at the given index (one coordinate per dimension).
func (t *Tensor) At(idx ...int) float32 { return t.Data[t.offset(idx)] }

// Set sets the element at the given index.
func (t *Tensor) Set(v float32, idx ...int) { t.Data[t.offset(idx)] = v }

func (t *Tensor) offset(idx []int) int {
	if len(idx) != len(t.Shape) {
		panic(fmt.Sprintf("tensor: index %v for shape %s", idx, ShapeString(t.Shape)))
	}
	off := 0
	for i, x := range idx {
		if x < 0 || x >= t.Shape[i] {
			panic(fmt.Sprintf("tensor: index %v out of range for shape %s", idx, ShapeString(t.Shape)))
		}
		off = off*t.Shape[i] + x
	}
	return off
}

// Zero sets every element to 0.
func (t *Tensor) Zero() { clear(t.Data[:t.Len()]) }

// Clone returns a deep copy of t.
func (t *Tensor) Clone() *Tensor {
	return &Tensor{Shape: append([]int(nil), t.Shape...), Data: append([]float32(nil), t.Data[:t.Len()]...)}
}

// SameShape reports whether a and b have equal shapes.
func SameShape(a, b *Tensor) bool {
	if len(a.Shape) != len(b.Shape) {
		return false
	}
	for i, d := range a.Shape {
		if b.Shape[i] != d {
			return false
		}
	}
	return true
}

// MustSameShape panics, naming op, if a and b have different shapes.
func MustSameShape(op string, a, b *Tensor) {
	if !SameShape(a, b) {
		panic(fmt.Sprintf("tensor: %s: shape mismatch %s vs %s", op, ShapeString(a.Shape), ShapeString(b.Shape)))
	}
}

// MustCols panics, naming op, unless t is a matrix with cols columns.
func MustCols(op string, t *Tensor, cols int) {
	if len(t.Shape) != 2 || t.Shape[1] != cols {
		panic(fmt.Sprintf("tensor: %s: got shape %s, want [rows %d]", op, ShapeString(t.Shape), cols))
	}
}

// Buffer is a matrix whose row count changes from call to call (the batch
// size) without reallocating: Rows returns a view of the first rows rows,
// growing the backing array only when rows exceeds every earlier request.
// The views share memory and are valid until the next call to Rows.
// The zero Buffer is ready to use once Cols is set.
type Buffer struct {
	Cols int
	view Tensor
	data []float32
}

// Rows returns the buffer as a rows×Cols matrix (contents unspecified).
// It allocates only when rows is larger than at any earlier call.
func (b *Buffer) Rows(rows int) *Tensor {
	n := rows * b.Cols
	if n > cap(b.data) {
		b.data = make([]float32, n)
	}
	if b.view.Shape == nil {
		b.view.Shape = make([]int, 2)
	}
	b.view.Shape[0], b.view.Shape[1] = rows, b.Cols
	b.view.Data = b.data[:n]
	return &b.view
}
