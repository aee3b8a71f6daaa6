package trainer_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
)

const effectiveHead = `_type: trainer.Classifier
data: {_type: trainer.Synthetic}
optimizer: {_type: trainer.SGD}
`

// inheritedText prints Inherited(tree) one a line, as goglove space
// inspect does.
func inheritedText(tree symbolic.Value) string {
	var b strings.Builder
	for _, in := range trainer.Inherited(tree) {
		fmt.Fprintf(&b, "%s: %s (from %s)\n", in.Path, in.Value, in.From)
	}
	return b.String()
}

// TestInherited checks the effective layer fields of programs and spaces
// against their expected listing.
func TestInherited(t *testing.T) {
	for _, tc := range []struct {
		name, model, want string
		ids               []string // decision points the paths are named after
	}{
		{
			name: "choices",
			model: `model:
  _type: trainer.Sequential
  activation: !oneof [relu, gelu]
  layers: !oneof
  - - {_type: trainer.Dense, units: 32}
    - {_type: trainer.Activation}
    - {_type: trainer.Dense, units: 10, init: glorot_uniform}
  - - {_type: trainer.Dense, units: !oneof [32, 64], init: he_uniform}
    - !oneof [{_type: trainer.Activation}, {_type: trainer.Activation, activation: tanh}]
    - _type: trainer.Residual
      body: [{_type: trainer.Dense, units: 64, init: !oneof [null, he_uniform]}, {_type: trainer.Activation}]
    - {_type: trainer.Dense, units: 10}
`,
			want: `model.layers[0][0].init: glorot_uniform (from model.init)
model.layers[0][1].activation: !oneof [relu, gelu] (from model.activation)
model.layers[1][1][0].activation: !oneof [relu, gelu] (from model.activation)
model.layers[1][2].body[0].init[0]: glorot_uniform (from model.init)
model.layers[1][2].body[1].activation: !oneof [relu, gelu] (from model.activation)
model.layers[1][3].init: glorot_uniform (from model.init)
`,
			ids: []string{"model.activation", "model.layers", "model.layers[1][1]", "model.layers[1][2].body[0].init"},
		},
		{
			name: "a chosen model",
			model: `model: !oneof
- {_type: trainer.MLP, activation: gelu}
- _type: trainer.Sequential
  init: he_uniform
  layers: [{_type: trainer.Dense, units: 16}, {_type: trainer.ReLU}, {_type: trainer.Dense, units: 10, init: glorot_uniform}]
`,
			want: "model[1].layers[0].init: he_uniform (from model[1].init)\n",
			ids:  []string{"model"},
		},
		{
			name:  "nothing inherits",
			model: "model: {_type: trainer.Sequential, layers: [{_type: trainer.Dense, units: 10, init: he_uniform}, {_type: trainer.Activation, activation: tanh}]}\n",
		},
		{
			name:  "no Sequential",
			model: "model: {_type: trainer.MLP, hidden: [8]}\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := seqRegistry(t)
			tree, err := reg.DecodeYAML([]byte(effectiveHead+tc.model), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := inheritedText(tree); got != tc.want {
				t.Errorf("Inherited:\n%s\nwant:\n%s", got, tc.want)
			}
			s, err := space.New(tree)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, p := range s.Spec().All() {
				ids = append(ids, p.ID)
			}
			for _, id := range tc.ids {
				if !slices.Contains(ids, id) {
					t.Errorf("the space has no decision point %s (it has %v)", id, ids)
				}
			}
		})
	}
}

// TestInheritedGoAndDecoded checks that a program from Go, its empty
// fields nil, lists the effective values the same program decoded does.
func TestInheritedGoAndDecoded(t *testing.T) {
	reg := seqRegistry(t)
	decoded, err := reg.DecodeYAML([]byte(`_type: trainer.Sequential
layers:
- {_type: trainer.Dense, units: 8}
- {_type: trainer.Activation}
- {_type: trainer.Residual, body: [{_type: trainer.Activation, activation: gelu}, {_type: trainer.Dense, units: 8}]}
- {_type: trainer.Dense, units: 3, init: he_uniform}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	fromGo, err := reg.FromGo(trainer.Sequential{Layers: []trainer.Layer{
		trainer.Dense{Units: 8, Bias: true}, trainer.Activation{},
		trainer.Residual{Body: []trainer.Layer{trainer.Activation{Activation: new("gelu")}, trainer.Dense{Units: 8, Bias: true}}},
		trainer.Dense{Units: 3, Bias: true, Init: new("he_uniform")}}})
	if err != nil {
		t.Fatal(err)
	}
	want := `layers[0].init: glorot_uniform (from init)
layers[1].activation: relu (from activation)
layers[2].body[1].init: glorot_uniform (from init)
`
	for name, tree := range map[string]symbolic.Value{"decoded": decoded, "from Go": fromGo} {
		if got := inheritedText(tree); got != want {
			t.Errorf("%s:\n%s\nwant:\n%s", name, got, want)
		}
	}
}

// TestInheritedTemplate checks a model-level decision placed in a Go
// template: one decision, listed as the value of every empty activation,
// and each DNA decodes to a program whose activation layers build it.
func TestInheritedTemplate(t *testing.T) {
	reg := seqRegistry(t)
	layers := []trainer.Layer{trainer.Dense{Units: 16, Bias: true}, trainer.Activation{},
		trainer.Residual{Body: []trainer.Layer{trainer.Dense{Units: 16, Bias: true}, trainer.Activation{}}}, logits(10)}
	s, err := space.TemplateOf(reg, seqBase(layers...), map[string]space.Hyper{
		"model.activation": space.OneOf("relu", "gelu", "tanh"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Spec().String(), "model.activation: oneof of 3\nsize: 3"; got != want {
		t.Fatalf("spec:\n%s\nwant:\n%s", got, want)
	}
	want := `model.layers[0].init: glorot_uniform (from model.init)
model.layers[1].activation: !oneof [relu, gelu, tanh] (from model.activation)
model.layers[2].body[0].init: glorot_uniform (from model.init)
model.layers[2].body[1].activation: !oneof [relu, gelu, tanh] (from model.activation)
model.layers[3].init: glorot_uniform (from model.init)
`
	if got := inheritedText(s.Tree()); got != want {
		t.Errorf("Inherited:\n%s\nwant:\n%s", got, want)
	}
	explicit := []trainer.Layer{trainer.ReLU{}, trainer.GELU{}, trainer.Tanh{}}
	for i, act := range explicit {
		c, err := s.Decode(space.DNA{Children: []space.DNA{{Value: float64(i)}}})
		if err != nil {
			t.Fatal(err)
		}
		wantModel := trainer.Sequential{Layers: []trainer.Layer{trainer.Dense{Units: 16, Bias: true}, act,
			trainer.Residual{Body: []trainer.Layer{trainer.Dense{Units: 16, Bias: true}, act}}, logits(10)}}
		got, err := c.Model.Network(64, 10, 3)
		if err != nil {
			t.Fatal(err)
		}
		wantNet, err := wantModel.Network(64, 10, 3)
		if err != nil {
			t.Fatal(err)
		}
		sameParams(t, got, wantNet)
		sameForward(t, got, wantNet, inputs(3, 64))
	}
}
