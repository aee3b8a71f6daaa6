package bench

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

var quick = Options{Duration: 30 * time.Millisecond, Runs: 2}

func TestTrain(t *testing.T) {
	for _, m := range []Model{Tiny, {Name: "linear", Widths: []int{5, 3}, Batch: 4}} {
		t.Run(m.Name, func(t *testing.T) {
			var msgs []string
			o := quick
			o.Progress = func(s string) { msgs = append(msgs, s) }
			r, err := Train(context.Background(), m, o)
			if err != nil {
				t.Fatal(err)
			}
			if r.One <= 0 || r.Best() < r.One || r.Trials < 1 || (r.Trials > 1) != (r.Parallel > 0) {
				t.Errorf("throughput %+v: want positive rates, Parallel set when Trials > 1", r)
			}
			if len(msgs) != 1 {
				t.Errorf("progress %q, want one message", msgs)
			}
		})
	}
}

func TestGemm(t *testing.T) {
	shapes := append(DenseShapes(Tiny), Shape{Name: "small", M: 3, N: 5, K: 7})
	rs, err := Gemm(context.Background(), shapes, quick)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.GFLOPS <= 0 {
			t.Errorf("%s: %v GFLOP/s, want > 0", r.Shape.Name, r.GFLOPS)
		}
	}
	if KernelPath() == "" {
		t.Error("KernelPath is empty")
	}
}

func TestDenseShapes(t *testing.T) {
	got := fmt.Sprint(DenseShapes(MLP))
	want := "[NN 128×512×784 TN 784×512×128 NN 128×512×512 TN 512×512×128 NT 128×512×512 NN 128×10×512 TN 512×10×128 NT 128×512×10]"
	if got != want {
		t.Errorf("DenseShapes(MLP) = %s, want %s", got, want)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	cases := map[string]error{}
	_, cases["no layers"] = Train(ctx, Model{Name: "x", Widths: []int{3}, Batch: 1}, quick)
	_, cases["zero batch"] = Train(ctx, Model{Name: "x", Widths: []int{3, 2}}, quick)
	_, cases["zero width"] = Train(ctx, Model{Name: "x", Widths: []int{3, 0, 2}, Batch: 1}, quick)
	_, cases["negative duration"] = Train(ctx, Tiny, Options{Duration: -1})
	_, cases["empty GEMM"] = Gemm(ctx, []Shape{{Name: "e", M: 0, N: 1, K: 1}}, quick)
	for name, err := range cases {
		if !errors.Is(err, ErrOptions) {
			t.Errorf("%s: error %v, want ErrOptions", name, err)
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Train(ctx, Tiny, Options{Duration: time.Hour}); !errors.Is(err, context.Canceled) {
		t.Errorf("Train: error %v, want context.Canceled", err)
	}
	if _, err := Gemm(ctx, []Shape{Cube}, Options{Duration: time.Hour}); !errors.Is(err, context.Canceled) {
		t.Errorf("Gemm: error %v, want context.Canceled", err)
	}
}
