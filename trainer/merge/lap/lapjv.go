package lap

import "math"

// solve assigns the rows of the n×n matrix s.c and writes the assignment
// to perm. The phases keep one invariant: every assigned row i is assigned
// a column j of least reduced cost s.c[i*n+j] - v[j] in its row, which
// makes u[i] = s.c[i*n+x[i]] - v[x[i]] and v dual feasible; the last phase
// assigns the remaining rows one by one along shortest augmenting paths.
func (s *Solver) solve(perm []int) {
	n := s.n
	if n == 0 {
		return
	}
	nfree := s.reduceColumns()
	// Augmenting row reduction: twice, as Jonker and Volgenant do; each
	// pass is bounded, so rounding cannot make it cycle.
	for pass := 0; pass < 2 && nfree > 0; pass++ {
		nfree = s.reduceRows(nfree)
	}
	for _, f := range s.free[:nfree] {
		s.augment(f)
	}
	c, v, u, x := s.c, s.v[:n], s.u[:n], s.x[:n]
	for i, j := range x {
		perm[i] = int(j)
		u[i] = c[i*n+int(j)] - v[j]
	}
}

// reduceColumns sets each v[j] to the least cost of column j, assigns each
// column to the row of its least cost when that row has none yet, and
// lowers v of a column whose row was the least of that column only, by the
// row's second least reduced cost (reduction transfer). It lists the rows
// left free in s.free and returns their number.
func (s *Solver) reduceColumns() int {
	n := s.n
	c, v, x, y := s.c, s.v[:n], s.x[:n], s.y[:n]
	arg := s.pred[:n] // the row of each column's least cost
	copy(v, c[:n])
	for j := range arg {
		arg[j] = 0
	}
	// Row-major scans: row i lowers the minima it beats.
	for i := 1; i < n; i++ {
		row := c[i*n : i*n+n]
		for j, cij := range row {
			if cij < v[j] {
				v[j] = cij
				arg[j] = int32(i)
			}
		}
	}
	matches := s.cols[:n] // how many columns have their least cost in each row
	for i := range x {
		x[i] = -1
		matches[i] = 0
	}
	for j, i := range arg {
		matches[i]++
		if x[i] < 0 {
			x[i] = int32(j)
			y[j] = i
		} else {
			y[j] = -1
		}
	}
	nfree := 0
	for i := range x {
		switch matches[i] {
		case 0:
			s.free[nfree] = int32(i)
			nfree++
		case 1:
			// The row's reduced costs are ≥ 0 and 0 at x[i]: move the
			// second least into v[x[i]], so u[i] becomes it.
			j1 := int(x[i])
			row := c[i*n : i*n+n]
			mu := math.Inf(1)
			for j, cij := range row {
				if h := cij - v[j]; h < mu && j != j1 {
					mu = h
				}
			}
			v[j1] -= mu
		}
	}
	return nfree
}

// reduceRows runs one pass of augmenting row reduction over the nfree
// rows of s.free and returns the number of rows it left free, listed in
// s.free. A free row takes the column of its least reduced cost u1,
// lowering that column's v by the gap to its second least u2 so that the
// row still sees it as least; the row that had the column is freed and,
// when the gap was positive, tried again at once. When u1 = u2 and the
// least column is taken, the row takes the second instead.
func (s *Solver) reduceRows(nfree int) int {
	n := s.n
	c, v, x, y, free := s.c, s.v[:n], s.x[:n], s.y[:n], s.free[:n]
	// budget bounds the immediate retries: rounding can make gaps tiny,
	// and each retry lowers a v by a gap only.
	budget := 2 * n
	k, out := 0, 0
	for k < nfree {
		i := int(free[k])
		k++
		row := c[i*n : i*n+n]
		u1, u2 := row[0]-v[0], math.Inf(1)
		j1, j2 := 0, -1
		for j := 1; j < n; j++ {
			h := row[j] - v[j]
			if h < u2 {
				if h >= u1 {
					u2, j2 = h, j
				} else {
					u2, j2 = u1, j1
					u1, j1 = h, j
				}
			}
		}
		i0 := y[j1]
		if u1 < u2 {
			v[j1] -= u2 - u1
		} else if i0 >= 0 {
			j1 = j2
			i0 = y[j2]
		}
		x[i] = int32(j1)
		y[j1] = int32(i)
		if i0 >= 0 {
			x[i0] = -1
			if u1 < u2 && budget > 0 {
				budget--
				k--
				free[k] = i0
			} else {
				free[out] = i0
				out++
			}
		}
	}
	return out
}

// augment assigns the free row f along a shortest augmenting path in the
// reduced costs (Dijkstra's algorithm on the dense bipartite graph) and
// updates v so that the invariant holds again.
//
// s.cols is a permutation of the columns in three parts: cols[:lo] the
// columns scanned, at distance ≤ mu from f; cols[lo:up] the columns at
// distance mu, not yet scanned; cols[up:] the others, whose d is only an
// upper bound.
func (s *Solver) augment(f int32) {
	n := s.n
	c, v, d, x, y := s.c, s.v[:n], s.d[:n], s.x[:n], s.y[:n]
	cols, pred := s.cols[:n], s.pred[:n]
	row := c[int(f)*n : int(f)*n+n]
	for j := range cols {
		cols[j] = int32(j)
		d[j] = row[j] - v[j]
		pred[j] = f
	}
	lo, up, last := 0, 0, 0
	mu := 0.0
	end := int32(-1)
search:
	for {
		if lo == up {
			// Every column at distance mu is scanned: gather those at
			// the next least distance, and stop at a free one.
			last = lo
			mu = d[cols[up]]
			for k := up; k < n; k++ {
				j := cols[k]
				h := d[j]
				if h <= mu {
					if h < mu {
						up = lo
						mu = h
					}
					cols[k] = cols[up]
					cols[up] = j
					up++
				}
			}
			for _, j := range cols[lo:up] {
				if y[j] < 0 {
					end = j
					break search
				}
			}
		}
		// Scan the row assigned to the next column at distance mu.
		j1 := cols[lo]
		lo++
		i := y[j1]
		r := c[int(i)*n : int(i)*n+n]
		u1 := r[j1] - v[j1] - mu
		for k := up; k < n; k++ {
			j := cols[k]
			h := r[j] - v[j] - u1
			if h < d[j] {
				d[j] = h
				pred[j] = i
				if h == mu {
					if y[j] < 0 {
						end = j
						break search
					}
					cols[k] = cols[up]
					cols[up] = j
					up++
				}
			}
		}
	}
	// The scanned columns' potentials fall by their distance's shortfall
	// from mu, which keeps every reduced cost ≥ 0 and the path tight.
	for _, j := range cols[:last] {
		v[j] += d[j] - mu
	}
	// Flip the path from end back to f.
	for j := end; ; {
		i := pred[j]
		y[j] = i
		j, x[i] = x[i], j
		if i == f {
			break
		}
	}
}
