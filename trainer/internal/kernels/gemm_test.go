package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

// gemmRef is the float64 reference: C = alpha·op(A)·op(B) + beta·C, with C
// not read when beta is 0.
func gemmRef(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) []float64 {
	out := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				var av, bv float32
				if transA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if transB {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				s += float64(av) * float64(bv)
			}
			s *= float64(alpha)
			if beta != 0 {
				s += float64(beta) * float64(c[i*ldc+j])
			}
			out[i*n+j] = s
		}
	}
	return out
}

func randSlice(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	return x
}

type gemmCase struct {
	transA, transB bool
	m, n, k        int
	padA, padB     int // extra leading dimension
	padC           int
	alpha, beta    float32
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("tA=%v,tB=%v,m=%d,n=%d,k=%d,pad=%d/%d/%d,alpha=%g,beta=%g",
		tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.padA, tc.padB, tc.padC, tc.alpha, tc.beta)
}

// run runs one case on g and reports a mismatch against the reference.
func (tc gemmCase) run(t *testing.T, r *rand.Rand, g *impl) {
	t.Helper()
	rowsA, colsA := tc.m, tc.k
	if tc.transA {
		rowsA, colsA = tc.k, tc.m
	}
	rowsB, colsB := tc.k, tc.n
	if tc.transB {
		rowsB, colsB = tc.n, tc.k
	}
	lda, ldb, ldc := colsA+tc.padA, colsB+tc.padB, tc.n+tc.padC
	// Exact lengths (no slack after the last row) catch reads past the end.
	a := randSlice(r, max(0, (rowsA-1)*lda+colsA))
	b := randSlice(r, max(0, (rowsB-1)*ldb+colsB))
	c := randSlice(r, max(0, (tc.m-1)*ldc+tc.n))
	if tc.beta == 0 {
		for i := range c {
			c[i] = float32(math.NaN())
		}
	}
	// Padding between rows of C must survive.
	for i := 0; i < tc.m; i++ {
		for j := tc.n; j < ldc && i*ldc+j < len(c); j++ {
			c[i*ldc+j] = 12345
		}
	}
	want := gemmRef(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
	g.gemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
	tol := 1e-5 * float64(tc.k+4) * (math.Abs(float64(tc.alpha)) + 1)
	bad := 0
	for i := 0; i < tc.m; i++ {
		for j := 0; j < ldc && i*ldc+j < len(c); j++ {
			got := float64(c[i*ldc+j])
			if j >= tc.n {
				if got != 12345 {
					t.Fatalf("%s %v: padding C[%d,%d] changed to %g", g.name, tc, i, j, got)
				}
				continue
			}
			w := want[i*tc.n+j]
			if !(math.Abs(got-w) <= tol*math.Max(1, math.Sqrt(float64(tc.k)))) {
				if bad++; bad < 4 {
					t.Errorf("%s %v: C[%d,%d] = %g, want %g", g.name, tc, i, j, got, w)
				}
			}
		}
	}
	if bad > 0 {
		t.FailNow()
	}
}

func TestGemmShapes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	dims := []int{1, 2, 3, 5, 7, 10, 13, 14, 15, 16, 17, 28, 31, 32, 33, 47, 64, 97, 128, 257, 300}
	var cases []gemmCase
	for _, tA := range []bool{false, true} {
		for _, tB := range []bool{false, true} {
			// Fixed shapes of the MLPs (forward, weight and input gradient).
			for _, s := range [][3]int{{128, 512, 784}, {128, 10, 512}, {512, 10, 128}, {128, 512, 10}, {32, 32, 64}, {32, 10, 32}, {300, 300, 300}} {
				cases = append(cases, gemmCase{transA: tA, transB: tB, m: s[0], n: s[1], k: s[2], alpha: 1, beta: 0})
			}
			for range 40 {
				tc := gemmCase{transA: tA, transB: tB,
					m: dims[r.IntN(len(dims))], n: dims[r.IntN(len(dims))], k: dims[r.IntN(len(dims))],
					alpha: []float32{1, -0.5, 2}[r.IntN(3)], beta: []float32{0, 1, 0.5, -1}[r.IntN(4)]}
				if r.IntN(2) == 0 {
					tc.padA, tc.padB, tc.padC = r.IntN(5), r.IntN(40), r.IntN(3)
				}
				cases = append(cases, tc)
			}
			// Degenerate shapes.
			cases = append(cases,
				gemmCase{transA: tA, transB: tB, m: 0, n: 5, k: 3, alpha: 1, beta: 1},
				gemmCase{transA: tA, transB: tB, m: 5, n: 0, k: 3, alpha: 1, beta: 1},
				gemmCase{transA: tA, transB: tB, m: 5, n: 7, k: 0, alpha: 1, beta: 0.5},
				gemmCase{transA: tA, transB: tB, m: 5, n: 7, k: 0, alpha: 1, beta: 0},
				gemmCase{transA: tA, transB: tB, m: 6, n: 9, k: 4, alpha: 0, beta: 2},
			)
		}
	}
	if testing.Short() {
		cases = cases[:len(cases)/4]
	}
	for _, g := range impls {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range cases {
				tc.run(t, r, g)
			}
		})
	}
}

