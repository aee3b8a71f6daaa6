package trainer_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// sameParams fails unless a and b have the same parameters, bit for bit.
func sameParams(t *testing.T, a, b *nn.Sequential) {
	t.Helper()
	pa, pb := a.Params(), b.Params()
	if len(pa) != len(pb) {
		t.Fatalf("%d parameters, want %d", len(pa), len(pb))
	}
	for i, p := range pa {
		if p.Name != pb[i].Name || p.Role != pb[i].Role || p.Frozen != pb[i].Frozen || !slices.Equal(p.Value.Shape, pb[i].Value.Shape) {
			t.Fatalf("parameter %d: %s %s %v, want %s %s %v", i, p.Name, p.Role, p.Value.Shape, pb[i].Name, pb[i].Role, pb[i].Value.Shape)
		}
		for j, v := range p.Value.Data {
			if v != pb[i].Value.Data[j] {
				t.Fatalf("%s[%d] = %v, want %v", p.Name, j, v, pb[i].Value.Data[j])
			}
		}
	}
}

// sameForward fails unless a and b give the same training-mode outputs on
// x, bit for bit, twice (so dropout masks are compared too).
func sameForward(t *testing.T, a, b *nn.Sequential, x *tensor.Tensor) {
	t.Helper()
	for round := range 2 {
		ya, yb := a.Forward(x, true).Clone(), b.Forward(x, true)
		for i, v := range ya.Data {
			if v != yb.Data[i] {
				t.Fatalf("round %d: output[%d] = %v, want %v", round, i, v, yb.Data[i])
			}
		}
	}
}

func inputs(rows, cols int) *tensor.Tensor {
	x := tensor.New(rows, cols)
	rng := nn.NewRand(11, 11)
	for i := range x.Data {
		x.Data[i] = float32(2*rng.Float64() - 1)
	}
	return x
}

// mlpNetwork builds, from package nn's layers, the network an MLP of
// these fields has always stood for: per hidden width a Dense layer
// (He-uniform before relu and gelu, Glorot-uniform before tanh), a
// LayerNorm if layerNorm, the activation and dropout if dropout > 0; then
// a Glorot-uniform Dense output layer; weights drawn from NewRand(seed,
// 1) and dropout masks from NewRand(seed, 2), in layer order.
func mlpNetwork(in, out int, m trainer.MLP, seed uint64) *nn.Sequential {
	initRNG, dropRNG := nn.NewRand(seed, 1), nn.NewRand(seed, 2)
	init := nn.HeUniform
	if m.Activation == "tanh" {
		init = nn.GlorotUniform
	}
	var layers []nn.Layer
	for _, h := range m.Hidden {
		layers = append(layers, nn.NewDense(in, h, init, initRNG))
		if m.LayerNorm {
			layers = append(layers, nn.NewLayerNorm(h, 0))
		}
		switch m.Activation {
		case "relu":
			layers = append(layers, new(nn.ReLU))
		case "gelu":
			layers = append(layers, new(nn.GELU))
		case "tanh":
			layers = append(layers, new(nn.Tanh))
		}
		if m.Dropout > 0 {
			layers = append(layers, nn.NewDropout(m.Dropout, dropRNG))
		}
		in = h
	}
	layers = append(layers, nn.NewDense(in, out, nn.GlorotUniform, initRNG))
	return nn.NewSequential(layers...)
}

// TestMLPBuildsItsNetwork checks that trainer.MLP, expanded to a Sequential,
// builds the network mlpNetwork builds from nn's layers: the same
// weights, roles and dropout masks, so the training figures measured
// before stay as they were.
func TestMLPBuildsItsNetwork(t *testing.T) {
	tests := []struct {
		name string
		mlp  trainer.MLP
	}{
		{"linear", trainer.MLP{Activation: "relu"}},
		{"relu", trainer.MLP{Hidden: []int{16, 8}, Activation: "relu"}},
		{"gelu layernorm dropout", trainer.MLP{Hidden: []int{12, 12, 6}, Activation: "gelu", LayerNorm: true, Dropout: 0.3}},
		{"tanh dropout", trainer.MLP{Hidden: []int{9}, Activation: "tanh", Dropout: 0.5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.mlp.Network(7, 3, 42)
			if err != nil {
				t.Fatal(err)
			}
			want := mlpNetwork(7, 3, tc.mlp, 42)
			sameParams(t, got, want)
			sameForward(t, got, want, inputs(5, 7))
		})
	}
}

