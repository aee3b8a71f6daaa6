package lap

// Minimize returns the assignment of rows to columns of the n×n cost
// matrix (row-major, len(cost) == n*n) minimizing the sum of
// cost[i*n+perm[i]], and that sum. perm is a permutation of 0..n-1. It
// returns an error for a bad shape or a NaN/±Inf cost.
func Minimize(n int, cost []float64) (perm []int, total float64, err error) {
	var s Solver
	if n >= 0 {
		perm = make([]int, n)
	}
	total, err = s.Minimize(n, cost, perm)
	if err != nil {
		return nil, 0, err
	}
	return perm, total, nil
}

// Maximize is Minimize of the negated matrix (weight matching maximizes
// Σ similarity): it returns the permutation maximizing the sum of
// weight[i*n+perm[i]], and that sum.
func Maximize(n int, weight []float64) (perm []int, total float64, err error) {
	var s Solver
	if n >= 0 {
		perm = make([]int, n)
	}
	total, err = s.Maximize(n, weight, perm)
	if err != nil {
		return nil, 0, err
	}
	return perm, total, nil
}
