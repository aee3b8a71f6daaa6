package nn_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// A ternary layer 3→2 with one scale per output unit: the input row
// quantizes to q = (127, −127, 64) with s = 2, so y = q·codes·(s/127)·scale
// + b.
func ExampleIntDense() {
	codes := []int8{
		1, 0,
		-1, 1,
		0, -1,
	}
	d, err := nn.NewIntDense(3, 2, nn.IntDenseTernary, codes, []float32{0.5, 2}, []float32{0, 1}, false)
	if err != nil {
		panic(err)
	}
	y := d.Forward(tensor.FromData([]float32{2, -2, 1}, 1, 3), false)
	fmt.Printf("%.4f %.4f\n", y.Data[0], y.Data[1])
	// Output: 2.0000 -5.0157
}
