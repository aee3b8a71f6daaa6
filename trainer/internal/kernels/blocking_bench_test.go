package kernels

import "testing"

// noopKernel and the no-op packers stand in for the assembly in
// BenchmarkBlockingOverhead.
//
//go:noinline
func noopKernel(kc int, a *float32, rsA, csA int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mr int, mask uint32, rs *int32) {
}

func noopPackA(dst []float32, transA bool, a []float32, lda, ic, pc, mr, kc int) {}
func noopPackB(dst []float32, transB bool, b []float32, ldb, pc, jc, kc, nc int) {}

// BenchmarkBlockingOverhead measures what the blocking skeleton costs a
// call, apart from the kernels: gemmBlocked on blockings shaped like the
// avx512 one (14×32 tiles, masks, narrow and short kernels) and the avx2
// one (6×16, scratch tiles; its merges and partial-panel copies are real
// work) whose kernels and packers do nothing, on the small shapes of a
// 64-32-10 MLP at batch 32, where the fixed cost of a call matters most.
// It reports thread-CPU ns per call.
func BenchmarkBlockingOverhead(b *testing.B) {
	rows := func(MR int, k4, k8, k f32Kernel) []f32Kernel {
		ks := make([]f32Kernel, MR)
		for r := range ks {
			ks[r] = k
			if r < 8 {
				ks[r] = k8
			}
			if r < 4 {
				ks[r] = k4
			}
		}
		return ks
	}
	// inPlace serves the row counts in counts.
	inPlace := func(MR int, k f32Kernel, counts ...int) []f32Kernel {
		ks := make([]f32Kernel, MR)
		for _, r := range counts {
			ks[r-1] = k
		}
		return ks
	}
	blockings := []struct {
		name string
		g    *f32Blocking
	}{
		{"avx512-like", &f32Blocking{mr: 14, nr: 32, kc: 256, nc: 512,
			packed: rows(14, noopKernel, noopKernel, noopKernel), packedNarrow: rows(14, noopKernel, noopKernel, noopKernel),
			inPlace: inPlace(14, noopKernel, 4, 8, 14), inPlaceNarrow: inPlace(14, noopKernel, 4, 8, 14), narrow: 16, inPlaceCols: 64,
			rowsExact: true, colsMasked: true, directB: true, packA: noopPackA, packB: noopPackB}},
		{"avx2-like", &f32Blocking{mr: 6, nr: 16, kc: 256, nc: 512,
			packed: rows(6, noopKernel, noopKernel, noopKernel), inPlace: inPlace(6, noopKernel, 6), inPlaceCols: 32, inPlaceWide: true,
			directB: true, packA: noopPackA, packB: noopPackB}},
	}
	a, bm, c := make([]float32, 4096), make([]float32, 4096), make([]float32, 4096)
	for _, s := range []struct {
		name    string
		tA, tB  bool
		m, n, k int
	}{{"32x10x32_fwd", false, false, 32, 10, 32}, {"32x10x32_dW", true, false, 32, 10, 32}, {"32x32x10_dX", false, true, 32, 32, 10}, {"32x32x64_fwd", false, false, 32, 32, 64}} {
		for _, g := range blockings {
			b.Run(s.name+"/"+g.name, func(b *testing.B) {
				lda, ldb := s.k, s.n
				if s.tA {
					lda = s.m
				}
				if s.tB {
					ldb = s.k
				}
				cpu := measureCPU(b, func() {
					gemmBlocked(g.g, s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, bm, ldb, 0, c, s.n)
				})
				b.ReportMetric(cpu/float64(b.N)*1e9, "ns-cpu/call")
			})
		}
	}
}
