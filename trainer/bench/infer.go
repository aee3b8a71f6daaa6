package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/c2602f9e/goglove/internal/stats"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/internal/kernels"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// The sizes of the inference network 784-H-H-10 and the kernels Infer
// measures.
const (
	// InferIn is the input width of the inference network (a 28×28
	// image) and InferOut its number of classes.
	InferIn, InferOut = 784, 10
	// KernelFP32 is the float32 forward pass of package nn (nn.Dense on
	// the float32 GEMM).
	KernelFP32 = "fp32"
	// KernelInt8 is the same network with every dense layer an
	// nn.IntDense of int8 codes (one scale per output unit) on int8
	// activations: the int8 × int8 GEMM.
	KernelInt8 = "int8"
	// KernelTernary is the same network with every dense layer an
	// nn.IntDense of ternary codes (one absmean scale per layer) on int8
	// activations: the packed-ternary × int8 GEMM.
	KernelTernary = "ternary"
)

// InferKernels are the kernels of goglove bench infer, in the order of its
// rows.
var InferKernels = []string{KernelFP32, KernelInt8, KernelTernary}

// The sizes of goglove bench infer: its 9 figures are every hidden width
// at every batch size.
var (
	InferHidden  = []int{256, 1024, 4096}
	InferBatches = []int{1, 32, 256}
)

// InferCase is one figure of Infer: the forward pass of the network
// 784-Hidden-Hidden-10 (ReLU after each hidden layer) on a batch of Batch
// examples, computed by Kernel.
type InferCase struct {
	Kernel        string
	Hidden, Batch int
}

// InferCases returns the cases of goglove bench infer: every kernel at
// every hidden width of InferHidden and batch size of InferBatches, by
// width, then batch, then kernel, so that the kernels of one shape are
// measured one after the other.
func InferCases(kernels ...string) []InferCase {
	var out []InferCase
	for _, h := range InferHidden {
		for _, b := range InferBatches {
			for _, k := range kernels {
				out = append(out, InferCase{Kernel: k, Hidden: h, Batch: b})
			}
		}
	}
	return out
}

// String returns the case as "fp32 784-1024-1024-10 batch 32".
func (c InferCase) String() string {
	return fmt.Sprintf("%s %d-%d-%d-%d batch %d", c.Kernel, InferIn, c.Hidden, c.Hidden, InferOut, c.Batch)
}

// Flops returns the floating-point operations of one forward pass, the
// multiply-adds of its dense layers counted twice: 2·(784·H + H² + 10·H)
// per example (biases and ReLUs are not counted).
func (c InferCase) Flops() float64 {
	h := float64(c.Hidden)
	return 2 * (InferIn*h + h*h + InferOut*h) * float64(c.Batch)
}

func (c InferCase) check() error {
	if c.Kernel != KernelFP32 && c.Kernel != KernelInt8 && c.Kernel != KernelTernary {
		return fmt.Errorf("%w: inference kernel %q, want %s, %s or %s", ErrOptions, c.Kernel, KernelFP32, KernelInt8, KernelTernary)
	}
	if c.Hidden < 1 || c.Batch < 1 {
		return fmt.Errorf("%w: inference case %s, want a positive hidden width and batch", ErrOptions, c)
	}
	return nil
}

// InferRate is the speed of one forward pass on one goroutine locked to
// its thread.
type InferRate struct {
	Case InferCase
	// ExamplesPerS is examples per second over wall time; ExamplesPerCPUS
	// the same over the thread's CPU time (0 where not measured).
	ExamplesPerS, ExamplesPerCPUS float64
	// GFLOPS is Case.Flops per forward pass at ExamplesPerS, in GFLOP/s.
	GFLOPS float64
}

// MicrosPerBatch returns the wall time of one forward pass in
// microseconds: the latency of a batch.
func (r InferRate) MicrosPerBatch() float64 {
	if !(r.ExamplesPerS > 0) {
		return 0
	}
	return 1e6 * float64(r.Case.Batch) / r.ExamplesPerS
}

