package lap

import "math"

// column is what the solver keeps of a column, together so that a scan
// touches one cache line a column.
type column struct {
	v    float64 // the dual potential
	d    float64 // the distance from the free row of the current search
	pred int32   // the row before the column on its shortest path
	row  int32   // the row assigned to the column, or -1
}

// budgetQuarters bounds the immediate retries of a pass of augmenting row
// reduction to budgetQuarters·n/4: each retry lowers a potential by a gap
// that rounding can make tiny, so an unbounded pass could run for very
// long; past the budget, leaving the row to the augmenting path searches
// costs less (measured at n = 128 to 1024 on random matrices).
const budgetQuarters = 2

// solve assigns the rows of the n×n matrix of costs sg·s.c and writes
// the assignment to perm and the duals to s.u and s.v, or returns the
// index of the first value of s.c that is not a valid cost (else -1),
// leaving perm alone. The phases keep one invariant: every assigned row i
// is assigned a column j of least reduced cost c[i*n+j] - v[j] in its
// row, which makes u[i] = c[i*n+x[i]] - v[x[i]] and v dual feasible; the
// last phase assigns the remaining rows one by one along shortest
// augmenting paths.
func (s *Solver) solve(perm []int) (bad int) {
	n := s.n
	if n == 0 {
		return -1
	}
	nfree, bad := s.reduceColumns()
	if bad >= 0 {
		return bad
	}
	s.lowFree = 0
	// Augmenting row reduction: twice, as Jonker and Volgenant do.
	for pass := 0; pass < 2 && nfree > 0; pass++ {
		nfree = s.reduceRows(nfree)
	}
	for _, f := range s.free[:nfree] {
		s.augment(f)
	}
	c, sg, cs, u, v, x := s.c, s.sg, s.cs[:n], s.u[:n], s.v[:n], s.x[:n]
	for j := range cs {
		v[j] = cs[j].v
	}
	for i, j := range x {
		perm[i] = int(j)
		u[i] = sg*c[i*n+int(j)] - v[j]
	}
	return -1
}

// reduceColumns sets each v[j] to the least cost of column j, assigns each
// column to the row of its least cost when that row has none yet, and
// lowers v of a column whose row was the least of that column only, by the
// row's second least reduced cost (reduction transfer). It lists the rows
// left free in s.free and returns their number. Its first pass, the only
// one that reads every value, also checks them: it returns the index of
// the first that is not a valid cost (else -1) before anything else.
func (s *Solver) reduceColumns() (nfree, bad int) {
	n := s.n
	c, sg, cs, x := s.c, s.sg, s.cs[:n], s.x[:n]
	// Row-major scans: row i lowers the minima it beats; pred holds the
	// row of each column's least cost. a is the largest magnitude's bits.
	var a uint64
	for j := range cs {
		a = max(a, math.Float64bits(c[j])&noSign)
		cs[j] = column{v: sg * c[j], pred: 0}
	}
	if a > maxBits {
		return 0, firstBad(c[:n])
	}
	for i := 1; i < n; i++ {
		row := c[i*n : i*n+n]
		for j, cij := range row {
			a = max(a, math.Float64bits(cij)&noSign)
			if h := sg * cij; h < cs[j].v {
				cs[j].v = h
				cs[j].pred = int32(i)
			}
		}
		if a > maxBits {
			return 0, i*n + firstBad(row)
		}
	}
	matches := s.cols[:n] // how many columns have their least cost in each row
	for i := range x {
		x[i] = -1
		matches[i] = 0
	}
	for j := range cs {
		i := cs[j].pred
		matches[i]++
		if x[i] < 0 {
			x[i] = int32(j)
			cs[j].row = i
		} else {
			cs[j].row = -1
		}
	}
	for i := range x {
		switch matches[i] {
		case 0:
			s.free[nfree] = int32(i)
			nfree++
		case 1:
			if n == 1 {
				break // no second least
			}
			// The row's reduced costs are ≥ 0 and 0 at x[i]: move the
			// second least into v[x[i]], so u[i] becomes it.
			j1 := int(x[i])
			row := c[i*n : i*n+n]
			mu := math.Inf(1)
			for j, cij := range row {
				if h := sg*cij - cs[j].v; h < mu && j != j1 {
					mu = h
				}
			}
			cs[j1].v -= mu
		}
	}
	return nfree, -1
}

