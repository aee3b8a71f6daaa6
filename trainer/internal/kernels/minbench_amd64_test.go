//go:build !purego

package kernels

import (
	"testing"

	"golang.org/x/sys/cpu"
)

// BenchmarkKernel14x32L1 measures the AVX-512 14×32 micro-kernel alone,
// on packed panels that stay in L1 (kc = 256): the ceiling the blocked
// GEMM of BenchmarkGemm approaches, to compare with BenchmarkFMAPeak.
func BenchmarkKernel14x32L1(b *testing.B) {
	if !cpu.X86.HasAVX512F {
		b.Skip("this CPU has no AVX-512")
	}
	const kc = 256
	ap := make([]float32, 14*kc)
	bp := make([]float32, 32*kc)
	cp := make([]float32, 14*32)
	cpuTime := measureCPU(b, func() {
		gemmKernel512P(kc, &ap[0], 1, 14, &bp[0], 32, &cp[0], 32, 1, 1, 14, 0xffffffff, nil)
	})
	flops := 2 * 14 * 32 * kc * float64(b.N)
	b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	b.ReportMetric(flops/cpuTime/1e9, "GFLOP/s-cpu")
}

// BenchmarkFMAPeak is the yardstick for the GEMM figures: 24 independent
// AVX-512 FMA chains, the attainable peak of the moment.
func BenchmarkFMAPeak(b *testing.B) {
	if !cpu.X86.HasAVX512F {
		b.Skip("this CPU has no AVX-512")
	}
	cpuTime := measureCPU(b, func() { fmaPeak512(10000) })
	b.ReportMetric(24*32*10000*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	b.ReportMetric(24*32*10000*float64(b.N)/cpuTime/1e9, "GFLOP/s-cpu")
}