// seqProgram is the Sequential trainer.MLP{hidden: [32, 16], activation:
// gelu, layernorm: true, dropout: 0.2} expands to, written out.
const seqProgram = `
_type: trainer.Classifier
data: {_type: trainer.Synthetic, train: 3000, validation: 500, test: 500}
model:
  _type: trainer.Sequential
  layers:
  - {_type: trainer.Dense, units: 32, init: he_uniform}
  - {_type: trainer.LayerNorm}
  - {_type: trainer.GELU}
  - {_type: trainer.Dropout, p: 0.2}
  - {_type: trainer.Dense, units: 16, init: he_uniform}
  - {_type: trainer.LayerNorm}
  - {_type: trainer.GELU}
  - {_type: trainer.Dropout, p: 0.2}
  - {_type: trainer.Dense, units: 10}
optimizer: {_type: trainer.AdamW, lr: 0.01}
epochs: 5
batch: 50
seed: 3
`

// TestSequentialMatchesMLP trains the MLP short form and the Sequential
// it stands for: the metrics are identical, bit for bit.
func TestSequentialMatchesMLP(t *testing.T) {
	seq := decode(t, seqProgram)
	mlp := decode(t, strings.Replace(seqProgram, seqProgram[strings.Index(seqProgram, "model:"):strings.Index(seqProgram, "optimizer:")],
		"model: {_type: trainer.MLP, hidden: [32, 16], activation: gelu, layernorm: true, dropout: 0.2}\n", 1))
	if _, ok := mlp.Model.(trainer.MLP); !ok {
		t.Fatalf("model %T, want trainer.MLP", mlp.Model)
	}
	ms, err := trainer.Train(context.Background(), seq, nil)
	if err != nil {
		t.Fatal(err)
	}
	mm, err := trainer.Train(context.Background(), mlp, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range mm {
		if k == trainer.MetricTrainSeconds {
			continue
		}
		if ms[k] != v {
			t.Errorf("%s: Sequential %v, MLP %v", k, ms[k], v)
		}
	}
	if len(ms) != len(mm) {
		t.Errorf("Sequential gives %d metrics, MLP %d", len(ms), len(mm))
	}
	t.Logf("test accuracy %v", ms[trainer.MetricTestAccuracy])
	if ms[trainer.MetricTestAccuracy] < 0.5 {
		t.Errorf("test accuracy %v: the network did not learn", ms[trainer.MetricTestAccuracy])
	}
}

// TestSequentialWidthErrors checks that a width that does not fit names
// the key path and both widths.
func TestSequentialWidthErrors(t *testing.T) {
	d := func(units int) trainer.Layer { return trainer.Dense{Units: units, Bias: true} }
	tests := []struct {
		name   string
		layers []trainer.Layer
		want   []string
	}{
		{"last dense", []trainer.Layer{d(8), trainer.ReLU{}, d(8), trainer.Tanh{}, d(5)},
			[]string{"model.layers[4].units:", "width is 5", "want 3"}},
		{"last width from an earlier layer", []trainer.Layer{d(8), trainer.ReLU{}, d(6), trainer.LayerNorm{Gain: true}, trainer.GELU{}},
			[]string{"model.layers[2].units:", "width is 6", "want 3"}},
		{"no layer changes the width", []trainer.Layer{trainer.Identity{}},
			[]string{"model.layers:", "width is 4", "want 3"}},
		{"residual body", []trainer.Layer{d(8), trainer.Residual{Body: []trainer.Layer{d(8), trainer.ReLU{}, d(6)}}, d(3)},
			[]string{"model.layers[1].body[2].units:", "output width is 6", "is 8 (set by model.layers[0].units)"}},
		{"residual on the input", []trainer.Layer{trainer.Residual{Body: []trainer.Layer{d(2)}}, d(3)},
			[]string{"model.layers[0].body[0].units:", "output width is 2", "is 4 (set by the input features)"}},
		{"nested residual", []trainer.Layer{d(8), trainer.Residual{Body: []trainer.Layer{trainer.Residual{Body: []trainer.Layer{d(7)}}}}, d(3)},
			[]string{"model.layers[1].body[0].body[0].units:", "output width is 7", "is 8"}},
		{"zero units", []trainer.Layer{d(8), trainer.Residual{Body: []trainer.Layer{d(0)}}, d(3)},
			[]string{"model.layers[1].body[0].units:", "got 0"}},
		{"missing layer", []trainer.Layer{d(8), nil, d(3)}, []string{"model.layers[1]:", "missing"}},
		{"dropout", []trainer.Layer{trainer.Dropout{P: 1}, d(3)}, []string{"model.layers[0].p:", "got 1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := trainer.Sequential{Layers: tc.layers}.Network(4, 3, 1)
			if !errors.Is(err, trainer.ErrProgram) {
				t.Fatalf("err = %v, want ErrProgram", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v, want it to contain %q", err, w)
				}
			}
		})
	}
	t.Run("through Train", func(t *testing.T) {
		c := decode(t, strings.Replace(seqProgram, "units: 10", "units: 9", 1))
		_, err := trainer.Train(context.Background(), c, nil)
		if !errors.Is(err, trainer.ErrProgram) || !strings.Contains(err.Error(), "model.layers[8].units: the last layer's width is 9, want 10") {
			t.Errorf("err = %v", err)
		}
	})
}

// TestSequentialSchema checks the layers' declared defaults and bounds.
func TestSequentialSchema(t *testing.T) {
	r := newRegistry(t)
	v, err := r.DecodeYAML([]byte("{_type: trainer.Sequential, layers: [{_type: trainer.Dense, units: 4}, {_type: trainer.LayerNorm, gain: false}, {_type: trainer.Dropout}, {_type: trainer.Residual, body: [{_type: trainer.ReLU}]}]}"), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := symbolic.To[trainer.Sequential](v)
	if err != nil {
		t.Fatal(err)
	}
	want := trainer.Sequential{Activation: new("relu"), Init: new("glorot_uniform"), Layers: []trainer.Layer{
		trainer.Dense{Units: 4, Bias: true}, trainer.LayerNorm{Bias: true}, trainer.Dropout{P: 0.1},
		trainer.Residual{Body: []trainer.Layer{trainer.ReLU{}}}}}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("decoded %#v\nwant %#v", s, want)
	}
	for _, tc := range []struct{ name, yaml, want string }{
		{"units", "{_type: trainer.Dense, units: 0}", "layers[0].units"},
		{"no units", "{_type: trainer.Dense}", "layers[0].units"},
		{"init", "{_type: trainer.Dense, units: 3, init: zeros}", "layers[0].init"},
		{"p", "{_type: trainer.Dropout, p: 0.99}", "layers[0].p"},
		{"not a layer", "{_type: trainer.AdamW}", "layers[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.DecodeYAML([]byte("{_type: trainer.Sequential, layers: ["+tc.yaml+"]}"), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one naming %s", err, tc.want)
			}
		})
	}
}