// reduceRows runs one pass of augmenting row reduction over the nfree
// rows of s.free and returns the number of rows it left free, listed in
// s.free. A free row takes the column of its least reduced cost u1,
// lowering that column's v by the gap to its second least u2 so that the
// row still sees it as least; the row that had the column is freed and,
// when the gap was positive, tried again at once. When u1 = u2 and the
// least column is taken, the row takes the second instead, or a free
// column of the same reduced cost.
func (s *Solver) reduceRows(nfree int) int {
	n := s.n
	c, sg, cs, x, free := s.c, s.sg, s.cs[:n], s.x[:n], s.free[:n]
	budget := budgetQuarters * n / 4
	k, out := 0, 0
	for k < nfree {
		i := int(free[k])
		k++
		row := c[i*n : i*n+n]
		u1, j1, u2, j2 := twoLeast(row, sg, cs)
		i0 := cs[j1].row
		if u1 < u2 {
			cs[j1].v -= u2 - u1
		} else if i0 >= 0 {
			j1 = j2
			i0 = cs[j2].row
			if i0 >= 0 {
				// Both taken: a free column of the same reduced cost
				// frees no row.
				if j := s.freeTie(row, u1); j >= 0 {
					j1, i0 = j, -1
				}
			}
		}
		x[i] = int32(j1)
		cs[j1].row = int32(i)
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

// freeTie returns a free column j with sg·row[j] - v[j] = u, or -1. A column
// once assigned stays assigned, so the columns before s.lowFree, all
// assigned, are skipped for good.
func (s *Solver) freeTie(row []float64, u float64) int {
	n := s.n
	sg, cs := s.sg, s.cs[:n]
	row = row[:n]
	for s.lowFree < n && cs[s.lowFree].row >= 0 {
		s.lowFree++
	}
	for j := s.lowFree; j < n; j++ {
		if cs[j].row < 0 && sg*row[j]-cs[j].v == u {
			return j
		}
	}
	return -1
}

// twoLeast returns the least reduced cost sg·row[j] - v[j] of a row and its
// column, and the second least and its column (a tie gives u1 = u2). The
// loop takes four columns at a time and leaves the common case, none
// below u2, at one test each.
func twoLeast(row []float64, sg float64, cs []column) (u1 float64, j1 int, u2 float64, j2 int) {
	n := len(cs)
	row = row[:n]
	u1, j1, u2, j2 = sg*row[0]-cs[0].v, 0, math.Inf(1), -1
	j := 1
	for ; j+4 <= n; j += 4 {
		h0 := sg*row[j] - cs[j].v
		h1 := sg*row[j+1] - cs[j+1].v
		h2 := sg*row[j+2] - cs[j+2].v
		h3 := sg*row[j+3] - cs[j+3].v
		if h0 < u2 || h1 < u2 || h2 < u2 || h3 < u2 {
			u1, j1, u2, j2 = push(u1, j1, u2, j2, h0, j)
			u1, j1, u2, j2 = push(u1, j1, u2, j2, h1, j+1)
			u1, j1, u2, j2 = push(u1, j1, u2, j2, h2, j+2)
			u1, j1, u2, j2 = push(u1, j1, u2, j2, h3, j+3)
		}
	}
	for ; j < n; j++ {
		u1, j1, u2, j2 = push(u1, j1, u2, j2, sg*row[j]-cs[j].v, j)
	}
	return u1, j1, u2, j2
}

// push updates the two least values u1 ≤ u2 and their columns with the
// value h of column j.
func push(u1 float64, j1 int, u2 float64, j2 int, h float64, j int) (float64, int, float64, int) {
	if h < u2 {
		if h >= u1 {
			return u1, j1, h, j
		}
		return h, j, u1, j1
	}
	return u1, j1, u2, j2
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
	c, sg, cs, x, cols := s.c, s.sg, s.cs[:n], s.x[:n], s.cols[:n]
	row := c[int(f)*n : int(f)*n+n]
	for j := range cols {
		cols[j] = int32(j)
		cs[j].d = sg*row[j] - cs[j].v
		cs[j].pred = f
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
			up, mu = gather(cs, cols, lo)
			for _, j := range cols[lo:up] {
				if cs[j].row < 0 {
					end = j
					break search
				}
			}
		}
		// Scan the row assigned to the next column at distance mu.
		j1 := cols[lo]
		lo++
		i := cs[j1].row
		if up, end = relax(c[int(i)*n:int(i)*n+n], sg, cs, cols, up, i, j1, mu); end >= 0 {
			break
		}
	}
	// The scanned columns' potentials fall by their distance's shortfall
	// from mu, which keeps every reduced cost ≥ 0 and the path tight.
	for _, j := range cols[:last] {
		cs[j].v += cs[j].d - mu
	}
	// Flip the path from end back to f.
	for j := end; ; {
		i := cs[j].pred
		cs[j].row = i
		j, x[i] = x[i], j
		if i == f {
			break
		}
	}
}

// gather moves the columns of cols[lo:] at the least distance to
// cols[lo:up] and returns up and that distance.
func gather(cs []column, cols []int32, lo int) (up int, mu float64) {
	up = lo
	mu = cs[cols[lo]].d
	for k := lo; k < len(cols); k++ {
		j := cols[k]
		h := cs[j].d
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
	return up, mu
}

// relax scans row i of the search of augment, sg·r its costs, assigned to
// column j1 at distance mu: it lowers the distances of the columns of
// cols[up:] that the path through i shortens and moves those reaching mu
// to the end of cols[:up]. It returns the new up, and a free column at
// distance mu if it met one (else -1), where the search ends.
func relax(r []float64, sg float64, cs []column, cols []int32, up int, i, j1 int32, mu float64) (int, int32) {
	r = r[:len(cs)]
	u1 := sg*r[j1] - cs[j1].v - mu
	for k := up; k < len(cols); k++ {
		j := cols[k]
		cj := &cs[j]
		h := sg*r[j] - cj.v - u1
		if h < cj.d {
			cj.d = h
			cj.pred = i
			if h == mu {
				if cj.row < 0 {
					return up, j
				}
				cols[k] = cols[up]
				cols[up] = j
				up++
			}
		}
	}
	return up, -1
}
