package kernels

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// naiveQ is the reference integer product C = A·W (A m×k with leading
// dimension lda, W k×n row-major), in int64 so that it cannot wrap.
func naiveQ(m, k, n int, a []int8, lda int, w []int8) []int64 {
	c := make([]int64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s int64
			for p := 0; p < k; p++ {
				s += int64(a[i*lda+p]) * int64(w[p*n+j])
			}
			c[i*n+j] = s
		}
	}
	return c
}

// randCodes returns n values drawn uniformly from [lo, hi].
func randCodes(r *rand.Rand, n int, lo, hi int8) []int8 {
	x := make([]int8, n)
	for i := range x {
		x[i] = int8(int(lo) + r.IntN(int(hi)-int(lo)+1))
	}
	return x
}

// qcase runs one product on path q for a ternary or int8 W and compares
// it with the reference; ldc > n and lda > k check the leading
// dimensions, and sentinels past each row of C check nothing is written
// outside it.
func qcase(t *testing.T, q *qpath, ternary bool, m, k, n int, a []int8, lda int, w []int8) {
	t.Helper()
	ldc := n + 3
	c := make([]int32, m*ldc)
	const sentinel = -0x5a5a5a5a
	for i := range c {
		c[i] = sentinel
	}
	if ternary {
		pw, err := q.packTernary(w, k, n)
		if err != nil {
			t.Fatal(err)
		}
		q.gemm(true, m, a, lda, &pw.packed, c, ldc)
	} else {
		pw, err := q.packS8(w, k, n)
		if err != nil {
			t.Fatal(err)
		}
		q.gemm(false, m, a, lda, &pw.packed, c, ldc)
	}
	want := naiveQ(m, k, n, a, lda, w)
	for i := 0; i < m; i++ {
		for j := 0; j < ldc; j++ {
			got := c[i*ldc+j]
			if j >= n {
				if got != sentinel {
					t.Fatalf("%s ternary=%v m=%d k=%d n=%d: C[%d][%d] (past n) written: %d", q.name, ternary, m, k, n, i, j, got)
				}
				continue
			}
			if int64(got) != want[i*n+j] {
				t.Fatalf("%s ternary=%v m=%d k=%d n=%d: C[%d][%d] = %d, want %d", q.name, ternary, m, k, n, i, j, got, want[i*n+j])
			}
		}
	}
}

// qshapes are the shapes every path is tested on: tiny ones, every m up to
// 17 (every row count of every kernel, and partial row blocks), k and n
// off every vector width, and the inference network's layers.
func qshapes(r *rand.Rand) [][3]int {
	s := [][3]int{{1, 1, 1}, {1, 1, 2}, {2, 3, 1}, {1, 4, 1}, {3, 5, 7}, {1, 0, 5}, {4, 0, 3}, {0, 5, 5}, {5, 5, 0},
		{1, 784, 256}, {32, 784, 256}, {7, 256, 10}, {1, 1024, 1024}, {13, 4096, 70}}
	for m := 1; m <= 17; m++ {
		s = append(s, [3]int{m, 1 + r.IntN(200), 1 + r.IntN(200)})
	}
	for _, k := range []int{3, 4, 5, 63, 64, 65, 127, 129} {
		for _, n := range []int{15, 16, 17, 31, 33, 63, 64, 65, 129} {
			s = append(s, [3]int{1 + r.IntN(9), k, n})
		}
	}
	return s
}

func TestQGemmExact(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	shapes := qshapes(r)
	for _, q := range qpaths {
		for _, ternary := range []bool{false, true} {
			for _, sh := range shapes {
				m, k, n := sh[0], sh[1], sh[2]
				lda := k + r.IntN(3)
				a := randCodes(r, max(m*lda, 1), -127, 127)
				lo, hi := int8(-127), int8(127)
				if ternary {
					lo, hi = -1, 1
				}
				w := randCodes(r, k*n, lo, hi)
				qcase(t, q, ternary, m, k, n, a, lda, w)
			}
		}
	}
}

