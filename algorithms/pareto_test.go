package algorithms_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
)

func TestDominates(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		a, b []float64
		want bool
	}{
		{"better in all", []float64{2, 2}, []float64{1, 1}, true},
		{"better in one, equal in the other", []float64{1, 2}, []float64{1, 1}, true},
		{"equal", []float64{1, 2}, []float64{1, 2}, false},
		{"worse", []float64{1, 1}, []float64{2, 2}, false},
		{"trade-off", []float64{2, 1}, []float64{1, 2}, false},
		{"one objective", []float64{3}, []float64{-1}, true},
		{"no objective", nil, nil, false},
		{"infinities", []float64{math.Inf(1), 0}, []float64{math.Inf(-1), 0}, true},
		{"NaN on the left", []float64{nan, 5}, []float64{1, 1}, false},
		{"NaN on the right", []float64{5, 5}, []float64{nan, 1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := algorithms.Dominates(tc.a, tc.b); got != tc.want {
				t.Errorf("Dominates(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
		})
	}
}

// paretoNaiveSort peels fronts by the definition: a front is the set of
// remaining points no remaining point dominates.
func paretoNaiveSort(points [][]float64) [][]int {
	left := make([]int, len(points))
	for i := range left {
		left[i] = i
	}
	var fronts [][]int
	for len(left) > 0 {
		var front, rest []int
		for _, i := range left {
			if slices.ContainsFunc(left, func(j int) bool { return algorithms.Dominates(points[j], points[i]) }) {
				rest = append(rest, i)
			} else {
				front = append(front, i)
			}
		}
		fronts = append(fronts, front)
		left = rest
	}
	return fronts
}

// paretoRandomPoints returns n random points of m objectives; with coarse, many
// coordinates are equal.
func paretoRandomPoints(rng *rand.Rand, n, m int, coarse bool) [][]float64 {
	ps := make([][]float64, n)
	for i := range ps {
		ps[i] = make([]float64, m)
		for j := range ps[i] {
			if coarse {
				ps[i][j] = float64(rng.IntN(5))
			} else {
				ps[i][j] = rng.NormFloat64()
			}
		}
	}
	return ps
}

func TestNonDominatedSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, m := range []int{1, 2, 3, 5} {
		for _, coarse := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d objectives coarse=%v", m, coarse), func(t *testing.T) {
				for _, n := range []int{0, 1, 2, 7, 50, 200} {
					ps := paretoRandomPoints(rng, n, m, coarse)
					got, want := algorithms.NonDominatedSort(ps), paretoNaiveSort(ps)
					if !slices.EqualFunc(got, want, slices.Equal) {
						t.Fatalf("%d points: fronts %v, want %v", n, got, want)
					}
				}
			})
		}
	}
	// A hand-made case: (3,1), (1,3) and a copy of (1,3) are first; (2,1)
	// and (1,2) second; (1,1) third.
	ps := [][]float64{{1, 1}, {3, 1}, {1, 3}, {2, 1}, {1, 2}, {1, 3}}
	want := [][]int{{1, 2, 5}, {3, 4}, {0}}
	if got := algorithms.NonDominatedSort(ps); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("fronts %v, want %v", got, want)
	}
}

func TestCrowdingDistance(t *testing.T) {
	inf := math.Inf(1)
	ps := [][]float64{
		{0, 10}, // extreme
		{1, 6},
		{3, 5},
		{4, 0}, // extreme
		{9, 9}, // not in the front given
	}
	for _, tc := range []struct {
		name  string
		front []int
		want  []float64
	}{
		{"four points", []int{0, 1, 2, 3}, []float64{inf, (3-0)/4.0 + (10-5)/10.0, (4-1)/4.0 + (6-0)/10.0, inf}},
		{"order given", []int{2, 3, 1, 0}, []float64{(4-1)/4.0 + (6-0)/10.0, inf, (3-0)/4.0 + (10-5)/10.0, inf}},
		{"two points", []int{1, 2}, []float64{inf, inf}},
		{"one point", []int{4}, []float64{inf}},
		{"empty", nil, []float64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := algorithms.CrowdingDistance(ps, tc.front)
			if !slices.EqualFunc(got, tc.want, func(x, y float64) bool { return x == y || math.Abs(x-y) < 1e-12 }) {
				t.Errorf("CrowdingDistance = %v, want %v", got, tc.want)
			}
		})
	}
	// An objective constant on the front adds nothing.
	flat := [][]float64{{0, 1}, {1, 1}, {3, 1}, {4, 1}}
	want := []float64{inf, 3 / 4.0, 3 / 4.0, inf}
	if got := algorithms.CrowdingDistance(flat, []int{0, 1, 2, 3}); !slices.Equal(got, want) {
		t.Errorf("constant objective: %v, want %v", got, want)
	}
}

