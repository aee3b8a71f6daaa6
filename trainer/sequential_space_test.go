package trainer_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
)

// The per-layer search spaces below are each declared three ways: in YAML
// with tags, as a Go template with hyper-values at key paths, and define by
// run. The Go values spell out the schema defaults (a Dense's bias, the
// dataset's shape, the model's activation and init) that YAML leaves to
// the registry.

const seqSpaceHead = `_type: trainer.Classifier
data: {_type: trainer.Synthetic, train: 200, validation: 50, test: 50}
optimizer: {_type: trainer.AdamW, lr: 0.01}
epochs: 1
batch: 32
`

func seqBase(layers ...trainer.Layer) trainer.Classifier {
	return trainer.Classifier{
		Data:      trainer.Synthetic{Train: 200, Validation: 50, Test: 50, Features: 64, Classes: 10, Clusters: 4, Noise: 0.35},
		Model:     trainer.Sequential{Activation: new("relu"), Init: new("glorot_uniform"), Layers: layers},
		Optimizer: trainer.AdamW{LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
		Epochs:    1,
		Batch:     32,
		Schedule:  "constant",
	}
}

func he(units int) trainer.Dense {
	return trainer.Dense{Units: units, Bias: true, Init: new("he_uniform")}
}

// logits is the output layer, with the model's init.
func logits(units int) trainer.Dense { return trainer.Dense{Units: units, Bias: true} }

// goValue converts x with reg. A choice nested in a candidate of another
// is placed by symbolic.Rebind, which converts plain values only, so its
// registered-struct candidates are converted first.
func goValue(t *testing.T, reg *symbolic.Registry, x any) symbolic.Value {
	t.Helper()
	v, err := reg.FromGo(x)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// seqTemplate is a Go value with hyper-values placed at key paths of it,
// for a candidate of a choice: a template one level down.
func seqTemplate(t *testing.T, reg *symbolic.Registry, layers []trainer.Layer, hypers map[string]any) symbolic.Value {
	t.Helper()
	v, err := reg.FromGo(layers)
	if err != nil {
		t.Fatal(err)
	}
	if err := symbolic.Rebind(v, hypers); err != nil {
		t.Fatal(err)
	}
	return v
}

type seqSpaceCase struct {
	name     string
	yaml     string // the model, under seqSpaceHead
	template func(t *testing.T, reg *symbolic.Registry) (*space.Typed[trainer.Classifier], error)
	dbr      func(h *space.Decider) trainer.Classifier
	want     string // the spec as goglove space inspect prints it
}

var seqSpaceCases = []seqSpaceCase{
	{
		name: "fields and a whole layer",
		yaml: `model:
  _type: trainer.Sequential
  layers:
  - {_type: trainer.Dense, units: 32, init: he_uniform}
  - {_type: trainer.Dense, units: !oneof [64, 128, 256], init: he_uniform}
  - !oneof [{_type: trainer.Dense, units: 128, init: he_uniform}, {_type: trainer.Identity}]
  - !oneof [{_type: trainer.ReLU}, {_type: trainer.GELU}, {_type: trainer.Tanh}]
  - {_type: trainer.Dense, units: 10}
`,
		template: func(t *testing.T, reg *symbolic.Registry) (*space.Typed[trainer.Classifier], error) {
			return space.TemplateOf(reg, seqBase(he(32), he(64), he(128), trainer.ReLU{}, logits(10)), map[string]space.Hyper{
				"model.layers[1].units": space.OneOf(64, 128, 256),
				"model.layers[2]":       space.OneOf(he(128), trainer.Identity{}),
				"model.layers[3]":       space.OneOf(trainer.ReLU{}, trainer.GELU{}, trainer.Tanh{}),
			})
		},
		dbr: func(h *space.Decider) trainer.Classifier {
			return seqBase(
				he(32),
				he(space.Choose(h, "model.layers[1].units", 64, 128, 256)),
				space.Choose[trainer.Layer](h, "model.layers[2]", he(128), trainer.Identity{}),
				space.Choose[trainer.Layer](h, "model.layers[3]", trainer.ReLU{}, trainer.GELU{}, trainer.Tanh{}),
				logits(10))
		},
		want: `model.layers[1].units: oneof of 3
model.layers[2]: oneof of 2
model.layers[3]: oneof of 3
size: 18`,
	},
	{
		name: "chosen depth",
		yaml: `model:
  _type: trainer.Sequential
  layers: !oneof
  - - {_type: trainer.Dense, units: !oneof [64, 128, 256], init: he_uniform}
    - {_type: trainer.ReLU}
    - {_type: trainer.Dense, units: 10}
  - - {_type: trainer.Dense, units: !oneof [64, 128, 256], init: he_uniform}
    - !oneof [{_type: trainer.ReLU}, {_type: trainer.GELU}]
    - !oneof [{_type: trainer.Dense, units: 128, init: he_uniform}, {_type: trainer.Identity}]
    - {_type: trainer.Dropout, p: !oneof [0.0, 0.2]}
    - {_type: trainer.Dense, units: 10}
`,
		template: func(t *testing.T, reg *symbolic.Registry) (*space.Typed[trainer.Classifier], error) {
			shallow := seqTemplate(t, reg, []trainer.Layer{he(64), trainer.ReLU{}, logits(10)}, map[string]any{
				"[0].units": space.OneOf(64, 128, 256),
			})
			deep := seqTemplate(t, reg, []trainer.Layer{he(64), trainer.ReLU{}, he(128), trainer.Dropout{}, logits(10)}, map[string]any{
				"[0].units": space.OneOf(64, 128, 256),
				"[1]":       space.OneOf(goValue(t, reg, trainer.ReLU{}), goValue(t, reg, trainer.GELU{})),
				"[2]":       space.OneOf(goValue(t, reg, he(128)), goValue(t, reg, trainer.Identity{})),
				"[3].p":     space.OneOf(0.0, 0.2),
			})
			s, err := space.Template(reg, seqBase(), map[string]space.Hyper{
				"model.layers": space.OneOf(shallow, deep),
			})
			if err != nil {
				return nil, err
			}
			return space.As[trainer.Classifier](s), nil
		},
		dbr: func(h *space.Decider) trainer.Classifier {
			layers := space.ChooseFunc(h, "model.layers",
				func(h *space.Decider) []trainer.Layer {
					return []trainer.Layer{he(space.Choose(h, "[0].units", 64, 128, 256)), trainer.ReLU{}, logits(10)}
				},
				func(h *space.Decider) []trainer.Layer {
					return []trainer.Layer{
						he(space.Choose(h, "[0].units", 64, 128, 256)),
						space.Choose[trainer.Layer](h, "[1]", trainer.ReLU{}, trainer.GELU{}),
						space.Choose[trainer.Layer](h, "[2]", he(128), trainer.Identity{}),
						trainer.Dropout{P: space.Choose(h, "[3].p", 0.0, 0.2)},
						logits(10),
					}
				})
			return seqBase(layers...)
		},
		want: `model.layers: oneof of 2
  model.layers[0][0].units: oneof of 3
  model.layers[1][0].units: oneof of 3
  model.layers[1][1]: oneof of 2
  model.layers[1][2]: oneof of 2
  model.layers[1][3].p: oneof of 2
size: 27`,
	},
}

func seqRegistry(t *testing.T) *symbolic.Registry {
	t.Helper()
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		t.Fatal(err)
	}
	if err := trainer.Register(reg); err != nil {
		t.Fatal(err)
	}
	return reg
}

// shape describes a spec without its IDs: the kind, candidate count and
// bounds of each point, nested under the candidate it belongs to.
func shape(points []*space.DecisionPoint, depth int, b *strings.Builder) {
	for _, p := range points {
		b.WriteString(strings.Repeat("  ", depth))
		s := p.String()
		b.WriteString(s[strings.LastIndex(s, ": ")+2:])
		b.WriteByte('\n')
		for i, c := range p.Candidates {
			if len(c.Points) > 0 {
				b.WriteString(strings.Repeat("  ", depth+1) + "candidate " + strconv.Itoa(i) + ":\n")
				shape(c.Points, depth+2, b)
			}
		}
	}
}

func shapeOf(s *space.DNASpec) string {
	var b strings.Builder
	shape(s.Points, 0, &b)
	return b.String() + "size: " + s.SizeString()
}

// canonical binds a decoded program to Go and converts it back, so that
// trees written with and without the schema defaults compare equal.
func canonical(t *testing.T, reg *symbolic.Registry, v symbolic.Value) symbolic.Value {
	t.Helper()
	c, err := symbolic.To[trainer.Classifier](v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := reg.FromGo(c)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSequentialSpaceStyles checks that a per-layer search space declared
// in YAML, as a Go template and define by run has the same DNASpec, and
// that every DNA of it decodes to equal programs in all three, each of
// which builds a network.
func TestSequentialSpaceStyles(t *testing.T) {
	for _, tc := range seqSpaceCases {
		t.Run(tc.name, func(t *testing.T) {
			reg := seqRegistry(t)
			tree, err := reg.DecodeYAML([]byte(seqSpaceHead+tc.yaml), nil)
			if err != nil {
				t.Fatal(err)
			}
			fromYAML, err := space.New(tree)
			if err != nil {
				t.Fatal(err)
			}
			fromGo, err := tc.template(t, reg)
			if err != nil {
				t.Fatal(err)
			}
			byRun, err := space.Trace(tc.dbr)
			if err != nil {
				t.Fatal(err)
			}
			if got := fromYAML.Spec().String(); got != tc.want {
				t.Fatalf("YAML spec:\n%s\nwant:\n%s", got, tc.want)
			}
			if got := fromGo.Spec().String(); got != tc.want {
				t.Fatalf("template spec:\n%s\nwant:\n%s", got, tc.want)
			}
			// Define-by-run IDs are decision names, each one key under the
			// enclosing candidate, so a name with dots is quoted
			// (["model.layers[1].units"]); the rest of the spec is the same.
			if got, want := shapeOf(byRun.Spec()), shapeOf(fromYAML.Spec()); got != want {
				t.Fatalf("define-by-run spec shape:\n%s\nwant:\n%s", got, want)
			}
			grid, err := fromYAML.Spec().Grid()
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for d := range grid {
				n++
				label := fromYAML.Spec().Format(d)
				y, err := fromYAML.Decode(d)
				if err != nil {
					t.Fatalf("%s: YAML: %v", label, err)
				}
				g, err := fromGo.DecodeTree(d)
				if err != nil {
					t.Fatalf("%s: template: %v", label, err)
				}
				typed, err := fromGo.Decode(d)
				if err != nil {
					t.Fatalf("%s: template: %v", label, err)
				}
				r, err := byRun.DecodeTree(reg, d)
				if err != nil {
					t.Fatalf("%s: define by run: %v", label, err)
				}
				cy := canonical(t, reg, y)
				if cg := canonical(t, reg, g); !symbolic.Equal(cy, cg) {
					t.Fatalf("%s: template decodes to\n%v\nYAML to\n%v", label, cg, cy)
				}
				if ct := goValue(t, reg, typed); !symbolic.Equal(cy, ct) {
					t.Fatalf("%s: the typed template decodes to\n%v\nYAML to\n%v", label, ct, cy)
				}
				if !symbolic.Equal(cy, r) {
					t.Fatalf("%s: define by run decodes to\n%v\nYAML to\n%v", label, r, cy)
				}
				c, err := symbolic.To[trainer.Classifier](y)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := c.Model.Network(64, 10, 1); err != nil {
					t.Fatalf("%s: %v", label, err)
				}
			}
			if size, _ := fromYAML.Spec().Size(); size == nil || int64(n) != size.Int64() {
				t.Errorf("the grid has %d DNAs, the spec's size is %v", n, size)
			}
		})
	}
}
