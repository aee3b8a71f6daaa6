package spectral_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/spectral"
)

// A fine-tune that adds a strong new direction to a matrix shows it as an
// intruder dimension.
func ExampleFindIntruders() {
	// W0 = diag(3, 2, 1); the update adds 5 along a direction (the sum
	// of the first two axes, scaled) that W0 does not have.
	w0 := []float32{
		3, 0, 0,
		0, 2, 0,
		0, 0, 1,
	}
	tuned := append([]float32(nil), w0...)
	tuned[2] += 5 * 0.7071 // row 0, column 2
	tuned[5] += 5 * 0.7071 // row 1, column 2
	base, _ := spectral.Decompose(3, 3, w0)
	ft, _ := spectral.Decompose(3, 3, tuned)
	in, _ := spectral.FindIntruders(base, ft, 1, 0.8)
	fmt.Printf("top singular value %.2f, intruders %d at %v, max |cos| of the top vector %.2f\n",
		ft.Values[0], in.Count, in.Indices, in.MaxCos[0])
	// Output: top singular value 5.70, intruders 1 at [0], max |cos| of the top vector 0.76
}
