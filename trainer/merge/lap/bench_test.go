package lap

import (
	"fmt"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/internal/cputime"
)

// benchMinimize times a reused Solver on seed 1 of each kind of n×n matrix;
// testdata/scipy_bench.py times scipy on the same matrices.
func benchMinimize(b *testing.B, n int) {
	for _, kind := range kinds {
		b.Run(kind, func(b *testing.B) {
			m := matrix(kind, n, 1)
			perm := make([]int, n)
			var s Solver
			if _, err := s.Minimize(n, m, perm); err != nil {
				b.Fatal(err)
			}
			start := cputime.Process()
			for b.Loop() {
				if _, err := s.Minimize(n, m, perm); err != nil {
					b.Fatal(err)
				}
			}
			cputime.Report(b, start, time.Nanosecond)
		})
	}
}

func BenchmarkMinimize64(b *testing.B)  { benchMinimize(b, 64) }
func BenchmarkMinimize256(b *testing.B) { benchMinimize(b, 256) }
func BenchmarkMinimize512(b *testing.B) { benchMinimize(b, 512) }

// BenchmarkMaximize512 is Maximize on the uniform matrix: Minimize plus
// the negation.
func BenchmarkMaximize512(b *testing.B) {
	const n = 512
	m := matrix("uniform", n, 1)
	perm := make([]int, n)
	var s Solver
	start := cputime.Process()
	for b.Loop() {
		if _, err := s.Maximize(n, m, perm); err != nil {
			b.Fatal(err)
		}
	}
	cputime.Report(b, start, time.Nanosecond)
}

// BenchmarkMinimizeFresh is the package-level Minimize, which allocates
// a Solver each call, at each size on the uniform matrix.
func BenchmarkMinimizeFresh(b *testing.B) {
	for _, n := range []int{64, 512} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := matrix("uniform", n, 1)
			for b.Loop() {
				if _, _, err := Minimize(n, m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
