package bench

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/trainer/nn"
)

func latencyNets(t *testing.T, kernel string, hidden, n int) []*nn.Sequential {
	t.Helper()
	var nets []*nn.Sequential
	for range n {
		net, err := newInferNet(kernel, hidden, 1)
		if err != nil {
			t.Fatal(err)
		}
		nets = append(nets, net)
	}
	return nets
}

// TestMeasureLatency: a batch is split over the threads given (no more
// than its rows), and a batch of 256 takes far longer than one example.
func TestMeasureLatency(t *testing.T) {
	ctx := context.Background()
	o := Options{Duration: 40 * time.Millisecond, Runs: 2}
	for _, k := range InferKernels {
		t.Run(k, func(t *testing.T) {
			one, err := MeasureLatency(ctx, latencyNets(t, k, 256, 1), InferIn, 1, o)
			if err != nil {
				t.Fatal(err)
			}
			big, err := MeasureLatency(ctx, latencyNets(t, k, 256, 1), InferIn, 256, o)
			if err != nil {
				t.Fatal(err)
			}
			shared, err := MeasureLatency(ctx, latencyNets(t, k, 256, 2), InferIn, 256, o)
			if err != nil {
				t.Fatal(err)
			}
			if one.Threads != 1 || big.Threads != 1 || shared.Threads != 2 || one.Batch != 1 || shared.Batch != 256 {
				t.Errorf("threads %d, %d and %d, batches %d and %d; want 1, 1, 2, 1, 256", one.Threads, big.Threads, shared.Threads, one.Batch, shared.Batch)
			}
			if !(one.PerBatch > 0) || !(one.Mean > 0) || !(shared.PerBatch > 0) || big.PerBatch < 8*one.PerBatch {
				t.Errorf("a batch of 1 takes %v, of 256 %v (on 2 threads %v); want the second at least 8 times the first", one.PerBatch, big.PerBatch, shared.PerBatch)
			}
			if one.MicrosPerExample() <= big.MicrosPerExample() {
				t.Errorf("per example: %v µs at batch 1, %v µs at batch 256; want batching to pay", one.MicrosPerExample(), big.MicrosPerExample())
			}
		})
	}
	single, err := MeasureLatency(ctx, latencyNets(t, KernelFP32, 8, 3), InferIn, 1, o)
	if err != nil || single.Threads != 1 {
		t.Errorf("a batch of 1 on 3 networks: %+v, %v; want 1 thread", single, err)
	}
	for _, bad := range []struct {
		nets            int
		features, batch int
	}{{0, InferIn, 1}, {1, 0, 1}, {1, InferIn, 0}} {
		if _, err := MeasureLatency(ctx, latencyNets(t, KernelFP32, 8, bad.nets), bad.features, bad.batch, o); !errors.Is(err, ErrOptions) {
			t.Errorf("%+v: %v, want ErrOptions", bad, err)
		}
	}
}
