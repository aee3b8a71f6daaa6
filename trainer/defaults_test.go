package trainer_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// defaultsRegistry returns a registry holding the trainer's types.
func defaultsRegistry(t *testing.T) *symbolic.Registry {
	t.Helper()
	r := symbolic.NewRegistry()
	if err := trainer.Register(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// decodeModel decodes a trainer.Sequential written in YAML and binds it.
func decodeModel(t *testing.T, src string) trainer.Sequential {
	t.Helper()
	v, err := defaultsRegistry(t).DecodeYAML([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := symbolic.To[trainer.Sequential](v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// network builds m for 6 features and 3 classes with seed 5.
func network(t *testing.T, m trainer.Model) *nn.Sequential {
	t.Helper()
	net, err := m.Network(6, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// sameNetwork fails unless a and b have the same parameters and
// training-mode outputs, bit for bit.
func sameNetwork(t *testing.T, a, b trainer.Model) {
	t.Helper()
	na, nb := network(t, a), network(t, b)
	sameParams(t, na, nb)
	sameForward(t, na, nb, inputs(4, 6))
}

// differentForward fails if a and b give the same outputs.
func differentForward(t *testing.T, a, b trainer.Model) {
	t.Helper()
	x := inputs(4, 6)
	ya, yb := network(t, a).Forward(x, false).Clone(), network(t, b).Forward(x, false)
	if slices.Equal(ya.Data, yb.Data) {
		t.Fatal("the two networks give the same outputs; want them to differ")
	}
}

func dense(units int, init *string) trainer.Dense {
	return trainer.Dense{Units: units, Bias: true, Init: init}
}

// TestModelActivation checks that Activation layers left empty build the
// model's activation, in Residual bodies too, as the explicit layers do.
func TestModelActivation(t *testing.T) {
	explicit := map[string]trainer.Layer{"relu": trainer.ReLU{}, "gelu": trainer.GELU{}, "tanh": trainer.Tanh{}}
	for name, act := range explicit {
		t.Run(name, func(t *testing.T) {
			got := trainer.Sequential{Activation: new(name), Layers: []trainer.Layer{
				dense(8, new("he_uniform")), trainer.Activation{},
				trainer.Residual{Body: []trainer.Layer{dense(8, nil), trainer.Activation{}}},
				dense(3, nil)}}
			want := trainer.Sequential{Layers: []trainer.Layer{
				dense(8, new("he_uniform")), act,
				trainer.Residual{Body: []trainer.Layer{dense(8, new("glorot_uniform")), act}},
				dense(3, new("glorot_uniform"))}}
			sameNetwork(t, got, want)
		})
	}
	t.Run("the model's activation matters", func(t *testing.T) {
		layers := []trainer.Layer{dense(8, nil), trainer.Activation{}, dense(3, nil)}
		differentForward(t, trainer.Sequential{Activation: new("gelu"), Layers: layers}, trainer.Sequential{Activation: new("tanh"), Layers: layers})
	})
	t.Run("nil is relu", func(t *testing.T) {
		sameNetwork(t, trainer.Sequential{Layers: []trainer.Layer{dense(8, nil), trainer.Activation{}, dense(3, nil)}},
			trainer.Sequential{Layers: []trainer.Layer{dense(8, nil), trainer.ReLU{}, dense(3, nil)}})
	})
}

// TestModelInit checks that Dense layers left empty take the model's init,
// and that glorot_uniform stays the default.
func TestModelInit(t *testing.T) {
	layers := func(out *string) []trainer.Layer {
		return []trainer.Layer{dense(8, nil), trainer.ReLU{}, trainer.Residual{Body: []trainer.Layer{dense(8, nil)}}, dense(3, out)}
	}
	he, glorot := new("he_uniform"), new("glorot_uniform")
	t.Run("he_uniform", func(t *testing.T) {
		sameNetwork(t, trainer.Sequential{Init: he, Layers: layers(glorot)},
			trainer.Sequential{Layers: []trainer.Layer{dense(8, he), trainer.ReLU{}, trainer.Residual{Body: []trainer.Layer{dense(8, he)}}, dense(3, glorot)}})
		differentForward(t, trainer.Sequential{Init: he, Layers: layers(glorot)}, trainer.Sequential{Init: glorot, Layers: layers(glorot)})
	})
	t.Run("default glorot_uniform", func(t *testing.T) {
		sameNetwork(t, trainer.Sequential{Layers: layers(nil)},
			trainer.Sequential{Layers: []trainer.Layer{dense(8, glorot), trainer.ReLU{}, trainer.Residual{Body: []trainer.Layer{dense(8, glorot)}}, dense(3, glorot)}})
	})
}

// TestLayerOverridesModel checks that a value set on a layer wins over the
// model's.
func TestLayerOverridesModel(t *testing.T) {
	got := trainer.Sequential{Activation: new("gelu"), Init: new("he_uniform"), Layers: []trainer.Layer{
		dense(8, nil), trainer.Activation{},
		dense(8, new("glorot_uniform")), trainer.Activation{Activation: new("tanh")},
		trainer.Residual{Body: []trainer.Layer{dense(8, nil), trainer.Activation{Activation: new("relu")}}},
		dense(3, new("glorot_uniform"))}}
	he, glorot := new("he_uniform"), new("glorot_uniform")
	want := trainer.Sequential{Layers: []trainer.Layer{
		dense(8, he), trainer.GELU{},
		dense(8, glorot), trainer.Tanh{},
		trainer.Residual{Body: []trainer.Layer{dense(8, he), trainer.ReLU{}}},
		dense(3, glorot)}}
	sameNetwork(t, got, want)
}

// TestDefaultsDecodedAndGo checks that a decoded Sequential, one from
// symbolic.New and a Go literal with nil fields give the same network, and
// that New gives the tree decoding gives.
func TestDefaultsDecodedAndGo(t *testing.T) {
	src := `_type: trainer.Sequential
layers:
- {_type: trainer.Dense, units: 8}
- {_type: trainer.Activation}
- _type: trainer.Residual
  body: [{_type: trainer.Dense, units: 8}, {_type: trainer.Activation, activation: tanh}]
- {_type: trainer.Dense, units: 3}
`
	layers := []trainer.Layer{dense(8, nil), trainer.Activation{},
		trainer.Residual{Body: []trainer.Layer{dense(8, nil), trainer.Activation{Activation: new("tanh")}}}, dense(3, nil)}
	reg := defaultsRegistry(t)
	fromNew := symbolic.MustNew[trainer.Sequential](reg)
	if fromNew.Activation == nil || *fromNew.Activation != "relu" || fromNew.Init == nil || *fromNew.Init != "glorot_uniform" {
		t.Fatalf("symbolic.New gives activation %v, init %v; want relu, glorot_uniform", fromNew.Activation, fromNew.Init)
	}
	fromNew.Layers = layers
	literal := trainer.Sequential{Layers: layers}
	decoded := decodeModel(t, src)
	sameNetwork(t, decoded, literal)
	sameNetwork(t, decoded, fromNew)

	tree, err := reg.FromGo(fromNew)
	if err != nil {
		t.Fatal(err)
	}
	want, err := reg.DecodeYAML([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !symbolic.Equal(tree, want) {
		t.Errorf("from symbolic.New: %v\ndecoded: %v", tree, want)
	}
	// A Go literal converts too; its nil model fields are null.
	if _, err := reg.FromGo(literal); err != nil {
		t.Errorf("FromGo(literal): %v", err)
	}

	t.Run("with model fields", func(t *testing.T) {
		src := strings.Replace(src, "layers:", "activation: gelu\ninit: he_uniform\nlayers:", 1)
		sameNetwork(t, decodeModel(t, src), trainer.Sequential{Activation: new("gelu"), Init: new("he_uniform"), Layers: layers})
	})
	t.Run("null fields", func(t *testing.T) {
		src := strings.Replace(src, "layers:", "activation: null\ninit: null\nlayers:", 1)
		src = strings.Replace(src, "{_type: trainer.Activation}", "{_type: trainer.Activation, activation: null}", 1)
		sameNetwork(t, decodeModel(t, src), literal)
	})
}

// TestDefaultsErrors checks that a bad model-level or layer value names
// its key path, in Go and in a decoded file.
func TestDefaultsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		seq  trainer.Sequential
		want string
	}{
		{"activation", trainer.Sequential{Activation: new("swish"), Layers: []trainer.Layer{dense(3, nil)}},
			`model.activation: want one of relu, gelu, tanh, got "swish"`},
		{"init", trainer.Sequential{Init: new("zeros"), Layers: []trainer.Layer{dense(3, nil)}},
			`model.init: want one of he_uniform, glorot_uniform, he_normal, torch_linear, got "zeros"`},
		{"layer activation", trainer.Sequential{Layers: []trainer.Layer{dense(3, nil), trainer.Residual{Body: []trainer.Layer{trainer.Activation{Activation: new("elu")}}}}},
			`model.layers[1].body[0].activation: want one of relu, gelu, tanh, got "elu"`},
		{"layer init", trainer.Sequential{Layers: []trainer.Layer{dense(3, new("ones"))}},
			`model.layers[0].init: want one of he_uniform, glorot_uniform, he_normal, torch_linear, got "ones"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.seq.Network(6, 3, 1)
			if !errors.Is(err, trainer.ErrProgram) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrProgram with %q", err, tc.want)
			}
		})
	}
	reg := defaultsRegistry(t)
	for _, tc := range []struct{ name, model, want string }{
		{"activation", "{_type: trainer.Sequential, activation: swish, layers: [{_type: trainer.Dense, units: 3}]}",
			`model.activation: want one of relu, gelu, tanh or null, got string "swish"`},
		{"init", "{_type: trainer.Sequential, init: 3, layers: [{_type: trainer.Dense, units: 3}]}", "model.init:"},
		{"layer activation", "{_type: trainer.Sequential, layers: [{_type: trainer.Activation, activation: elu}, {_type: trainer.Dense, units: 3}]}",
			`model.layers[0].activation: want one of relu, gelu, tanh or null, got string "elu"`},
	} {
		t.Run("decoded "+tc.name, func(t *testing.T) {
			src := "_type: trainer.Classifier\ndata: {_type: trainer.Synthetic}\noptimizer: {_type: trainer.SGD}\nmodel: " + tc.model + "\n"
			_, err := reg.DecodeYAML([]byte(src), &symbolic.DecodeOptions{Filename: "prog.yaml"})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "prog.yaml:4:") {
				t.Errorf("err = %v, want one at prog.yaml:4 with %q", err, tc.want)
			}
		})
	}
}

// TestDefaultsSchema checks that every model-level default is declared the
// same way in Sequential and in the layer fields that inherit it: an
// optional field whose enum is the model field's, empty (null) unless the
// file sets it; or, for a program (quant), an optional field of the same
// interface, null by default in the model and in the layers. The flags
// fp32_first and fp32_last are not defaults. A new default that breaks
// the pattern fails here.
func TestDefaultsSchema(t *testing.T) {
	reg := defaultsRegistry(t)
	seq, ok := reg.Lookup("trainer.Sequential")
	if !ok {
		t.Fatal("trainer.Sequential is not registered")
	}
	inheritors := map[string]int{}
	for _, f := range seq.Fields() {
		if f.Name == "layers" || f.Name == "fp32_first" || f.Name == "fp32_last" {
			continue
		}
		program := f.Spec.Kind == symbolic.KindObject
		switch {
		case program:
			if !f.Spec.Nullable || f.Spec.Iface == nil || f.Default.Kind() != symbolic.KindNull {
				t.Errorf("model.%s: want a nullable program field defaulting to null, got %s defaulting to %v", f.Name, f.Spec.Expected(), f.Default)
			}
		default:
			if !f.Spec.Nullable || f.Spec.Kind != symbolic.KindString || len(f.Spec.Enum) == 0 {
				t.Errorf("model.%s: want a nullable enum, got %s", f.Name, f.Spec.Expected())
			}
			if s, ok := f.Default.(symbolic.String); !ok || !slices.Contains(f.Spec.Enum, string(s)) {
				t.Errorf("model.%s: default %v, want one of %v", f.Name, f.Default, f.Spec.Enum)
			}
		}
		for _, typ := range reg.Types() {
			lf, ok := typ.Field(f.Name)
			if !ok || typ == seq || typ.Name() == "trainer.MLP" {
				continue
			}
			inheritors[f.Name]++
			if program {
				if !lf.Spec.Nullable || lf.Spec.Iface != f.Spec.Iface || lf.Default.Kind() != symbolic.KindNull {
					t.Errorf("%s.%s: want the model's program field defaulting to null, got %s defaulting to %v", typ.Name(), f.Name, lf.Spec.Expected(), lf.Default)
				}
				continue
			}
			if !lf.Spec.Nullable || !slices.Equal(lf.Spec.Enum, f.Spec.Enum) || lf.Default.Kind() != symbolic.KindNull {
				t.Errorf("%s.%s: want a nullable enum of %v defaulting to null, got %s defaulting to %v", typ.Name(), f.Name, f.Spec.Enum, lf.Spec.Expected(), lf.Default)
			}
		}
	}
	if inheritors["activation"] != 1 || inheritors["init"] != 1 || inheritors["quant"] != 1 {
		t.Errorf("layer fields inheriting: %v, want activation (trainer.Activation), init and quant (trainer.Dense)", inheritors)
	}
}
