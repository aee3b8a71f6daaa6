package lap_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/merge/lap"
)

func ExampleMinimize() {
	// Three workers (rows), three jobs (columns), the cost of each.
	cost := []float64{
		4, 1, 3,
		2, 0, 5,
		3, 2, 2,
	}
	perm, total, err := lap.Minimize(3, cost)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(perm, total)
	// Output: [1 0 2] 5
}

func ExampleMaximize() {
	// Similarities of the hidden units of model A (rows) and model B
	// (columns): unit i of A matches unit perm[i] of B.
	sim := []float64{
		0.1, 0.9, 0.0,
		0.8, 0.2, 0.1,
		0.0, 0.3, 0.7,
	}
	perm, total, _ := lap.Maximize(3, sim)
	fmt.Printf("%v %.1f\n", perm, total)
	// Output: [1 0 2] 2.4
}

func ExampleSolver() {
	// A Solver reuses its buffers: after the first call of a size, the
	// next ones allocate nothing.
	var s lap.Solver
	perm := make([]int, 2)
	for _, cost := range [][]float64{{1, 2, 2, 1}, {2, 1, 1, 2}} {
		total, err := s.Minimize(2, cost, perm)
		if err != nil {
			fmt.Println(err)
			return
		}
		u, v := s.Duals()
		fmt.Println(perm, total, u[0]+u[1]+v[0]+v[1])
	}
	// Output:
	// [0 1] 2 2
	// [1 0] 2 2
}

func ExampleMinimize_error() {
	_, _, err := lap.Minimize(2, []float64{1, 2, 3})
	fmt.Println(err)
	// Output: lap: bad shape: len(cost) = 3, want n*n = 4 for n = 2
}
