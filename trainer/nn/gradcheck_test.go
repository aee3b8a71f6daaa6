package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// randMatrix returns a rows×cols matrix of draws from U(−1, 1), pushed at
// least gap away from 0 (so finite differences do not straddle a kink).
func randMatrix(rng *rand.Rand, rows, cols int, gap float32) *tensor.Tensor {
	t := tensor.New(rows, cols)
	for i := range t.Data {
		v := float32(2*rng.Float64() - 1)
		if v >= 0 {
			v += gap
		} else {
			v -= gap
		}
		t.Data[i] = v
	}
	return t
}

// dot returns Σ a·b in float64.
func dot(a, b []float32) float64 {
	var s float64
	for i, v := range a {
		s += float64(v) * float64(b[i])
	}
	return s
}

// closeGrad reports whether an analytic gradient matches a central
// difference of float32 forward passes.
func closeGrad(analytic, numeric float64) bool {
	return math.Abs(analytic-numeric) <= 2e-3+2e-2*math.Abs(numeric)
}

// checkLayer compares the layer's input and parameter gradients of the
// scalar L = Σ Forward(x)·r with central differences. reset runs before
// every forward pass (to replay a dropout mask).
func checkLayer(t *testing.T, l Layer, x *tensor.Tensor, reset func()) {
	t.Helper()
	rng := NewRand(7, 7)
	const h = 1e-2
	reset()
	y := l.Forward(x, true)
	r := randMatrix(rng, y.Shape[0], y.Shape[1], 0)
	loss := func() float64 {
		reset()
		return dot(l.Forward(x, true).Data, r.Data)
	}
	reset()
	l.Forward(x, true)
	dx := l.Backward(r, true).Clone()
	grads := make([]*tensor.Tensor, len(l.Params()))
	for i, p := range l.Params() {
		grads[i] = p.Grad.Clone()
	}
	check := func(what string, v []float32, g []float32) {
		t.Helper()
		for i := range v {
			old := v[i]
			v[i] = old + h
			lp := loss()
			v[i] = old - h
			lm := loss()
			v[i] = old
			num := (lp - lm) / (2 * h)
			if !closeGrad(float64(g[i]), num) {
				t.Errorf("%s[%d]: analytic %.6g, numeric %.6g", what, i, g[i], num)
				return
			}
		}
	}
	check("dx", x.Data, dx.Data)
	for i, p := range l.Params() {
		check(p.Name, p.Value.Data, grads[i].Data)
	}
	reset()
	l.Forward(x, true)
	if got := l.Backward(r, false); got != nil {
		t.Errorf("Backward(needDX=false) = %v, want nil", got.Shape)
	}
	for i, p := range l.Params() {
		for j, v := range p.Grad.Data {
			if v != grads[i].Data[j] {
				t.Fatalf("%s gradient differs with needDX=false at %d", p.Name, j)
			}
		}
	}
}

func TestLayerGradients(t *testing.T) {
	const rows = 5
	tests := []struct {
		name  string
		in    int
		layer func() (Layer, func())
	}{
		{"dense", 4, func() (Layer, func()) { return NewDense(4, 3, HeUniform, NewRand(1, 1)), func() {} }},
		{"relu", 6, func() (Layer, func()) { return new(ReLU), func() {} }},
		{"gelu", 6, func() (Layer, func()) { return new(GELU), func() {} }},
		{"tanh", 6, func() (Layer, func()) { return new(Tanh), func() {} }},
		{"layernorm", 6, func() (Layer, func()) {
			l := NewLayerNorm(6, 0)
			rng := NewRand(3, 3)
			for i := range l.Gain.Value.Data { // not the identity
				l.Gain.Value.Data[i] = float32(0.5 + rng.Float64())
				l.Bias.Value.Data[i] = float32(rng.Float64() - 0.5)
			}
			return l, func() {}
		}},
		{"dense without bias", 4, func() (Layer, func()) { return NewDenseNoBias(4, 3, GlorotUniform, NewRand(1, 1)), func() {} }},
		{"layernorm without gain", 6, func() (Layer, func()) {
			l := NewLayerNormAffine(6, 0, false, true)
			rng := NewRand(3, 3)
			for i := range l.Bias.Value.Data {
				l.Bias.Value.Data[i] = float32(rng.Float64() - 0.5)
			}
			return l, func() {}
		}},
		{"layernorm plain", 6, func() (Layer, func()) { return NewLayerNormAffine(6, 0, false, false), func() {} }},
		{"identity", 6, func() (Layer, func()) { return Identity{}, func() {} }},
		{"residual", 4, func() (Layer, func()) {
			rng := NewRand(4, 4)
			return NewResidual(NewSequential(NewDense(4, 5, HeUniform, rng), NewLayerNorm(5, 0), new(GELU), NewDense(5, 4, GlorotUniform, rng))), func() {}
		}},
		{"residual empty", 4, func() (Layer, func()) { return NewResidual(NewSequential()), func() {} }},
		{"sequential with residuals", 4, func() (Layer, func()) {
			rng := NewRand(6, 6)
			d := NewDropout(0.3, nil)
			inner := NewResidual(NewSequential(NewDense(5, 5, HeUniform, rng), new(Tanh)))
			return NewSequential(NewDense(4, 5, HeUniform, rng), NewResidual(NewSequential(new(GELU), d, inner, NewDenseNoBias(5, 5, GlorotUniform, rng))), Identity{}, NewDense(5, 3, GlorotUniform, rng)),
				func() { d.rng = NewRand(5, 5) }
		}},
		{"dropout", 6, func() (Layer, func()) {
			d := NewDropout(0.4, nil)
			return d, func() { d.rng = NewRand(5, 5) }
		}},
		{"sequential", 4, func() (Layer, func()) {
			rng := NewRand(2, 2)
			return NewSequential(NewDense(4, 5, HeUniform, rng), NewLayerNorm(5, 0), new(GELU), NewDense(5, 3, GlorotUniform, rng), new(Tanh)), func() {}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, reset := tc.layer()
			gap := float32(0)
			if tc.name == "relu" {
				gap = 0.05
			}
			checkLayer(t, l, randMatrix(NewRand(9, 9), rows, tc.in, gap), reset)
		})
	}
}

