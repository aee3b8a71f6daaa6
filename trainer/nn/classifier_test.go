package nn

import (
	"math"
	"slices"
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

// mlpSpec describes a test network: per hidden width a Dense layer, an
// optional LayerNorm, the activation and optional dropout, then a Dense
// output layer, drawing from the seeded sources as package trainer does.
type mlpSpec struct {
	in, out   int
	hidden    []int
	act       string // relu, gelu or tanh
	layerNorm bool
	dropout   float64
	seed      uint64
}

func (c mlpSpec) network() *Sequential {
	initRNG, dropRNG := NewRand(c.seed, 1), NewRand(c.seed, 2)
	init := HeUniform
	if c.act == "tanh" {
		init = GlorotUniform
	}
	var layers []Layer
	in := c.in
	for _, h := range c.hidden {
		layers = append(layers, NewDense(in, h, init, initRNG))
		if c.layerNorm {
			layers = append(layers, NewLayerNorm(h, 0))
		}
		switch c.act {
		case "relu":
			layers = append(layers, new(ReLU))
		case "gelu":
			layers = append(layers, new(GELU))
		case "tanh":
			layers = append(layers, new(Tanh))
		default:
			panic("mlpSpec: activation " + c.act)
		}
		if c.dropout > 0 {
			layers = append(layers, NewDropout(c.dropout, dropRNG))
		}
		in = h
	}
	layers = append(layers, NewDense(in, c.out, GlorotUniform, initRNG))
	return NewSequential(layers...)
}

func newTestClassifier(t testing.TB, c mlpSpec, opt Optimizer) *Classifier {
	t.Helper()
	m, err := NewClassifier(c.network(), opt, Constant(0.01))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestClassifierLearns(t *testing.T) {
	for _, act := range []string{"relu", "gelu", "tanh"} {
		t.Run(act, func(t *testing.T) {
			x, y := blobs(1, 256, 8, 3)
			m := newTestClassifier(t, mlpSpec{in: 8, out: 3, hidden: []int{16}, act: act, layerNorm: true, dropout: 0.1, seed: 3}, NewAdamW(0))
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

func TestClassifierParamNames(t *testing.T) {
	m := newTestClassifier(t, mlpSpec{in: 4, out: 2, hidden: []int{8, 8}, act: "relu", layerNorm: true}, &SGD{})
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

func TestClassifierDeterministic(t *testing.T) {
	x, y := blobs(2, 96, 6, 4)
	run := func() ([]float32, float64) {
		m := newTestClassifier(t, mlpSpec{in: 6, out: 4, hidden: []int{10, 10}, act: "gelu", dropout: 0.2, seed: 11}, NewAdamW(0.01))
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

func TestNewClassifierErrors(t *testing.T) {
	net := mlpSpec{in: 2, out: 2, act: "relu"}.network()
	for name, f := range map[string]func() (*Classifier, error){
		"nil network":   func() (*Classifier, error) { return NewClassifier(nil, &SGD{}, Constant(1)) },
		"nil optimizer": func() (*Classifier, error) { return NewClassifier(net, nil, Constant(1)) },
		"nil schedule":  func() (*Classifier, error) { return NewClassifier(net, &SGD{}, nil) },
	} {
		if m, err := f(); err == nil || m != nil {
			t.Errorf("%s: %v, %v; want an error", name, m, err)
		}
	}
}

// TestTrainStepIsGradientsThenUpdate checks that the two halves of a step
// give the weights and losses of TrainStep, bit for bit, and that
// Gradients alone changes no parameter.
func TestTrainStepIsGradientsThenUpdate(t *testing.T) {
	x, y := blobs(5, 64, 6, 3)
	spec := mlpSpec{in: 6, out: 3, hidden: []int{8}, act: "gelu", layerNorm: true, dropout: 0.2, seed: 4}
	a, b := newTestClassifier(t, spec, NewAdamW(0.01)), newTestClassifier(t, spec, NewAdamW(0.01))
	for step := range 5 {
		la := a.TrainStep(x, y)
		before := b.Net.Params()[0].Value.Clone()
		lb := b.Gradients(x, y)
		if !slices.Equal(before.Data, b.Net.Params()[0].Value.Data) {
			t.Fatalf("step %d: Gradients changed a weight", step)
		}
		b.Update()
		if math.Float64bits(la) != math.Float64bits(lb) {
			t.Fatalf("step %d: loss %v, want %v", step, lb, la)
		}
	}
	if a.Steps() != 5 || b.Steps() != 5 {
		t.Errorf("steps %d and %d, want 5", a.Steps(), b.Steps())
	}
	for i, p := range a.Net.Params() {
		if !slices.Equal(p.Value.Data, b.Net.Params()[i].Value.Data) {
			t.Errorf("%s differs", p.Name)
		}
	}
}

// TestClassifierParams checks that Update trains only the Params given,
// leaving the others bit-unchanged.
func TestClassifierParams(t *testing.T) {
	x, y := blobs(6, 32, 4, 2)
	m := newTestClassifier(t, mlpSpec{in: 4, out: 2, hidden: []int{5}, act: "tanh", seed: 2}, &SGD{Momentum: 0.9})
	m.Params = ParamsByRole(m.Net.Params(), RoleBias)
	w0 := m.Net.Param("layers[0].w").Value.Clone()
	b0 := m.Net.Param("layers[0].b").Value.Clone()
	for range 3 {
		m.TrainStep(x, y)
	}
	if !slices.Equal(w0.Data, m.Net.Param("layers[0].w").Value.Data) {
		t.Error("a weight outside Params changed")
	}
	if slices.Equal(b0.Data, m.Net.Param("layers[0].b").Value.Data) {
		t.Error("a bias in Params did not change")
	}
}

func TestTrainStepAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	x, y := blobs(3, 64, 12, 5)
	for _, opt := range []Optimizer{&SGD{Momentum: 0.9}, NewAdamW(0.01)} {
		m := newTestClassifier(t, mlpSpec{in: 12, out: 5, hidden: []int{16, 16}, act: "gelu", layerNorm: true, dropout: 0.1}, opt)
		m.TrainStep(x, y)
		m.Evaluate(x, y, 64)
		if n := testing.AllocsPerRun(20, func() { m.TrainStep(x, y); m.Evaluate(x, y, 64) }); n != 0 {
			t.Errorf("%T: %g allocations per step", opt, n)
		}
	}
	rng := NewRand(1, 1)
	net := NewSequential(NewDense(12, 16, HeUniform, rng), NewResidual(NewSequential(NewLayerNormAffine(16, 0, false, true), NewDenseNoBias(16, 16, HeUniform, rng), new(GELU), Identity{})),
		NewDropout(0.1, NewRand(1, 2)), NewDense(16, 5, GlorotUniform, rng))
	m, err := NewClassifier(net, NewAdamW(0.01), Constant(0.01))
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
	m, err := NewClassifier(mlpSpec{in: in, out: out, hidden: hidden, act: "relu"}.network(), opt, Constant(0.01))
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