// TestGemmAllDims sweeps every m, n in 1..40 with a few k: every edge-tile
// combination of the micro-kernels.
func TestGemmAllDims(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, g := range impls {
		t.Run(g.name, func(t *testing.T) {
			for m := 1; m <= 40; m++ {
				for n := 1; n <= 40; n++ {
					k := []int{1, 2, 3, 9, 31}[(m+n)%5]
					tA, tB := m%2 == 0, n%3 == 0
					gemmCase{transA: tA, transB: tB, m: m, n: n, k: k, alpha: 1.5, beta: float32((m + n) % 2)}.run(t, r, g)
				}
			}
		})
	}
}

// TestGemmBlocks crosses the kc and nc cache blocks.
func TestGemmBlocks(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	r := rand.New(rand.NewPCG(5, 6))
	for _, g := range impls {
		t.Run(g.name, func(t *testing.T) {
			for _, tA := range []bool{false, true} {
				for _, tB := range []bool{false, true} {
					gemmCase{transA: tA, transB: tB, m: 45, n: 1100, k: 530, padB: 3, alpha: 1, beta: 0.5}.run(t, r, g)
					gemmCase{transA: tA, transB: tB, m: 20, n: 600, k: 1025, alpha: -1, beta: 0}.run(t, r, g)
				}
			}
		})
	}
}

func TestGemmPanicsOnShortSlice(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	Gemm(false, false, 2, 2, 2, 1, make([]float32, 3), 2, make([]float32, 4), 2, 0, make([]float32, 4), 2)
}

func TestPath(t *testing.T) {
	if Path() != impls[0].name {
		t.Fatalf("Path() = %q, want %q", Path(), impls[0].name)
	}
	t.Logf("path %s; supported:", Path())
	for _, g := range impls {
		t.Logf("  %s", g.name)
	}
}

// TestGemmConcurrent runs two goroutines of Gemm on every path at once, as
// two trials do, and checks both results.
func TestGemmConcurrent(t *testing.T) {
	for _, g := range impls {
		t.Run(g.name, func(t *testing.T) {
			var wg sync.WaitGroup
			for w := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := rand.New(rand.NewPCG(uint64(w), 11))
					for i := range 20 {
						tc := gemmCase{transA: i%2 == 0, transB: i%3 == 0, m: 30 + w, n: 70 + i, k: 40, alpha: 1, beta: 0}
						tc.run(t, r, g)
					}
				}()
			}
			wg.Wait()
		})
	}
}

// TestGemmNoAllocs checks that steady-state calls do not allocate.
func TestGemmNoAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	a, b, c := randSlice(r, 300*300), randSlice(r, 300*300), randSlice(r, 300*300)
	for _, g := range impls {
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			g.gemm(tr[0], tr[1], 300, 300, 300, 1, a, 300, b, 300, 0, c, 300)
			if n := testing.AllocsPerRun(5, func() {
				g.gemm(tr[0], tr[1], 300, 300, 300, 1, a, 300, b, 300, 0, c, 300)
			}); n != 0 {
				t.Errorf("%s trans=%v: %v allocations per call", g.name, tr, n)
			}
		}
	}
}
