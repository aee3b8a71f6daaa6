package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/c2602f9e/goglove/internal/stats"
	"github.com/c2602f9e/goglove/trainer/internal/kernels"
)

// Shape is one GEMM call, C[M×N] = op(A)[M×K] · op(B)[K×N], where op
// transposes A or B when TransA or TransB is set.
type Shape struct {
	// Name says where the shape comes from: "512^3", "784-512 fwd".
	Name           string
	TransA, TransB bool
	M, N, K        int
}

// String returns the shape as "NN 128×512×784" (M×N×K).
func (s Shape) String() string {
	t := func(b bool) string {
		if b {
			return "T"
		}
		return "N"
	}
	return fmt.Sprintf("%s%s %d×%d×%d", t(s.TransA), t(s.TransB), s.M, s.N, s.K)
}

// Cube is the 512×512×512 GEMM without transposes.
var Cube = Shape{Name: "512^3", M: 512, N: 512, K: 512}

// DenseShapes returns the GEMMs of a training step of m: for each dense
// layer in→out at batch B, the forward pass Y = X·W (NN, B×out×in), the
// weight gradient dW = Xᵀ·dY (TN, in×out×B) and, for every layer but the
// first, the input gradient dX = dY·Wᵀ (NT, B×in×out).
func DenseShapes(m Model) []Shape {
	var out []Shape
	for l := 0; l+1 < len(m.Widths); l++ {
		in, o, b := m.Widths[l], m.Widths[l+1], m.Batch
		tag := fmt.Sprintf("%d-%d", in, o)
		out = append(out,
			Shape{Name: tag + " fwd", M: b, N: o, K: in},
			Shape{Name: tag + " dW", TransA: true, M: in, N: o, K: b})
		if l > 0 {
			out = append(out, Shape{Name: tag + " dX", TransB: true, M: b, N: in, K: o})
		}
	}
	return out
}

// Flops returns the floating-point operations of one call: 2·M·N·K.
func (s Shape) Flops() float64 { return 2 * float64(s.M) * float64(s.N) * float64(s.K) }

// GemmRate is the speed of one GEMM shape on one goroutine, in GFLOP/s
// over wall time and over the thread's CPU time (0 where not measured).
type GemmRate struct {
	Shape       Shape
	GFLOPS      float64
	GFLOPSOnCPU float64
}

// gemmCall is one GEMM shape with its operands: a unit of work.
type gemmCall struct {
	s        Shape
	a, b, c  []float32
	lda, ldb int
}

func newGemmCall(s Shape) *gemmCall {
	rng := rand.New(rand.NewPCG(uint64(s.M), uint64(s.N*s.K)))
	fill := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = rng.Float32()*2 - 1
		}
		return x
	}
	g := &gemmCall{s: s, a: fill(s.M * s.K), b: fill(s.K * s.N), c: fill(s.M * s.N), lda: s.K, ldb: s.N}
	if s.TransA {
		g.lda = s.M
	}
	if s.TransB {
		g.ldb = s.K
	}
	return g
}

func (g *gemmCall) do() float64 {
	kernels.Gemm(g.s.TransA, g.s.TransB, g.s.M, g.s.N, g.s.K, 1, g.a, g.lda, g.b, g.ldb, 0, g.c, g.s.N)
	return g.s.Flops()
}

// Gemm measures the GFLOP/s of each shape on one goroutine, with the
// kernel path of this machine (KernelPath).
func Gemm(ctx context.Context, shapes []Shape, o Options) ([]GemmRate, error) {
	o = o.withDefaults()
	if err := o.check(); err != nil {
		return nil, err
	}
	for _, s := range shapes {
		if s.M < 1 || s.N < 1 || s.K < 1 {
			return nil, fmt.Errorf("%w: GEMM %q is %s, want positive sizes", ErrOptions, s.Name, s)
		}
	}
	per := o.Duration / time.Duration(o.Runs)
	out := make([]GemmRate, len(shapes))
	for i, s := range shapes {
		g := newGemmCall(s)
		if _, _, err := rate(ctx, g, o.warmup()); err != nil {
			return nil, err
		}
		var wall, cpu []float64
		for range o.Runs {
			w, c, err := rate(ctx, g, per)
			if err != nil {
				return nil, err
			}
			wall, cpu = append(wall, w/1e9), append(cpu, c/1e9)
		}
		out[i] = GemmRate{Shape: s, GFLOPS: stats.Median(wall), GFLOPSOnCPU: stats.Median(cpu)}
		o.progress("gemm %s (%s): %.1f GFLOP/s", s.Name, s, out[i].GFLOPS)
	}
	return out, nil
}

// KernelPath names the kernel implementation this machine uses: "avx512",
// "avx2" or "go".
func KernelPath() string { return kernels.Path() }
