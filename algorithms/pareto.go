package algorithms

import (
	"cmp"
	"math"
	"slices"
)

// Dominates reports whether the rewards a Pareto-dominate the rewards b
// when every objective is maximized: a is at least as large as b in every
// objective and larger in at least one. a and b must have the same
// length. A NaN in either makes the answer false: a vector holding one
// dominates nothing and nothing dominates it.
func Dominates(a, b []float64) bool {
	better := false
	for i, x := range a {
		y := b[i]
		if x < y || (x != y && (math.IsNaN(x) || math.IsNaN(y))) {
			return false
		}
		if x > y {
			better = true
		}
	}
	return better
}

// NonDominatedSort splits points (reward vectors of one length, larger is
// better) into Pareto fronts: fronts[0] holds the indices of the points
// no other point dominates, fronts[1] those no point outside fronts[0]
// dominates, and so on. Every index appears in exactly one front; each
// front lists its indices in increasing order. Equal points share a
// front.
//
// The fronts are those of the fast non-dominated sort of Deb et al.
// (NSGA-II, 2002); they are computed by the efficient non-dominated sort
// of Zhang et al. (ENS-SS, 2015), which gives the same fronts with far
// fewer comparisons: points are visited in decreasing lexicographic
// order, so every point's dominators come before it, and each point
// joins the first front holding none of them. Points must hold no NaN.
func NonDominatedSort(points [][]float64) [][]int {
	order := lexOrder(points)
	var fronts [][]int
	for _, i := range order {
		k := 0
		for ; k < len(fronts); k++ {
			if !frontDominates(points, fronts[k], points[i]) {
				break
			}
		}
		if k == len(fronts) {
			fronts = append(fronts, nil)
		}
		fronts[k] = append(fronts[k], i)
	}
	for _, f := range fronts {
		slices.Sort(f)
	}
	return fronts
}

// lexOrder returns the indices of points in decreasing lexicographic
// order of the points, ties by increasing index.
func lexOrder(points [][]float64) []int {
	keys := make([]lexKey, len(points))
	for i, p := range points {
		keys[i].i = i
		if len(p) > 0 {
			keys[i].x = p[0]
		}
		if len(p) > 1 {
			keys[i].y = p[1]
		}
	}
	slices.SortFunc(keys, func(a, b lexKey) int {
		switch {
		case a.x != b.x:
			return cmp.Compare(b.x, a.x)
		case a.y != b.y:
			return cmp.Compare(b.y, a.y)
		}
		if p, q := points[a.i], points[b.i]; len(p) > 2 {
			if c := slices.Compare(q[2:], p[2:]); c != 0 {
				return c
			}
		}
		return a.i - b.i
	})
	order := make([]int, len(keys))
	for k, key := range keys {
		order[k] = key.i
	}
	return order
}

// lexKey is a point's index and first two coordinates, which decide most
// comparisons of a lexicographic sort without following a pointer.
type lexKey struct {
	x, y float64
	i    int
}

// frontDominates reports whether some point of front dominates p. The
// front's latest members are tried first: they are the closest to p in
// the lexicographic order, so the likeliest dominators.
func frontDominates(points [][]float64, front []int, p []float64) bool {
	for j := len(front) - 1; j >= 0; j-- {
		if Dominates(points[front[j]], p) {
			return true
		}
	}
	return false
}

// CrowdingDistance returns the crowding distance (Deb et al. 2002) of
// each point of one front, in the order of front (indices into points):
// for every objective, the points are sorted by it; the two extremes get
// an infinite distance and every other point adds the gap between its
// two neighbours, divided by the objective's range on the front.
// Objectives constant on the front add nothing. A larger distance means a
// less crowded point. Fronts of one or two points are all extremes.
func CrowdingDistance(points [][]float64, front []int) []float64 {
	n := len(front)
	dist := make([]float64, n)
	if n == 0 {
		return dist
	}
	if n <= 2 {
		for i := range dist {
			dist[i] = math.Inf(1)
		}
		return dist
	}
	order := make([]int, n) // positions in front
	for m := range points[front[0]] {
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int {
			return cmp.Compare(points[front[a]][m], points[front[b]][m])
		})
		lo, hi := points[front[order[0]]][m], points[front[order[n-1]]][m]
		dist[order[0]] = math.Inf(1)
		dist[order[n-1]] = math.Inf(1)
		span := hi - lo
		if !(span > 0) || math.IsInf(span, 0) {
			continue
		}
		for i := 1; i < n-1; i++ {
			dist[order[i]] += (points[front[order[i+1]]][m] - points[front[order[i-1]]][m]) / span
		}
	}
	return dist
}