// TestQGemmExtremes fills A and W with the extreme accepted codes, where
// an int16 saturation or a wrong offset would show: all −127 or all 127
// in both, and alternating signs.
func TestQGemmExtremes(t *testing.T) {
	fill := func(n int, f func(i int) int8) []int8 {
		x := make([]int8, n)
		for i := range x {
			x[i] = f(i)
		}
		return x
	}
	vals := map[string]func(i int) int8{
		"-127": func(int) int8 { return -127 },
		"127":  func(int) int8 { return 127 },
		"alt":  func(i int) int8 { return int8(127 - 254*(i%2)) },
		"alt3": func(i int) int8 { return int8(127 - 254*((i/3)%2)) },
	}
	m, k, n := 9, 4099, 67
	for _, q := range qpaths {
		for an, af := range vals {
			for wn, wf := range vals {
				a := fill(m*k, af)
				w := fill(k*n, wf)
				t.Run(q.name+"/a="+an+"/w="+wn, func(t *testing.T) {
					qcase(t, q, false, m, k, n, a, k, w)
					tw := fill(k*n, func(i int) int8 { return wf(i) / 127 })
					qcase(t, q, true, m, k, n, a, k, tw)
				})
			}
		}
	}
}

// TestQGemmMaxK runs the largest accepted k with every product at its
// maximum: the int8 sum is 131072·127² = 2114060288, just under 2³¹.
func TestQGemmMaxK(t *testing.T) {
	if testing.Short() {
		t.Skip("large k")
	}
	k, n := MaxQuantK, 17
	a := make([]int8, k)
	w := make([]int8, k*n)
	for i := range a {
		a[i] = 127
	}
	for i := range w {
		w[i] = 127
	}
	for _, q := range qpaths {
		qcase(t, q, false, 1, k, n, a, k, w)
	}
	// Ternary: codes u = 2 scaled by 4³ in the last lane of a vector sum
	// to k·2·64·127 = 2130706432 before the exact shift; 64 columns put
	// columns in every lane.
	n = 64
	a2 := append(make([]int8, 0, 2*k), a...)
	for range k {
		a2 = append(a2, -127)
	}
	w = make([]int8, k*n)
	for i := range w {
		w[i] = 1
	}
	for _, q := range qpaths {
		qcase(t, q, true, 2, k, n, a2, k, w)
	}
}

func TestPackRejects(t *testing.T) {
	for _, q := range qpaths {
		if _, err := q.packS8([]int8{1, -128, 3, 4}, 2, 2); err == nil || !strings.Contains(err.Error(), "w[1]=-128 outside [-127, 127]") {
			t.Errorf("%s: PackS8 with -128: err = %v", q.name, err)
		}
		if _, err := q.packTernary([]int8{1, 0, 2, -1}, 2, 2); err == nil || !strings.Contains(err.Error(), "w[2]=2 outside [-1, 1]") {
			t.Errorf("%s: PackTernary with 2: err = %v", q.name, err)
		}
		if _, err := q.packS8(make([]int8, 3), 2, 2); err == nil || !strings.Contains(err.Error(), "len(w)=3 < k·n=4") {
			t.Errorf("%s: PackS8 short: err = %v", q.name, err)
		}
		if _, err := q.packTernary(nil, MaxQuantK+1, 0); err == nil || !strings.Contains(err.Error(), "> MaxQuantK") {
			t.Errorf("%s: PackTernary huge k: err = %v", q.name, err)
		}
	}
}

