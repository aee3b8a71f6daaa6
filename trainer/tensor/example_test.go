package tensor_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

func Example() {
	x := tensor.FromData([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	rows, cols := x.Dims()
	fmt.Println(rows, cols, x.At(1, 0))

	// A Buffer is reused from batch to batch: a smaller batch is a view
	// of the same memory.
	buf := tensor.Buffer{Cols: 3}
	fmt.Println(tensor.ShapeString(buf.Rows(128).Shape), tensor.ShapeString(buf.Rows(16).Shape))
	// Output:
	// 2 3 4
	// [128 3] [16 3]
}