func TestSoftmaxCrossEntropyGradient(t *testing.T) {
	tests := []struct {
		name   string
		scale  float32
		labels []int32
	}{
		{"small logits", 1, []int32{0, 2, 1, 3}},
		{"large logits", 40, []int32{3, 3, 0, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z := randMatrix(NewRand(4, 4), len(tc.labels), 4, 0)
			for i := range z.Data {
				z.Data[i] *= tc.scale
			}
			var s SoftmaxCrossEntropy
			s.Forward(z, tc.labels)
			g := s.Grad().Clone()
			h := float32(1e-2) / tc.scale
			for i := range z.Data {
				old := z.Data[i]
				z.Data[i] = old + h
				lp, _ := s.Forward(z, tc.labels)
				z.Data[i] = old - h
				lm, _ := s.Forward(z, tc.labels)
				z.Data[i] = old
				num := (lp - lm) / float64(2*h)
				if !closeGrad(float64(g.Data[i]), num) {
					t.Errorf("dz[%d]: analytic %.6g, numeric %.6g", i, g.Data[i], num)
				}
			}
		})
	}
}

func TestSoftmaxCrossEntropyValues(t *testing.T) {
	var s SoftmaxCrossEntropy
	// Uniform logits: loss log(k); huge logits must not overflow.
	z := tensor.FromData([]float32{0, 0, 0, 0, 1000, -1000, 1000, 0}, 2, 4)
	loss, correct := s.Forward(z, []int32{2, 0})
	want := (math.Log(4) + math.Log(2)) / 2
	if math.Abs(loss-want) > 1e-6 || correct != 1 {
		t.Errorf("loss, correct = %g, %d; want %g, 1", loss, correct, want)
	}
	for i, v := range s.Grad().Data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Fatalf("grad[%d] = %g", i, v)
		}
	}
	// Row gradients sum to 0.
	for r := 0; r < 2; r++ {
		var sum float64
		for _, v := range s.Grad().Data[r*4 : r*4+4] {
			sum += float64(v)
		}
		if math.Abs(sum) > 1e-6 {
			t.Errorf("row %d gradient sums to %g", r, sum)
		}
	}
}

func TestShapeMismatchPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"dense input", func() { NewDense(3, 2, HeUniform, NewRand(1, 1)).Forward(tensor.New(2, 4), true) }},
		{"layernorm input", func() { NewLayerNorm(3, 0).Forward(tensor.New(2, 4), true) }},
		{"loss labels", func() { new(SoftmaxCrossEntropy).Forward(tensor.New(2, 4), []int32{0}) }},
		{"loss label range", func() { new(SoftmaxCrossEntropy).Forward(tensor.New(1, 4), []int32{4}) }},
		{"relu backward", func() {
			r := new(ReLU)
			r.Forward(tensor.New(2, 3), true)
			r.Backward(tensor.New(2, 4), true)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.f()
		})
	}
}

func TestLayerParamNames(t *testing.T) {
	rng := NewRand(1, 1)
	tests := []struct {
		name  string
		layer Layer
		want  []string
	}{
		{"dense", NewDense(2, 3, HeUniform, rng), []string{"w", "b"}},
		{"dense without bias", NewDenseNoBias(2, 3, HeUniform, rng), []string{"w"}},
		{"layernorm", NewLayerNorm(3, 0), []string{"gain", "bias"}},
		{"layernorm without gain", NewLayerNormAffine(3, 0, false, true), []string{"bias"}},
		{"layernorm plain", NewLayerNormAffine(3, 0, false, false), nil},
		{"identity", Identity{}, nil},
		{"residual", NewResidual(NewSequential(new(ReLU), NewDense(3, 3, HeUniform, rng))), []string{"body.layers[1].w", "body.layers[1].b"}},
		{"sequential", NewSequential(NewDense(2, 3, HeUniform, rng), NewResidual(NewSequential(NewLayerNorm(3, 0)))), []string{"layers[0].w", "layers[0].b", "layers[1].body.layers[0].gain", "layers[1].body.layers[0].bias"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range tc.layer.Params() {
				got = append(got, p.Name)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("params %q, want %q", got, tc.want)
			}
		})
	}
}
