package lap

import (
	"fmt"
	"math"
	"testing"
)

// checkDuals certifies that perm is an optimal assignment of the n×n cost
// matrix by the Solver's last duals: u[i] + v[j] ≤ cost[i*n+j] for all i,
// j, equality on perm, and Σu + Σv = total (LP duality), up to rounding.
func checkDuals(t *testing.T, name string, n int, cost []float64, perm []int, total float64, s *Solver) {
	t.Helper()
	u, v := s.Duals()
	if len(u) != n || len(v) != n {
		t.Fatalf("%s: Duals gave %d and %d potentials, want %d", name, len(u), len(v), n)
	}
	for i := range n {
		if math.IsInf(u[i], 0) || math.IsNaN(u[i]) || math.IsInf(v[i], 0) || math.IsNaN(v[i]) {
			t.Fatalf("%s: duals u[%d] = %v, v[%d] = %v, want finite", name, i, u[i], i, v[i])
		}
	}
	scale := 1.0
	for _, c := range cost {
		scale = math.Max(scale, math.Abs(c))
	}
	tol := 1e-12 * scale * float64(n+1)
	bad := 0
	for i := range n {
		for j := range n {
			slack := cost[i*n+j] - u[i] - v[j]
			if slack < -tol || (j == perm[i] && slack > tol) {
				if bad++; bad <= 3 {
					t.Errorf("%s: reduced cost at row %d, column %d is %g (assigned: %v), want ≥ 0 and 0 when assigned",
						name, i, j, slack, j == perm[i])
				}
			}
		}
	}
	dual := 0.0
	for i := range n {
		dual += u[i] + v[i]
	}
	if math.Abs(dual-total) > tol*float64(n+1) {
		t.Errorf("%s: Σu + Σv = %v, the total is %v", name, dual, total)
	}
}

// TestDuals certifies optimality on larger random matrices by the duals,
// including n = 512, the size of the benchmarks.
func TestDuals(t *testing.T) {
	sizes := []int{2, 17, 100, 512}
	if testing.Short() {
		sizes = []int{2, 17, 100}
	}
	var s Solver
	for _, n := range sizes {
		for _, kind := range kinds {
			for seed := range uint64(3) {
				name := fmt.Sprintf("%s n=%d seed=%d", kind, n, seed)
				m := matrix(kind, n, seed)
				perm := make([]int, n)
				total, err := s.Minimize(n, m, perm)
				if err != nil {
					t.Fatal(err)
				}
				if !isPerm(n, perm) {
					t.Fatalf("%s: %v is not a permutation", name, perm)
				}
				checkDuals(t, name, n, m, perm, total, &s)
				// Maximize's duals bound from above: negate them to
				// check them as duals of the negated matrix.
				neg := make([]float64, n*n)
				for k, c := range m {
					neg[k] = -c
				}
				wtotal, err := s.Maximize(n, neg, perm)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(wtotal+total) > 1e-9*(1+math.Abs(total)) {
					t.Errorf("%s: Maximize of the negated matrix gave %v, Minimize %v", name, wtotal, total)
				}
				u, v := s.Duals()
				for i := range n {
					u[i], v[i] = -u[i], -v[i]
				}
				checkDuals(t, name+" (Maximize)", n, m, perm, -wtotal, &s)
			}
		}
	}
}

// TestExtremeMagnitudes solves matrices of costs near ±MaxMagnitude and of
// widely spread magnitudes: nothing may overflow, and the duals still
// certify the assignment.
func TestExtremeMagnitudes(t *testing.T) {
	const n = 64
	big := matrix("uniform", n, 5)
	spread := matrix("uniform", n, 6)
	for k := range big {
		big[k] = MaxMagnitude * (2*big[k] - 1)
		spread[k] = math.Pow(10, 24*spread[k]-12)
	}
	var s Solver
	for name, m := range map[string][]float64{"±MaxMagnitude": big, "1e-12..1e12": spread} {
		perm := make([]int, n)
		total, err := s.Minimize(n, m, perm)
		if err != nil {
			t.Fatal(err)
		}
		if !isPerm(n, perm) || math.IsInf(total, 0) || math.IsNaN(total) {
			t.Fatalf("%s: perm %v, total %v", name, perm, total)
		}
		checkDuals(t, name, n, m, perm, total, &s)
	}
}
