package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// benchShapes are the shapes a training step of the benchmark MLPs calls:
// for a dense layer in→out at batch B, the forward pass is NN m=B n=out
// k=in, the weight gradient TN m=in n=out k=B and the input gradient NT
// m=B n=in k=out.
var benchShapes = []struct {
	name           string
	transA, transB bool
	m, n, k        int
}{
	{"512cube", false, false, 512, 512, 512},
}

func init() {
	for _, l := range []struct{ batch, in, out int }{{128, 784, 512}, {128, 512, 512}, {128, 512, 10}, {32, 64, 32}, {32, 32, 10}} {
		tag := fmt.Sprintf("b%d_%dx%d", l.batch, l.in, l.out)
		benchShapes = append(benchShapes,
			struct {
				name           string
				transA, transB bool
				m, n, k        int
			}{tag + "_fwd", false, false, l.batch, l.out, l.in},
			struct {
				name           string
				transA, transB bool
				m, n, k        int
			}{tag + "_dW", true, false, l.in, l.out, l.batch},
			struct {
				name           string
				transA, transB bool
				m, n, k        int
			}{tag + "_dX", false, true, l.batch, l.in, l.out})
	}
}

// BenchmarkGemm runs every shape on every supported path and reports
// GFLOP/s (2·m·n·k per call) over wall time and over the thread's CPU time
// (GFLOP/s-cpu, steadier when other jobs share the machine), and of its
// fastest call (GFLOP/s-best).
func BenchmarkGemm(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, s := range benchShapes {
		for _, g := range impls {
			b.Run(s.name+"/"+g.name, func(b *testing.B) {
				a := randSlice(r, s.m*s.k)
				bm := randSlice(r, s.k*s.n)
				c := randSlice(r, s.m*s.n)
				lda, ldb := s.k, s.n
				if s.transA {
					lda = s.m
				}
				if s.transB {
					ldb = s.k
				}
				b.ReportAllocs()
				b.ResetTimer()
				best := time.Duration(1 << 62)
				cpu := measureCPU(b, func() {
					t0 := time.Now()
					g.gemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bm, ldb, 0, c, s.n)
					best = min(best, time.Since(t0))
				})
				flops := 2 * float64(s.m*s.n*s.k) * float64(b.N)
				b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				b.ReportMetric(flops/cpu/1e9, "GFLOP/s-cpu")
				// The fastest call: on a shared machine, steadier than the mean.
				b.ReportMetric(2*float64(s.m*s.n*s.k)/best.Seconds()/1e9, "GFLOP/s-best")
			})
		}
	}
}