// TestSequentialSpace decodes a search space over a Sequential's layer
// widths and layers, and trains a program decoded from it.
func TestSequentialSpace(t *testing.T) {
	r := newRegistry(t)
	if err := space.Register(r); err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(seqProgram, "units: 16,", "units: !oneof [8, 16, 24],", 1)
	src = strings.Replace(src, "  - {_type: trainer.Dropout, p: 0.2}\n  - {_type: trainer.Dense, units: 10}",
		"  - !oneof [{_type: trainer.Identity}, {_type: trainer.Residual, body: [{_type: trainer.Dense, units: 8}, {_type: trainer.Tanh}, {_type: trainer.Dense, units: 16}]}]\n  - {_type: trainer.Dense, units: 10}", 1)
	src = strings.Replace(src, "epochs: 5", "epochs: 1", 1)
	tree, err := r.DecodeYAML([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := space.New(tree)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Spec().Points); n != 2 {
		t.Fatalf("%d decision points, want 2", n)
	}
	prog, err := space.As[*trainer.Classifier](s).Decode(space.DNA{Children: []space.DNA{{Value: 1}, {Value: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	layers := prog.Model.(trainer.Sequential).Layers
	if u := layers[4].(trainer.Dense).Units; u != 16 {
		t.Errorf("layers[4].units = %d, want 16", u)
	}
	if _, ok := layers[7].(trainer.Residual); !ok {
		t.Errorf("layers[7] = %T, want trainer.Residual", layers[7])
	}
	m, err := trainer.Train(context.Background(), prog, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 64→32, 32→16, then the residual's 16→8, 8→16 and the output's
	// 16→10 dense layers; two LayerNorms, of 32 and 16.
	wantParams := 64*32 + 32 + 32*16 + 16 + 16*8 + 8 + 8*16 + 16 + 16*10 + 10 + 2*32 + 2*16
	if m[trainer.MetricParams] != float64(wantParams) || m[trainer.MetricEpochs] != 1 {
		t.Errorf("params %v, epochs %v; want %d, 1", m[trainer.MetricParams], m[trainer.MetricEpochs], wantParams)
	}
	if m[trainer.MetricTestAccuracy] <= 0.1 {
		t.Errorf("test accuracy %v, want above chance", m[trainer.MetricTestAccuracy])
	}
}
