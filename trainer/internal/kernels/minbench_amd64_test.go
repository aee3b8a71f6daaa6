//go:build !purego

package kernels

import (
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMinTimes is a development aid: with KERNELS_MINTIME=1 it prints the
// best-of-many time of each benchmark shape per path, which on a shared
// machine is steadier than a mean.
func TestMinTimes(t *testing.T) {
	if os.Getenv("KERNELS_MINTIME") == "" {
		t.Skip("set KERNELS_MINTIME=1")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	filter := os.Getenv("KERNELS_MINTIME")
	for _, s := range benchShapes {
		if filter != "1" && !strings.Contains(s.name, filter) {
			continue
		}
		a := make([]float32, s.m*s.k)
		bm := make([]float32, s.k*s.n)
		c := make([]float32, s.m*s.n)
		for i := range a {
			a[i] = float32(i%7) - 3
		}
		for i := range bm {
			bm[i] = float32(i%5) - 2
		}
		lda, ldb := s.k, s.n
		if s.transA {
			lda = s.m
		}
		if s.transB {
			ldb = s.k
		}
		line := s.name
		reps := max(20, int(2e8/float64(2*s.m*s.n*s.k+1)))
		for _, g := range impls {
			if g.name == "go" {
				continue
			}
			best := time.Hour
			for range reps {
				t0 := time.Now()
				g.gemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bm, ldb, 0, c, s.n)
				best = min(best, time.Since(t0))
			}
			line += " " + g.name + "=" + strings.TrimSpace(strings.Repeat(" ", 1)) +
				formatG(2*float64(s.m*s.n*s.k)/best.Seconds()/1e9)
		}
		t.Log(line)
	}
	best := time.Hour
	for range 200 {
		t0 := time.Now()
		fmaPeak512(1000)
		best = min(best, time.Since(t0))
	}
	t.Logf("fma peak %s", formatG(24*32*1000/best.Seconds()/1e9))
	// The 14×32 kernel alone, on L1-resident packed panels.
	const kc = 256
	ap := make([]float32, 14*kc)
	bp := make([]float32, 32*kc)
	cp := make([]float32, 14*32)
	best = time.Hour
	for range 2000 {
		t0 := time.Now()
		for range 10 {
			gemmKernel512P(kc, &ap[0], 1, 14, &bp[0], 32, &cp[0], 32, 1, 1, 14, 0xffffffff)
		}
		best = min(best, time.Since(t0))
	}
	t.Logf("kernel 14x32 kc=%d in L1: %s", kc, formatG(10*2*14*32*kc/best.Seconds()/1e9))
}

func formatG(x float64) string {
	return strings.TrimRight(strings.TrimRight(time.Duration(x*1000).String(), "µs"), "ns")
}

// BenchmarkFMAPeak is the yardstick for the GEMM figures: 24 independent
// AVX-512 FMA chains, the attainable peak of the moment.
func BenchmarkFMAPeak(b *testing.B) {
	cpu := measureCPU(b, func() { fmaPeak512(10000) })
	b.ReportMetric(24*32*10000*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	b.ReportMetric(24*32*10000*float64(b.N)/cpu/1e9, "GFLOP/s-cpu")
}
