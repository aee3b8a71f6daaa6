package lap

import (
	"fmt"
	"math"
)

// MaxMagnitude is the largest absolute value a cost may have. The solver
// forms sums and differences of costs and dual potentials, which grow
// past the costs' magnitude; the bound leaves them a factor of about 10^8
// below float64's largest value (about 1.8e308).
const MaxMagnitude = 1e300

// Solver solves assignment problems, keeping its buffers from one call to
// the next: after the first call of a size, calls of that size (or a
// smaller one) allocate nothing. The zero Solver is ready to use. It is
// not safe for concurrent use.
type Solver struct {
	n    int
	c    []float64 // the caller's matrix, during a call
	sg   float64   // the sign: the costs solved are sg·c, -1 for Maximize
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
	return s.run(n, cost, perm, 1, "cost")
}

// Maximize assigns each row i of the n×n row-major weight matrix a column
// perm[i], a permutation of 0..n-1 maximizing Σ weight[i*n+perm[i]], writes
// it to perm (of length n) and returns that sum: Minimize of the negated
// matrix, negated as it is read. weight is not modified.
func (s *Solver) Maximize(n int, weight []float64, perm []int) (total float64, err error) {
	return s.run(n, weight, perm, -1, "weight")
}

// run solves the problem of the costs sg·m; what names m in messages. The
// values are checked by the first pass of the solver over the matrix, and
// perm is written only once they all are.
func (s *Solver) run(n int, m []float64, perm []int, sg float64, what string) (total float64, err error) {
	if err := checkShape(n, m, perm, what); err != nil {
		return 0, err
	}
	s.grow(n)
	s.c, s.sg = m, sg
	k := s.solve(perm)
	s.c = nil // the Solver keeps no reference to the caller's matrix
	if k >= 0 {
		return 0, fmt.Errorf("%w: %s[%d] (row %d, column %d) is %v, want a finite value of magnitude at most %g",
			ErrValue, what, k, k/n, k%n, m[k], float64(MaxMagnitude))
	}
	if sg < 0 {
		u, v := s.u[:n], s.v[:n]
		for i := range n {
			u[i], v[i] = -u[i], -v[i]
		}
	}
	for i, j := range perm {
		total += m[i*n+j]
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

// checkShape validates the shapes of a problem; what names the matrix in
// messages.
func checkShape(n int, m []float64, perm []int, what string) error {
	if n < 0 {
		return fmt.Errorf("%w: n = %d, want n ≥ 0", ErrShape, n)
	}
	if len(m) != n*n {
		return fmt.Errorf("%w: len(%s) = %d, want n*n = %d for n = %d", ErrShape, what, len(m), n*n, n)
	}
	if len(perm) != n {
		return fmt.Errorf("%w: len(perm) = %d, want n = %d", ErrShape, len(perm), n)
	}
	return nil
}

// maxBits is the bit pattern of MaxMagnitude: a float64's magnitude is at
// most MaxMagnitude exactly when its bits without the sign are at most
// maxBits, NaNs and infinities being above.
var maxBits = math.Float64bits(MaxMagnitude)

// firstBad returns the index of the first value of m that is NaN,
// infinite or of magnitude above MaxMagnitude, or -1.
func firstBad(m []float64) int {
	for k, c := range m {
		if math.Float64bits(c)&noSign > maxBits {
			return k
		}
	}
	return -1
}

// noSign masks the sign bit of a float64's bits.
const noSign = 1<<63 - 1

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