func TestQGemmPanicsOnShortSlice(t *testing.T) {
	w, err := PackS8(make([]int8, 6), 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(){
		"short A":   func() { GemmS8S8(2, make([]int8, 3), 2, w, make([]int32, 6), 3) },
		"short C":   func() { GemmS8S8(2, make([]int8, 4), 2, w, make([]int32, 5), 3) },
		"small lda": func() { GemmS8S8(2, make([]int8, 4), 1, w, make([]int32, 6), 3) },
		"small ldc": func() { GemmS8S8(2, make([]int8, 4), 2, w, make([]int32, 6), 2) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestQPath(t *testing.T) {
	if QPath() != qpaths[0].name {
		t.Fatalf("QPath() = %q, want %q", QPath(), qpaths[0].name)
	}
	w, err := PackTernary([]int8{1, -1}, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if w.Path() != QPath() {
		t.Fatalf("w.Path() = %q, want %q", w.Path(), QPath())
	}
	if k, n := w.Dims(); k != 1 || n != 2 {
		t.Fatalf("Dims() = %d, %d, want 1, 2", k, n)
	}
}

func TestQGemmNoAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for _, q := range qpaths {
		for _, k := range []int{64, 67} {
			m, n := 9, 70
			a := randCodes(r, m*k, -127, 127)
			pw, err := q.packTernary(randCodes(r, k*n, -1, 1), k, n)
			if err != nil {
				t.Fatal(err)
			}
			c := make([]int32, m*n)
			q.gemm(true, m, a, k, &pw.packed, c, n)
			if allocs := testing.AllocsPerRun(20, func() { q.gemm(true, m, a, k, &pw.packed, c, n) }); allocs != 0 {
				t.Errorf("%s k=%d: %v allocations per call", q.name, k, allocs)
			}
		}
	}
}

// FuzzQGemm checks every path against the reference on shapes and codes
// drawn from the fuzzer's seed.
func FuzzQGemm(f *testing.F) {
	f.Add(uint64(1), uint8(3), uint16(70), uint16(65), false)
	f.Add(uint64(2), uint8(1), uint16(4095), uint16(17), true)
	f.Fuzz(func(t *testing.T, seed uint64, m uint8, k, n uint16, ternary bool) {
		mm, kk, nn := int(m%20), int(k%1100), int(n%300)
		r := rand.New(rand.NewPCG(seed, 0))
		a := randCodes(r, max(mm*kk, 1), -127, 127)
		lo, hi := int8(-127), int8(127)
		if ternary {
			lo, hi = -1, 1
		}
		w := randCodes(r, kk*nn, lo, hi)
		for _, q := range qpaths {
			qcase(t, q, ternary, mm, kk, nn, a, kk, w)
		}
	})
}

// BenchmarkQGemm reports GOP/s (2·m·n·k integer operations per call) of
// every path on the inference network's shapes, over wall time, over the
// thread's CPU time (GOP/s-cpu, steadier when other jobs share the
// machine) and of the fastest call (GOP/s-best).
func BenchmarkQGemm(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, sh := range [][3]int{{1, 4096, 4096}, {32, 4096, 4096}, {256, 4096, 4096}, {256, 1024, 1024}, {1, 1024, 1024}, {256, 784, 256}} {
		m, k, n := sh[0], sh[1], sh[2]
		a := randCodes(r, m*k, -127, 127)
		c := make([]int32, m*n)
		for _, q := range qpaths {
			if q == goQPath && m*k*n > 1<<26 {
				continue
			}
			for _, ternary := range []bool{false, true} {
				kind := "s8"
				var pw *packed
				if ternary {
					kind = "ternary"
					w, _ := q.packTernary(randCodes(r, k*n, -1, 1), k, n)
					pw = &w.packed
				} else {
					w, _ := q.packS8(randCodes(r, k*n, -127, 127), k, n)
					pw = &w.packed
				}
				b.Run(fmt.Sprintf("%dx%dx%d/%s/%s", m, k, n, kind, q.name), func(b *testing.B) {
					best := time.Duration(1 << 62)
					cpu := measureCPU(b, func() {
						t0 := time.Now()
						q.gemm(ternary, m, a, k, pw, c, n)
						best = min(best, time.Since(t0))
					})
					ops := 2 * float64(m*k*n)
					b.ReportMetric(ops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GOP/s")
					b.ReportMetric(ops*float64(b.N)/cpu/1e9, "GOP/s-cpu")
					b.ReportMetric(ops/best.Seconds()/1e9, "GOP/s-best")
				})
			}
		}
	}
}
