// Package lap solves the linear assignment problem exactly.
//
// Given an n×n matrix of costs, Minimize finds the permutation perm of
// 0..n-1 that minimizes Σ cost[i*n+perm[i]] (row i is assigned column
// perm[i]); Maximize finds the one that maximizes Σ weight[i*n+perm[i]], as
// weight matching of hidden units does. Matrices are row-major float64
// slices of length n*n. Only square problems are solved.
//
// The method is a shortest augmenting path algorithm in the style of
// Jonker and Volgenant (1987): a column reduction and two passes of
// augmenting row reduction assign most rows cheaply, then each row left
// free is assigned by a Dijkstra search for a shortest augmenting path in
// the reduced costs, O(n²) each, O(n³) in all. The solver keeps dual
// potentials u (one a row) and v (one a column) with u[i] + v[j] ≤
// cost[i*n+j] for every i, j and equality on the assignment, which
// certifies that the assignment is optimal; Solver.Duals returns them.
//
// A Solver keeps its buffers between calls, so that solving many problems
// of one size allocates nothing after the first; the package-level
// Minimize and Maximize allocate a Solver per call. A Solver is not safe
// for concurrent use.
//
// Costs must be finite and of magnitude at most MaxMagnitude, so that the
// sums and differences the algorithm forms cannot overflow; anything else
// is an error wrapping ErrValue, and a matrix whose length is not n*n (or
// a perm whose length is not n) is an error wrapping ErrShape.
package lap
