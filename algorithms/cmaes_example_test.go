package algorithms_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/algorithms/problems"
)

// CMA-ES on Branin: within 250 trials it finds one of the three minima
// to six digits.
func ExampleCMAES() {
	p := problems.Branin()
	best := minimize(&algorithms.CMAES{}, p, 250) // the defaults, seed 0
	fmt.Printf("best %.6f, optimum %.6f\n", best, p.Optimum)
	// Output:
	// best 0.397887, optimum 0.397887
}
