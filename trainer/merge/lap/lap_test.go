package lap

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestBruteForce compares Minimize and Maximize with every permutation on
// many random matrices of n ≤ 8, of integer costs (ties) and of floats.
func TestBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	draws := []struct {
		name string
		draw func() float64
	}{
		{"ints 0..1", func() float64 { return float64(r.IntN(2)) }},
		{"ints 0..2", func() float64 { return float64(r.IntN(3)) }},
		{"ints -5..4", func() float64 { return float64(r.IntN(10) - 5) }},
		{"ints 0..999", func() float64 { return float64(r.IntN(1000)) }},
		{"uniform", r.Float64},
		{"normal ×1e6", func() float64 { return 1e6 * r.NormFloat64() }},
	}
	for _, dr := range draws {
		t.Run(dr.name, func(t *testing.T) {
			for n := 1; n <= 8; n++ {
				reps := 200
				if n == 8 {
					reps = 20
				}
				for range reps {
					m := make([]float64, n*n)
					for k := range m {
						m[k] = dr.draw()
					}
					want := bruteMin(n, m)
					perm, got, err := Minimize(n, m)
					if err != nil {
						t.Fatal(err)
					}
					if !isPerm(n, perm) {
						t.Fatalf("n = %d: Minimize gave %v, not a permutation", n, perm)
					}
					if tol := 1e-9 * (1 + math.Abs(want)); math.Abs(got-want) > tol {
						t.Fatalf("n = %d, matrix %v: Minimize total %v, brute force %v", n, m, got, want)
					}
					neg := make([]float64, n*n)
					for k, c := range m {
						neg[k] = -c
					}
					perm, got, err = Maximize(n, neg)
					if err != nil {
						t.Fatal(err)
					}
					if !isPerm(n, perm) {
						t.Fatalf("n = %d: Maximize gave %v, not a permutation", n, perm)
					}
					if tol := 1e-9 * (1 + math.Abs(want)); math.Abs(got+want) > tol {
						t.Fatalf("n = %d, matrix %v: Maximize total %v, brute force %v", n, neg, got, -want)
					}
				}
			}
		})
	}
}

