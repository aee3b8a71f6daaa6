package lap

// Minimize returns the assignment of rows to columns of the n×n cost
// matrix (row-major, len(cost) == n*n) minimizing the sum of
// cost[i*n+perm[i]], and that sum. perm is a permutation of 0..n-1. It
// returns an error for a bad shape or a NaN/±Inf cost.
func Minimize(n int, cost []float64) (perm []int, total float64, err error) {
	return solveOnce(n, cost, (*Solver).Minimize)
}

// Maximize is Minimize of the negated matrix (weight matching maximizes
// Σ similarity): it returns the permutation maximizing the sum of
// weight[i*n+perm[i]], and that sum.
func Maximize(n int, weight []float64) (perm []int, total float64, err error) {
	return solveOnce(n, weight, (*Solver).Maximize)
}

// solveOnce runs one call of a fresh Solver, into a new perm.
func solveOnce(n int, m []float64, solve func(*Solver, int, []float64, []int) (float64, error)) ([]int, float64, error) {
	var perm []int
	if n >= 0 {
		perm = make([]int, n)
	}
	total, err := solve(new(Solver), n, m, perm)
	if err != nil {
		return nil, 0, err
	}
	return perm, total, nil
}
