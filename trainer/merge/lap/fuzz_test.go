package lap

import (
	"math"
	"testing"
)

// FuzzMinimize solves small matrices made of the fuzzer's bytes and
// compares the total with brute force, and the duals with the
// assignment.
func FuzzMinimize(f *testing.F) {
	f.Add([]byte{2, 1, 2, 3, 4})
	f.Add([]byte{3, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{5, 255, 1, 128, 7, 7, 7, 9, 200, 13, 0, 1, 1, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		// n ≤ 6 keeps brute force at 720 permutations; the costs are
		// the bytes as signed eighths, so ties and negatives are common.
		n := int(data[0]) % 7
		data = data[1:]
		m := make([]float64, n*n)
		for k := range m {
			if k < len(data) {
				m[k] = float64(int8(data[k])) / 8
			}
		}
		var s Solver
		perm := make([]int, n)
		total, err := s.Minimize(n, m, perm)
		if err != nil {
			t.Fatal(err)
		}
		if !isPerm(n, perm) {
			t.Fatalf("%v is not a permutation", perm)
		}
		if want := bruteMin(n, m); math.Abs(total-want) > 1e-9 {
			t.Fatalf("n = %d, matrix %v: total %v, brute force %v", n, m, total, want)
		}
		checkDuals(t, "fuzz", n, m, perm, total, &s)
	})
}
