package algorithms

import (
	"testing"

	"github.com/c2602f9e/goglove/algorithms/problems"
)

// BenchmarkCMAES measures CMA-ES's overhead per trial, averaged over a
// search of 200 trials on Rosenbrock10 (ten Float decisions).
func BenchmarkCMAES(b *testing.B) {
	bbBenchTrials(b, func() Algorithm { return &CMAES{Seed: 1} }, problems.Rosenbrock10(), 200)
}