func TestParetoFront(t *testing.T) {
	d := space.DNA{}
	res := func(trial int, rewards ...float64) algorithms.Result {
		return algorithms.Result{Trial: trial, DNA: d, Rewards: rewards}
	}
	trials := func(rs []algorithms.Result) []int {
		out := []int{}
		for _, r := range rs {
			out = append(out, r.Trial)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		in   []algorithms.Result
		want []int
	}{
		{"none", nil, []int{}},
		{"only failures", []algorithms.Result{res(0), res(1)}, []int{}},
		{"one objective: the best, ties kept", []algorithms.Result{res(0, 1), res(1, 3), res(2, 2), res(3, 3)}, []int{1, 3}},
		{"trade-offs in input order", []algorithms.Result{res(0, 1, 1), res(1, 0, 3), res(2, 3, 0), res(3, 2, 2), res(4, 1, 2)}, []int{1, 2, 3}},
		{"duplicates kept", []algorithms.Result{res(0, 1, 2), res(1, 2, 1), res(2, 1, 2)}, []int{0, 1, 2}},
		{"failures and other lengths left out", []algorithms.Result{res(0), res(1, 1, 1), res(2, 9), res(3, 9, 9, 9), res(4, 0, 2)}, []int{1, 4}},
		{"NaN left out", []algorithms.Result{res(0, math.NaN(), 9), res(1, 1, 1)}, []int{1}},
		{"infinities", []algorithms.Result{res(0, math.Inf(-1), 5), res(1, 1, math.Inf(1)), res(2, 1, 1)}, []int{1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := trials(algorithms.ParetoFront(tc.in)); !slices.Equal(got, tc.want) {
				t.Errorf("front of trials %v, want %v", got, tc.want)
			}
		})
	}
	// Random results: the front is the first front of the definition.
	rng := rand.New(rand.NewPCG(3, 4))
	for _, m := range []int{2, 3, 4} {
		ps := paretoRandomPoints(rng, 300, m, m == 3)
		rs := make([]algorithms.Result, len(ps))
		for i, p := range ps {
			rs[i] = res(i, p...)
		}
		if got, want := trials(algorithms.ParetoFront(rs)), paretoNaiveSort(ps)[0]; !slices.Equal(got, want) {
			t.Errorf("%d objectives: front %v, want %v", m, got, want)
		}
	}
}

func paretoResults(n, m int) []algorithms.Result {
	rng := rand.New(rand.NewPCG(1, 1))
	rs := make([]algorithms.Result, n)
	for i, p := range paretoRandomPoints(rng, n, m, false) {
		rs[i] = algorithms.Result{Trial: i, Rewards: p}
	}
	return rs
}

func BenchmarkParetoFront(b *testing.B) {
	for _, m := range []int{2, 3} {
		b.Run(fmt.Sprintf("1000x%d", m), func(b *testing.B) {
			rs := paretoResults(1000, m)
			for b.Loop() {
				algorithms.ParetoFront(rs)
			}
		})
	}
	// ZDT1-like: every result on a trade-off curve, so the front is all.
	b.Run("1000x2_all_on_front", func(b *testing.B) {
		rs := paretoResults(1000, 2)
		for i := range rs {
			x := float64(i) / 1000
			rs[i].Rewards = []float64{x, -math.Sqrt(x)}
		}
		for b.Loop() {
			algorithms.ParetoFront(rs)
		}
	})
}

func BenchmarkNonDominatedSort(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("%dx2", n), func(b *testing.B) {
			ps := paretoRandomPoints(rand.New(rand.NewPCG(1, 1)), n, 2, false)
			for b.Loop() {
				algorithms.NonDominatedSort(ps)
			}
		})
	}
}