// ParetoFront returns the results no other result Pareto-dominates,
// every objective maximized (Result.Rewards is oriented so), in the order
// given. Failed results and results with no rewards are left out, and
// so are results whose rewards hold a NaN or whose number of rewards
// differs from the first other result's (rewards of different lengths
// cannot be compared; NSGA2 applies the same rule). Results with equal
// rewards are all kept.
// The results' DNA is shared, not copied.
//
// It takes O(n log n) comparisons for n results of two objectives,
// O(n log n + n·f) for more, f being the size of the front.
func ParetoFront(results []Result) []Result {
	points, idx := paretoPoints(results)
	if len(points) == 0 {
		return nil
	}
	// As in NonDominatedSort: in decreasing lexicographic order, a point is
	// on the front unless a point already on it dominates it.
	var front []int
	if len(points[0]) == 1 {
		// One objective: the front is every point with the largest value.
		best := math.Inf(-1)
		for _, p := range points {
			best = max(best, p[0])
		}
		for i, p := range points {
			if p[0] == best {
				front = append(front, i)
			}
		}
		out := make([]Result, len(front))
		for k, i := range front {
			out[k] = results[idx[i]]
		}
		return out
	}
	order := lexOrder(points)
	if len(points[0]) == 2 {
		front = paretoFront2(points, order)
	} else {
		for _, i := range order {
			if !frontDominates(points, front, points[i]) {
				front = append(front, i)
			}
		}
	}
	slices.Sort(front)
	out := make([]Result, len(front))
	for k, i := range front {
		out[k] = results[idx[i]]
	}
	return out
}

// paretoFront2 returns the front of points of two objectives, visited in
// order (decreasing lexicographic): a point is dominated by one before it
// with a larger first coordinate and a second at least as large, or with
// the same first coordinate and a larger second.
func paretoFront2(points [][]float64, order []int) []int {
	var front []int
	best := math.Inf(-1) // the largest second coordinate of the groups before
	for k := 0; k < len(order); {
		// A group of points with the same first coordinate; its first
		// point has the largest second coordinate.
		top := points[order[k]]
		j := k
		for ; j < len(order) && points[order[j]][0] == top[0]; j++ {
			if p := points[order[j]]; p[1] == top[1] && (k == 0 || p[1] > best) {
				front = append(front, order[j])
			}
		}
		if k == 0 || top[1] > best {
			best = top[1]
		}
		k = j
	}
	return front
}

// paretoPoints returns the rewards of the results that take part in a
// Pareto comparison (see ParetoFront) and their indices in results.
func paretoPoints(results []Result) (points [][]float64, idx []int) {
	nobj := -1
	points, idx = make([][]float64, 0, len(results)), make([]int, 0, len(results))
	for i, r := range results {
		if len(r.Rewards) == 0 {
			continue // failed, or nothing to compare
		}
		if nobj < 0 {
			nobj = len(r.Rewards)
		}
		if !paretoUsable(r.Rewards, nobj) {
			continue
		}
		points = append(points, r.Rewards)
		idx = append(idx, i)
	}
	return points, idx
}

// paretoUsable reports whether rewards can be compared with others of
// nobj objectives: the same length and no NaN.
func paretoUsable(rewards []float64, nobj int) bool {
	if len(rewards) != nobj {
		return false
	}
	for _, x := range rewards {
		if math.IsNaN(x) {
			return false
		}
	}
	return true
}
