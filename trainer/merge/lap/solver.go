package lap

import (
	"fmt"
	"math"
)

// MaxMagnitude is the largest absolute value a cost may have. The dual
// potentials the solver keeps stay within a small multiple of n times the
// largest magnitude, so with this bound no sum or difference it forms can
// overflow for any n that fits in memory.
const MaxMagnitude = 1e300

// Solver solves assignment problems, keeping its buffers from one call to
// the next: after the first call of a size, calls of that size (or a
// smaller one) allocate nothing. The zero Solver is ready to use. It is
// not safe for concurrent use.
type Solver struct {
	n    int
	c    []float64 // the costs being minimized: the caller's, or neg
	neg  []float64 // the negated weights of Maximize
	u, v []float64 // the dual potentials of rows and columns, for Duals
	cs   []column  // the columns' potentials, distances and rows
	x    []int32   // the column assigned to each row, or -1
	cols []int32   // a permutation of the columns, partitioned by the search
	free []int32   // the rows not yet assigned
	// lowFree is a column before which every column is assigned.
	lowFree int
}

// Minimize assigns each row i of the n×n row-major cost matrix a column
// perm[i], a permutation of 0..n-1 minimizing Σ cost[i*n+perm[i]], writes
// it to perm (of length n) and returns that sum. cost is not modified.
func (s *Solver) Minimize(n int, cost []float64, perm []int) (total float64, err error) {
	if err := check(n, cost, perm, "cost"); err != nil {
		return 0, err
	}
	s.grow(n)
	s.c = cost
	s.solve(perm)
	for i, j := range perm {
		total += cost[i*n+j]
	}
	return total, nil
}

// Maximize assigns each row i of the n×n row-major weight matrix a column
// perm[i], a permutation of 0..n-1 maximizing Σ weight[i*n+perm[i]], writes
// it to perm (of length n) and returns that sum. It solves Minimize of the
// negated matrix (kept in the Solver); weight is not modified.
func (s *Solver) Maximize(n int, weight []float64, perm []int) (total float64, err error) {
	if err := check(n, weight, perm, "weight"); err != nil {
		return 0, err
	}
	s.grow(n)
	if cap(s.neg) < n*n {
		s.neg = make([]float64, n*n)
	}
	neg := s.neg[:n*n]
	for k, w := range weight {
		neg[k] = -w
	}
	s.c = neg
	s.solve(perm)
	for i := range n {
		s.u[i], s.v[i] = -s.u[i], -s.v[i]
	}
	for i, j := range perm {
		total += weight[i*n+j]
	}
	return total, nil
}

// Duals returns the dual potentials of the last solved problem, one a row
// and one a column. After Minimize, u[i] + v[j] ≤ cost[i*n+j] for every
// i, j, with equality where j = perm[i], up to rounding; after Maximize,
// u[i] + v[j] ≥ weight[i*n+j], with equality on the assignment. Such
// potentials prove the assignment optimal: Σu + Σv bounds every
// assignment's total and equals this one's. The slices belong to the
// Solver and are overwritten by its next call.
func (s *Solver) Duals() (u, v []float64) {
	return s.u[:s.n], s.v[:s.n]
}

// check validates the shapes and the values of a problem; what names the
// matrix in messages.
func check(n int, m []float64, perm []int, what string) error {
	if n < 0 {
		return fmt.Errorf("%w: n = %d, want n ≥ 0", ErrShape, n)
	}
	if len(m) != n*n {
		return fmt.Errorf("%w: len(%s) = %d, want n*n = %d for n = %d", ErrShape, what, len(m), n*n, n)
	}
	if len(perm) != n {
		return fmt.Errorf("%w: len(perm) = %d, want n = %d", ErrShape, len(perm), n)
	}
	for k, c := range m {
		if !(math.Abs(c) <= MaxMagnitude) {
			return fmt.Errorf("%w: %s[%d] (row %d, column %d) is %v, want a finite value of magnitude at most %g",
				ErrValue, what, k, k/n, k%n, c, float64(MaxMagnitude))
		}
	}
	return nil
}

// grow sizes the buffers for problems of size n.
func (s *Solver) grow(n int) {
	s.n = n
	if cap(s.v) >= n {
		return
	}
	s.u = make([]float64, n)
	s.v = make([]float64, n)
	s.cs = make([]column, n)
	s.x = make([]int32, n)
	s.cols = make([]int32, n)
	s.free = make([]int32, n)
}
