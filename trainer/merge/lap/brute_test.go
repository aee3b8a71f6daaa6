package lap

import "math"

// bruteMin returns the least total of any permutation of the n×n cost
// matrix, trying all n! of them (Heap's algorithm).
func bruteMin(n int, cost []float64) float64 {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	sum := func() float64 {
		t := 0.0
		for i, j := range p {
			t += cost[i*n+j]
		}
		return t
	}
	best := sum()
	c := make([]int, n)
	for i := 1; i < n; {
		if c[i] < i {
			if i%2 == 0 {
				p[0], p[i] = p[i], p[0]
			} else {
				p[c[i]], p[i] = p[i], p[c[i]]
			}
			best = math.Min(best, sum())
			c[i]++
			i = 1
		} else {
			c[i] = 0
			i++
		}
	}
	return best
}

// isPerm reports whether p is a permutation of 0..n-1.
func isPerm(n int, p []int) bool {
	if len(p) != n {
		return false
	}
	seen := make([]bool, n)
	for _, j := range p {
		if j < 0 || j >= n || seen[j] {
			return false
		}
		seen[j] = true
	}
	return true
}
