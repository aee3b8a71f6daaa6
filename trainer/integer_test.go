package trainer_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// integerProgram is a quantized Sequential with a residual block, on the
// synthetic data; QUANT is replaced by a quantizer.
const integerProgram = `
_type: trainer.Classifier
data: {_type: trainer.Synthetic, train: 3000, validation: 0, test: 1000, features: 32, classes: 5}
model:
  _type: trainer.Sequential
  quant: QUANT
  layers:
  - {_type: trainer.Dense, units: 64, init: he_uniform}
  - {_type: trainer.ReLU}
  - {_type: trainer.Residual, body: [{_type: trainer.Dense, units: 64, init: he_uniform}, {_type: trainer.ReLU}]}
  - {_type: trainer.Dense, units: 5}
optimizer: {_type: trainer.AdamW, lr: 0.005}
epochs: 4
batch: 64
`

// TestIntegerNetworkMatchesFakeQuant trains quantized models and runs
// their test sets both ways: fake-quantized fp32 (as trained) and on the
// integer kernels. One layer agrees to float32 rounding (the kernels'
// tests); through a network a rounding difference can move a later
// layer's activation across a quantization boundary, one step of s/127,
// so the logits agree to about 1%, predictions but for near ties, and
// accuracy within a few tenths of a point.
func TestIntegerNetworkMatchesFakeQuant(t *testing.T) {
	for _, quant := range []string{
		"{_type: trainer.Ternary, scale: absmean}",
		"{_type: trainer.Ternary, scale: absmedian}",
		"{_type: trainer.Int8, per: tensor}",
		"{_type: trainer.Int8, per: row, norm: true}",
	} {
		c := decode(t, strings.Replace(integerProgram, "QUANT", quant, 1))
		tr, err := c.TrainedModel(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		fast, err := tr.IntegerNetwork()
		if err != nil {
			t.Fatal(err)
		}
		if n := countIntDense(fast); n != 3 {
			t.Fatalf("%s: %d integer layers, want 3", quant, n)
		}
		splits, err := c.Data.Load()
		if err != nil {
			t.Fatal(err)
		}
		s := splits.Test
		x := tensor.FromData(s.X[:s.N*s.Features], s.N, s.Features)
		want := tensor.FromData(append([]float32(nil), tr.Net.Forward(x, false).Data...), s.N, 5)
		got := fast.Forward(x, false)
		agree, scale, maxDiff := 0, 0.0, 0.0
		for i := range s.N {
			w, g := want.Data[i*5:i*5+5], got.Data[i*5:i*5+5]
			if argmax(w) == argmax(g) {
				agree++
			}
			for j := range w {
				scale = max(scale, math.Abs(float64(w[j])))
				maxDiff = max(maxDiff, math.Abs(float64(w[j]-g[j])))
			}
		}
		if maxDiff > 0.01*scale {
			t.Errorf("%s: logits differ by up to %g (largest logit %g)", quant, maxDiff, scale)
		}
		if agree < s.N-5 {
			t.Errorf("%s: %d of %d predictions agree", quant, agree, s.N)
		}
		acc := tr.Metrics[trainer.MetricTestAccuracy]
		fastAcc := float64(agreeWith(got, s.Y[:s.N])) / float64(s.N)
		t.Logf("%s: accuracy %v as trained, %v on the integer kernels; %d of %d predictions agree; logits differ by up to %.3g of the largest", quant, acc, fastAcc, agree, s.N, maxDiff/scale)
		if math.Abs(fastAcc-acc) > 0.003 || acc < 0.7 {
			t.Errorf("%s: accuracy %v on the integer kernels, %v as trained", quant, fastAcc, acc)
		}
	}
}

func countIntDense(s *nn.Sequential) int {
	n := 0
	for _, l := range s.Layers {
		switch l := l.(type) {
		case *nn.IntDense:
			n++
		case *nn.Residual:
			n += countIntDense(l.Body)
		}
	}
	return n
}

func argmax(v []float32) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// agreeWith counts the rows of logits whose argmax is the label.
func agreeWith(logits *tensor.Tensor, y []int32) int {
	n, k := logits.Dims()
	c := 0
	for i := range n {
		if argmax(logits.Data[i*k:i*k+k]) == int(y[i]) {
			c++
		}
	}
	return c
}
