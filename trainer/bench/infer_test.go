package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/trainer/nn"
)

func TestInferCases(t *testing.T) {
	cs := InferCases(KernelFP32)
	if len(cs) != 9 {
		t.Fatalf("%d cases, want 9", len(cs))
	}
	seen := map[[2]int]bool{}
	for _, c := range cs {
		if c.Kernel != KernelFP32 {
			t.Errorf("case %s: kernel %q", c, c.Kernel)
		}
		seen[[2]int{c.Hidden, c.Batch}] = true
	}
	for _, h := range []int{256, 1024, 4096} {
		for _, b := range []int{1, 32, 256} {
			if !seen[[2]int{h, b}] {
				t.Errorf("no case of hidden %d, batch %d", h, b)
			}
		}
	}
	if got, want := cs[4].String(), "fp32 784-1024-1024-10 batch 32"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

func TestInferFlops(t *testing.T) {
	tests := []struct {
		c    InferCase
		want float64
	}{
		{InferCase{Kernel: KernelFP32, Hidden: 1, Batch: 1}, 2 * (784 + 1 + 10)},
		{InferCase{Kernel: KernelFP32, Hidden: 256, Batch: 32}, 2 * (784*256 + 256*256 + 10*256) * 32},
	}
	for _, tt := range tests {
		t.Run(tt.c.String(), func(t *testing.T) {
			if got := tt.c.Flops(); got != tt.want {
				t.Errorf("Flops = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestInfer(t *testing.T) {
	cases := []InferCase{{KernelFP32, 8, 1}, {KernelFP32, 8, 5}, {KernelTernary, 8, 5}, {KernelInt8, 8, 5}, {KernelFP32, 16, 3}, {KernelInt8, 16, 3}}
	var msgs []string
	o := Options{Duration: 20 * time.Millisecond, Runs: 2, Progress: func(s string) { msgs = append(msgs, s) }}
	rs, err := Infer(context.Background(), cases, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != len(cases) || len(msgs) != len(cases) {
		t.Fatalf("%d rates and %d messages for %d cases", len(rs), len(msgs), len(cases))
	}
	for i, r := range rs {
		if r.Case != cases[i] || !(r.ExamplesPerS > 0) || !(r.GFLOPS > 0) {
			t.Errorf("rate %+v for case %s: want that case and positive rates", r, cases[i])
		}
		want := r.ExamplesPerS / float64(r.Case.Batch) * r.Case.Flops() / 1e9
		if math.Abs(r.GFLOPS-want) > 1e-9*want {
			t.Errorf("%s: %v GFLOP/s, want %v from the examples/s", r.Case, r.GFLOPS, want)
		}
		if us := r.MicrosPerBatch(); math.Abs(us*r.ExamplesPerS-1e6*float64(r.Case.Batch)) > 1e-6*us*r.ExamplesPerS {
			t.Errorf("%s: %v µs per batch at %v examples/s", r.Case, us, r.ExamplesPerS)
		}
	}
	if (InferRate{}).MicrosPerBatch() != 0 {
		t.Error("MicrosPerBatch of no rate is not 0")
	}
}

// TestInferCasesKernels: with every kernel, the kernels of one shape are
// consecutive, in the order given.
func TestInferCasesKernels(t *testing.T) {
	cs := InferCases(InferKernels...)
	if len(cs) != 27 {
		t.Fatalf("%d cases, want 27", len(cs))
	}
	for i, c := range cs {
		if want := InferKernels[i%3]; c.Kernel != want {
			t.Errorf("case %d: %s, want kernel %s", i, c, want)
		}
		if i%3 > 0 && (c.Hidden != cs[i-1].Hidden || c.Batch != cs[i-1].Batch) {
			t.Errorf("case %d: %s does not follow %s", i, c, cs[i-1])
		}
	}
}

// TestInferNetQuantized: the int8 and ternary networks quantize all three
// dense layers and predict like the fp32 network they come from on most
// examples (the ternary one, with absmean codes of random weights, is a
// coarser approximation).
func TestInferNetQuantized(t *testing.T) {
	ref, err := newInferNet(KernelFP32, 64, 1)
	if err != nil {
		t.Fatal(err)
	}
	w := withBatch(ref, 200, 2)
	want := argmaxRows(ref.Forward(w.x, false).Data)
	for kernel, agree := range map[string]float64{KernelInt8: 0.95, KernelTernary: 0.4} {
		net, err := newInferNet(kernel, 64, 1)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, l := range net.Layers {
			if _, ok := l.(*nn.IntDense); ok {
				n++
			}
		}
		if n != 3 {
			t.Errorf("%s: %d IntDense layers, want 3", kernel, n)
		}
		got := argmaxRows(net.Forward(w.x, false).Data)
		same := 0
		for i := range got {
			if got[i] == want[i] {
				same++
			}
		}
		if f := float64(same) / float64(len(got)); f < agree {
			t.Errorf("%s: agrees with fp32 on %.2f of the examples, want at least %.2f", kernel, f, agree)
		}
	}
}

// argmaxRows returns the argmax of each row of InferOut logits.
func argmaxRows(y []float32) []int {
	out := make([]int, len(y)/InferOut)
	for i := range out {
		r := y[i*InferOut : (i+1)*InferOut]
		for j, v := range r {
			if v > r[out[i]] {
				out[i] = j
			}
		}
	}
	return out
}

// TestInferNetForward: the measured work is the network's forward pass,
// giving one finite logit per class and example.
func TestInferNetForward(t *testing.T) {
	for _, kernel := range InferKernels {
		inferNetForward(t, kernel)
	}
}

func inferNetForward(t *testing.T, kernel string) {
	net, err := newInferNet(kernel, 16, 1)
	if err != nil {
		t.Fatal(err)
	}
	w := withBatch(net, 3, 2)
	if n := w.do(); n != 3 {
		t.Errorf("do = %v, want the batch 3", n)
	}
	y := net.Forward(w.x, false)
	if r, c := y.Dims(); r != 3 || c != InferOut {
		t.Fatalf("output %d×%d, want 3×%d", r, c, InferOut)
	}
	nonzero := false
	for _, v := range y.Data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Fatalf("logit %v", v)
		}
		nonzero = nonzero || v != 0
	}
	if !nonzero {
		t.Error("every logit is 0")
	}
}

func TestInferErrors(t *testing.T) {
	ctx := context.Background()
	tests := map[string][]InferCase{
		"int4 kernel":   {{Kernel: "int4", Hidden: 8, Batch: 1}},
		"zero hidden":   {{Kernel: KernelFP32, Hidden: 0, Batch: 1}},
		"zero batch":    {{Kernel: KernelFP32, Hidden: 8, Batch: 0}},
		"no kernel":     {{Hidden: 8, Batch: 1}},
		"second is bad": {{KernelFP32, 8, 1}, {KernelFP32, -1, 1}},
	}
	for name, cs := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := Infer(ctx, cs, quick); !errors.Is(err, ErrOptions) {
				t.Errorf("error %v, want ErrOptions", err)
			}
		})
	}
	if _, err := Infer(ctx, InferCases(KernelFP32)[:1], Options{Duration: -1}); !errors.Is(err, ErrOptions) {
		t.Errorf("negative duration: error %v, want ErrOptions", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Infer(cctx, []InferCase{{KernelFP32, 8, 1}}, Options{Duration: time.Hour}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v, want context.Canceled", err)
	}
}

// BenchmarkInfer measures the forward pass of goglove bench infer's cases,
// as BenchmarkInfer/ternary/hidden=1024/batch=32, on one goroutine.
func BenchmarkInfer(b *testing.B) {
	for _, kernel := range InferKernels {
		for _, h := range InferHidden {
			benchmarkInfer(b, kernel, h)
		}
	}
}

func benchmarkInfer(b *testing.B, kernel string, h int) {
	b.Run(fmt.Sprintf("%s/hidden=%d", kernel, h), func(b *testing.B) {
		net, err := newInferNet(kernel, h, 1)
		if err != nil {
			b.Fatal(err)
		}
		for _, batch := range InferBatches {
			b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
				w := withBatch(net, batch, 2)
				w.do() // sizes the layers' buffers
				c := InferCase{Kernel: kernel, Hidden: h, Batch: batch}
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				n := 0
				for b.Loop() {
					w.do()
					n++
				}
				s := b.Elapsed().Seconds()
				b.ReportMetric(float64(n*batch)/s, "examples/s")
				b.ReportMetric(float64(n)*c.Flops()/s/1e9, "GFLOP/s")
			})
		}
	})
}
