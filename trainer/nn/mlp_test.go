package nn

import (
	"math"
	"testing"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// blobs returns n points of dim features in classes Gaussian-ish clusters.
func blobs(seed uint64, n, features, classes int) (*tensor.Tensor, []int32) {
	rng := NewRand(seed, 0)
	centers := randMatrix(rng, classes, features, 0)
	x := tensor.New(n, features)
	y := make([]int32, n)
	for i := range n {
		c := rng.IntN(classes)
		y[i] = int32(c)
		for j := range features {
			x.Data[i*features+j] = 2*centers.Data[c*features+j] + float32(rng.NormFloat64()*0.5)
		}
	}
	return x, y
}

func newTestMLP(t testing.TB, c MLPConfig, opt Optimizer) *MLP {
	t.Helper()
	m, err := NewMLP(c, opt, Constant(0.01))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMLPLearns(t *testing.T) {
	for _, act := range []Activation{ActReLU, ActGELU, ActTanh} {
		t.Run(string(act), func(t *testing.T) {
			x, y := blobs(1, 256, 8, 3)
			m := newTestMLP(t, MLPConfig{In: 8, Out: 3, Hidden: []int{16}, Activation: act, LayerNorm: true, Dropout: 0.1, Seed: 3}, NewAdamW(0))
			loss0, _ := m.Evaluate(x, y, 64)
			for range 30 {
				for lo := 0; lo < 256; lo += 32 {
					m.TrainStep(tensor.FromData(x.Data[lo*8:(lo+32)*8], 32, 8), y[lo:lo+32])
				}
			}
			loss, acc := m.Evaluate(x, y, 100)
			if loss >= loss0/4 || acc < 0.95 {
				t.Errorf("loss %g → %g, accuracy %g", loss0, loss, acc)
			}
		})
	}
}

func TestMLPParamNames(t *testing.T) {
	m := newTestMLP(t, MLPConfig{In: 4, Out: 2, Hidden: []int{8, 8}, Activation: ActReLU, LayerNorm: true}, &SGD{})
	var names []string
	for _, p := range m.Net.Params() {
		names = append(names, p.Name+tensor.ShapeString(p.Value.Shape))
	}
	want := []string{"layers[0].w[4 8]", "layers[0].b[8]", "layers[1].gain[8]", "layers[1].bias[8]",
		"layers[3].w[8 8]", "layers[3].b[8]", "layers[4].gain[8]", "layers[4].bias[8]", "layers[6].w[8 2]", "layers[6].b[2]"}
	if len(names) != len(want) {
		t.Fatalf("params %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Errorf("param %d = %s, want %s", i, names[i], want[i])
		}
	}
	if got := m.Net.NumParams(); got != 4*8+8+16+64+8+16+16+2 {
		t.Errorf("NumParams = %d", got)
	}
	if p := m.Net.Param("layers[3].w"); p == nil || p.Value != m.Net.Layers[3].(*Dense).W.Value {
		t.Error("Param(layers[3].w) does not share the layer's weights")
	}
}

func TestMLPDeterministic(t *testing.T) {
	x, y := blobs(2, 96, 6, 4)
	run := func() ([]float32, float64) {
		m := newTestMLP(t, MLPConfig{In: 6, Out: 4, Hidden: []int{10, 10}, Activation: ActGELU, Dropout: 0.2, Seed: 11}, NewAdamW(0.01))
		for lo := 0; lo < 96; lo += 32 {
			m.TrainStep(tensor.FromData(x.Data[lo*6:(lo+32)*6], 32, 6), y[lo:lo+32])
		}
		loss, _ := m.Evaluate(x, y, 50)
		var w []float32
		for _, p := range m.Net.Params() {
			w = append(w, p.Value.Data...)
		}
		return w, loss
	}
	w1, l1 := run()
	w2, l2 := run()
	if math.Float64bits(l1) != math.Float64bits(l2) {
		t.Errorf("losses differ: %v vs %v", l1, l2)
	}
	for i := range w1 {
		if math.Float32bits(w1[i]) != math.Float32bits(w2[i]) {
			t.Fatalf("weight %d differs: %v vs %v", i, w1[i], w2[i])
		}
	}
}

func TestMLPConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		c    MLPConfig
	}{
		{"no input", MLPConfig{Out: 2, Activation: ActReLU}},
		{"bad activation", MLPConfig{In: 2, Out: 2, Activation: "swish"}},
		{"bad width", MLPConfig{In: 2, Out: 2, Hidden: []int{0}, Activation: ActReLU}},
		{"bad dropout", MLPConfig{In: 2, Out: 2, Activation: ActReLU, Dropout: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewMLP(tc.c, &SGD{}, Constant(1)); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestTrainStepAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	x, y := blobs(3, 64, 12, 5)
	for _, opt := range []Optimizer{&SGD{Momentum: 0.9}, NewAdamW(0.01)} {
		m := newTestMLP(t, MLPConfig{In: 12, Out: 5, Hidden: []int{16, 16}, Activation: ActGELU, LayerNorm: true, Dropout: 0.1}, opt)
		m.TrainStep(x, y)
		m.Evaluate(x, y, 64)
		if n := testing.AllocsPerRun(20, func() { m.TrainStep(x, y); m.Evaluate(x, y, 64) }); n != 0 {
			t.Errorf("%T: %g allocations per step", opt, n)
		}
	}
	rng := NewRand(1, 1)
	net := NewSequential(NewDense(12, 16, HeUniform, rng), NewResidual(NewSequential(NewLayerNormAffine(16, 0, false, true), NewDenseNoBias(16, 16, HeUniform, rng), new(GELU), Identity{})),
		NewDropout(0.1, NewRand(1, 2)), NewDense(16, 5, GlorotUniform, rng))
	m, err := NewModel(net, NewAdamW(0.01), Constant(0.01))
	if err != nil {
		t.Fatal(err)
	}
	m.TrainStep(x, y)
	m.Evaluate(x, y, 64)
	if n := testing.AllocsPerRun(20, func() { m.TrainStep(x, y); m.Evaluate(x, y, 64) }); n != 0 {
		t.Errorf("residual network: %g allocations per step", n)
	}
}

func benchmarkStep(b *testing.B, in int, hidden []int, out, batch int, opt Optimizer) {
	x, y := blobs(4, batch, in, out)
	m, err := NewMLP(MLPConfig{In: in, Out: out, Hidden: hidden, Activation: ActReLU}, opt, Constant(0.01))
	if err != nil {
		b.Fatal(err)
	}
	m.TrainStep(x, y)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m.TrainStep(x, y)
	}
	b.ReportMetric(float64(batch)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkTrainStep784x512x512x10 is one SGD-momentum step of the
// Fashion-MNIST-sized MLP at batch 128.
func BenchmarkTrainStep784x512x512x10(b *testing.B) {
	benchmarkStep(b, 784, []int{512, 512}, 10, 128, &SGD{Momentum: 0.9})
}

// BenchmarkTrainStep64x32x10 is one SGD-momentum step of a small MLP at
// batch 32.
func BenchmarkTrainStep64x32x10(b *testing.B) {
	benchmarkStep(b, 64, []int{32}, 10, 32, &SGD{Momentum: 0.9})
}