// inferNet is a network of InferCase's shape with random inputs: its unit
// of work is one forward pass in evaluation mode (no gradient).
type inferNet struct {
	net   *nn.Sequential
	x     *tensor.Tensor
	batch float64
}

// newInferNet builds the network of width hidden for kernel: the
// trainer.MLP of two hidden layers with ReLU, initialized from seed, with
// its dense layers (all three) quantized by nn.NewIntDenseFrom for the
// int8 and ternary kernels.
func newInferNet(kernel string, hidden int, seed uint64) (*nn.Sequential, error) {
	net, err := trainer.MLP{Hidden: []int{hidden, hidden}, Activation: "relu"}.Network(InferIn, InferOut, seed)
	if err != nil || kernel == KernelFP32 {
		return net, err
	}
	kind := nn.IntDenseInt8
	if kernel == KernelTernary {
		kind = nn.IntDenseTernary
	}
	layers := make([]nn.Layer, len(net.Layers))
	for i, l := range net.Layers {
		layers[i] = l
		if d, ok := l.(*nn.Dense); ok {
			if layers[i], err = nn.NewIntDenseFrom(d, kind, false); err != nil {
				return nil, fmt.Errorf("bench: inference network %s of width %d: layer %d: %w", kernel, hidden, i, err)
			}
		}
	}
	return nn.NewSequential(layers...), nil
}

// withBatch returns net fed a random batch of the given size.
func withBatch(net *nn.Sequential, batch int, seed uint64) *inferNet {
	rng := rand.New(rand.NewPCG(seed, uint64(batch)))
	x := tensor.New(batch, InferIn)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	return &inferNet{net: net, x: x, batch: float64(batch)}
}

func (n *inferNet) do() float64 {
	n.net.Forward(n.x, false)
	return n.batch
}

// Infer measures the forward pass of each case on one goroutine locked to
// its thread: one core. Cases of the same kernel and hidden width share
// one network while consecutive cases keep that width.
func Infer(ctx context.Context, cases []InferCase, o Options) ([]InferRate, error) {
	o = o.withDefaults()
	if err := o.check(); err != nil {
		return nil, err
	}
	for _, c := range cases {
		if err := c.check(); err != nil {
			return nil, err
		}
	}
	per := o.Duration / time.Duration(o.Runs)
	out := make([]InferRate, len(cases))
	nets := map[string]*nn.Sequential{}
	for i, c := range cases {
		if i > 0 && c.Hidden != cases[i-1].Hidden {
			clear(nets)
		}
		net := nets[c.Kernel]
		if net == nil {
			var err error
			if net, err = newInferNet(c.Kernel, c.Hidden, 1); err != nil {
				return nil, err
			}
			nets[c.Kernel] = net
		}
		w := withBatch(net, c.Batch, 2)
		if _, _, err := rate(ctx, w, o.warmup()); err != nil {
			return nil, err
		}
		var wall, cpu []float64
		for range o.Runs {
			r, rc, err := rate(ctx, w, per)
			if err != nil {
				return nil, err
			}
			wall, cpu = append(wall, r), append(cpu, rc)
		}
		r := InferRate{Case: c, ExamplesPerS: stats.Median(wall), ExamplesPerCPUS: stats.Median(cpu)}
		r.GFLOPS = r.ExamplesPerS / float64(c.Batch) * c.Flops() / 1e9
		out[i] = r
		o.progress("infer %s: %.0f examples/s, %.1f GFLOP/s", c, r.ExamplesPerS, r.GFLOPS)
	}
	return out, nil
}

// IntKernelPath names the integer kernel implementation of the int8 and
// ternary kernels on this machine: "avx512vnni", "avx2" or "go".
func IntKernelPath() string { return kernels.QPath() }