func TestSmall(t *testing.T) {
	perm, total, err := Minimize(0, nil)
	if err != nil || len(perm) != 0 || total != 0 {
		t.Errorf("Minimize(0, nil) = %v, %v, %v; want [], 0, nil", perm, total, err)
	}
	perm, total, err = Minimize(1, []float64{-2.5})
	if err != nil || len(perm) != 1 || perm[0] != 0 || total != -2.5 {
		t.Errorf("Minimize(1, [-2.5]) = %v, %v, %v; want [0], -2.5, nil", perm, total, err)
	}
	var s Solver
	if total, err := s.Minimize(1, []float64{-2.5}, perm); err != nil || total != -2.5 {
		t.Errorf("Solver.Minimize(1, [-2.5]) = %v, %v; want -2.5, nil", total, err)
	}
	if u, v := s.Duals(); u[0]+v[0] != -2.5 {
		t.Errorf("Solver.Minimize(1, [-2.5]): duals %v, %v, want a sum of -2.5", u, v)
	}
	perm, total, err = Maximize(1, []float64{3})
	if err != nil || len(perm) != 1 || perm[0] != 0 || total != 3 {
		t.Errorf("Maximize(1, [3]) = %v, %v, %v; want [0], 3, nil", perm, total, err)
	}
	// A fixed 3×3 whose optimum is the anti-diagonal.
	perm, total, err = Minimize(3, []float64{
		9, 9, 1,
		9, 1, 9,
		1, 9, 9,
	})
	if err != nil || perm[0] != 2 || perm[1] != 1 || perm[2] != 0 || total != 3 {
		t.Errorf("Minimize of the anti-diagonal matrix = %v, %v, %v; want [2 1 0], 3, nil", perm, total, err)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		n    int
		m    []float64
		perm []int
		is   error
		msg  string
	}{
		{"negative n", -1, nil, nil, ErrShape, "lap: bad shape: n = -1, want n ≥ 0"},
		{"short matrix", 2, []float64{1, 2, 3}, make([]int, 2), ErrShape, "lap: bad shape: len(cost) = 3, want n*n = 4 for n = 2"},
		{"long matrix", 1, []float64{1, 2}, make([]int, 1), ErrShape, "lap: bad shape: len(cost) = 2, want n*n = 1 for n = 1"},
		{"short perm", 2, []float64{1, 2, 3, 4}, make([]int, 1), ErrShape, "lap: bad shape: len(perm) = 1, want n = 2"},
		{"nil perm", 1, []float64{1}, nil, ErrShape, "lap: bad shape: len(perm) = 0, want n = 1"},
		{"NaN", 2, []float64{1, 2, math.NaN(), 4}, make([]int, 2), ErrValue,
			"lap: bad cost: cost[2] (row 1, column 0) is NaN, want a finite value of magnitude at most 1e+300"},
		{"+Inf", 2, []float64{1, math.Inf(1), 3, 4}, make([]int, 2), ErrValue,
			"lap: bad cost: cost[1] (row 0, column 1) is +Inf, want a finite value of magnitude at most 1e+300"},
		{"-Inf", 2, []float64{1, 2, 3, math.Inf(-1)}, make([]int, 2), ErrValue,
			"lap: bad cost: cost[3] (row 1, column 1) is -Inf, want a finite value of magnitude at most 1e+300"},
		{"huge", 1, []float64{-1e301}, make([]int, 1), ErrValue,
			"lap: bad cost: cost[0] (row 0, column 0) is -1e+301, want a finite value of magnitude at most 1e+300"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Solver
			for k := range tt.perm {
				tt.perm[k] = -7
			}
			_, err := s.Minimize(tt.n, tt.m, tt.perm)
			for k, j := range tt.perm {
				if j != -7 {
					t.Fatalf("Solver.Minimize wrote perm[%d] = %d before failing", k, j)
				}
			}
			if !errors.Is(err, tt.is) || err.Error() != tt.msg {
				t.Errorf("Solver.Minimize: error %v,\nwant %q", err, tt.msg)
			}
			_, err = s.Maximize(tt.n, tt.m, tt.perm)
			if want := strings.NewReplacer("cost[", "weight[", "len(cost)", "len(weight)").Replace(tt.msg); !errors.Is(err, tt.is) || err.Error() != want {
				t.Errorf("Solver.Maximize: error %v,\nwant %q", err, want)
			}
			if len(tt.perm) == tt.n || tt.n < 0 {
				if perm, total, err := Minimize(tt.n, tt.m); err == nil || perm != nil || total != 0 {
					t.Errorf("Minimize = %v, %v, %v; want nil, 0, an error", perm, total, err)
				}
			}
		})
	}
}

// TestNoAlloc checks that a Solver reused on one size allocates nothing.
func TestNoAlloc(t *testing.T) {
	const n = 64
	m := matrix("uniform", n, 1)
	perm := make([]int, n)
	var s Solver
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := s.Minimize(n, m, perm); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Maximize(n, m, perm); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("a reused Solver allocates %v times a call pair, want 0", allocs)
	}
}

// TestReuse checks that a Solver gives the same answers as a fresh one
// when the sizes of its problems go up and down.
func TestReuse(t *testing.T) {
	var s Solver
	for _, n := range []int{5, 50, 3, 0, 1, 50, 20} {
		for _, kind := range kinds {
			m := matrix(kind, n, uint64(n))
			perm := make([]int, n)
			got, err := s.Minimize(n, m, perm)
			if err != nil {
				t.Fatal(err)
			}
			_, want, err := Minimize(n, m)
			if err != nil {
				t.Fatal(err)
			}
			if !isPerm(n, perm) || got != want {
				t.Errorf("%s n = %d: reused Solver gave %v (%v), a fresh one %v", kind, n, got, perm, want)
			}
			checkDuals(t, kind, n, m, perm, got, &s)
		}
	}
}
