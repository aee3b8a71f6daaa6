package trainer

import (
	"context"
	"math"
	"regexp"
	"strconv"
	"testing"

	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

func str(s string) *string { return &s }

func smallSplits(t *testing.T) *data.Splits {
	t.Helper()
	s, err := data.Synthetic(data.SyntheticOptions{Train: 256, Val: 128, Test: 64, Features: 6, Classes: 3, Clusters: 2, Noise: 0.3, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The supernets of the tests, one per kind of decision (and one with all
// of them), with each decision's candidates and the child program of a
// choice.
type supernetCase struct {
	name       string
	model      Sequential
	candidates []int
	child      func(choice []int) Sequential
}

func acts() []Layer {
	return []Layer{Activation{Activation: str("relu")}, Activation{Activation: str("gelu")}, Activation{Activation: str("tanh")}}
}

func supernetCases() []supernetCase { return supernetCasesWith(acts) }

// smoothActs are activation candidates without a kink, for the
// finite-difference Hessian of the second-order gradient (which a ReLU's
// kinks within ε of the weights spoil).
func smoothActs() []Layer {
	return []Layer{Activation{Activation: str("tanh")}, Activation{Activation: str("gelu")}, Identity{}}
}

// supernetCasesWith returns the cases with the given activation
// candidates.
func supernetCasesWith(acts func() []Layer) []supernetCase {
	layerChoice := []Layer{Dense{Units: 8, Bias: true}, Identity{}, Residual{Body: []Layer{Dense{Units: 8, Bias: true}, Tanh{}}}}
	widths := []Layer{Dense{Units: 4, Bias: true}, Dense{Units: 12, Bias: true}, Dense{Units: 8, Bias: true}}
	return []supernetCase{
		{
			name:       "layers",
			model:      Sequential{Layers: []Layer{Dense{Units: 8, Bias: true}, Tanh{}, Mixed{Decision: 0, Candidates: layerChoice}, Dense{Units: 3, Bias: true}}},
			candidates: []int{3},
			child: func(c []int) Sequential {
				return Sequential{Layers: []Layer{Dense{Units: 8, Bias: true}, Tanh{}, layerChoice[c[0]], Dense{Units: 3, Bias: true}}}
			},
		},
		{
			name:       "activations",
			model:      Sequential{Layers: []Layer{Dense{Units: 8, Bias: true}, Mixed{Decision: 0, Candidates: acts()}, Dense{Units: 8, Bias: true}, Mixed{Decision: 0, Candidates: acts()}, Dense{Units: 3, Bias: true}}},
			candidates: []int{3},
			child: func(c []int) Sequential {
				a := acts()[c[0]]
				return Sequential{Layers: []Layer{Dense{Units: 8, Bias: true}, a, Dense{Units: 8, Bias: true}, a, Dense{Units: 3, Bias: true}}}
			},
		},
		{
			name:       "widths",
			model:      Sequential{Layers: []Layer{Mixed{Decision: 0, Candidates: widths}, Tanh{}, Dense{Units: 3, Bias: true}}},
			candidates: []int{3},
			child: func(c []int) Sequential {
				return Sequential{Layers: []Layer{widths[c[0]], Tanh{}, Dense{Units: 3, Bias: true}}}
			},
		},
		{
			name: "all",
			model: Sequential{Layers: []Layer{
				Mixed{Decision: 0, Candidates: widths}, Mixed{Decision: 1, Candidates: acts()},
				Dense{Units: 8, Bias: true}, Mixed{Decision: 1, Candidates: acts()},
				Mixed{Decision: 2, Candidates: layerChoice}, Dense{Units: 3, Bias: true},
			}},
			candidates: []int{3, 3, 3},
			child: func(c []int) Sequential {
				a := acts()[c[1]]
				return Sequential{Layers: []Layer{widths[c[0]], a, Dense{Units: 8, Bias: true}, a, layerChoice[c[2]], Dense{Units: 3, Bias: true}}}
			},
		},
	}
}

func oneHot(candidates, choice []int) [][]float64 {
	w := make([][]float64, len(candidates))
	for i, n := range candidates {
		w[i] = make([]float64, n)
		w[i][choice[i]] = 1
	}
	return w
}

var candidatePart = regexp.MustCompile(`candidates\[(\d+)\]\.`)

// copyChosen copies the supernet's weights of the chosen candidates into
// child: a parameter "layers[i].candidates[k].x" of a chosen k is the
// child's "layers[i].x", and a shared (masked) weight gives the child its
// top-left block.
func copyChosen(t *testing.T, super *Supernet, child *nn.Sequential, choice func(layer int) int) {
	t.Helper()
	for _, p := range super.Network().Params() {
		name := p.Name
		if m := candidatePart.FindStringSubmatch(name); m != nil {
			layer, _ := strconv.Atoi(regexp.MustCompile(`^layers\[(\d+)\]`).FindStringSubmatch(name)[1])
			if k, _ := strconv.Atoi(m[1]); k != choice(layer) {
				continue
			}
			name = candidatePart.ReplaceAllString(name, "")
		}
		q := child.Param(name)
		if q == nil {
			t.Fatalf("the child has no parameter %s", name)
		}
		copyBlock(p.Value, q.Value)
	}
}

func copyBlock(from, to *tensor.Tensor) {
	if len(to.Shape) == 1 {
		copy(to.Data, from.Data[:to.Shape[0]])
		return
	}
	for r := range to.Shape[0] {
		copy(to.Data[r*to.Shape[1]:(r+1)*to.Shape[1]], from.Data[r*from.Shape[1]:r*from.Shape[1]+to.Shape[1]])
	}
}

// quantCase is a choice between quantizers of one layer, whose
// candidates share one latent fp32 weight matrix (the only weights the
// supernet has for the layer: copyChosen copies them to every child).
func quantCase() supernetCase {
	quants := []Layer{Dense{Units: 8, Bias: true, Quant: FP32{}}, Dense{Units: 8, Bias: true, Quant: Int8{Per: "row"}}, Dense{Units: 8, Bias: true, Quant: Ternary{}}}
	return supernetCase{
		name:       "quantizers",
		model:      Sequential{Layers: []Layer{Dense{Units: 8, Bias: true}, Tanh{}, Mixed{Decision: 0, Candidates: quants}, Tanh{}, Dense{Units: 3, Bias: true}}},
		candidates: []int{3},
		child: func(c []int) Sequential {
			return Sequential{Layers: []Layer{Dense{Units: 8, Bias: true}, Tanh{}, quants[c[0]], Tanh{}, Dense{Units: 3, Bias: true}}}
		},
	}
}

// With one-hot weights the supernet computes the chosen child program,
// with the same weights, for every kind of decision.
func TestSupernetOneHotIsTheChild(t *testing.T) {
	splits := smallSplits(t)
	x := tensor.FromData(splits.Val.X[:16*6], 16, 6)
	for _, tc := range append(supernetCases(), quantCase()) {
		t.Run(tc.name, func(t *testing.T) {
			super, err := NewSupernet(tc.model, tc.candidates, splits, SupernetOptions{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			for _, choice := range allChoices(tc.candidates) {
				if err := super.SetWeights(oneHot(tc.candidates, choice)); err != nil {
					t.Fatal(err)
				}
				child, err := tc.child(choice).Network(6, 3, 2)
				if err != nil {
					t.Fatal(err)
				}
				mixedLayer := func(layer int) int {
					m, ok := tc.model.Layers[layer].(Mixed)
					if !ok {
						return -1
					}
					return choice[m.Decision]
				}
				copyChosen(t, super, child, mixedLayer)
				want := child.Forward(x, false).Clone()
				got := super.Network().Forward(x, false)
				for i := range want.Data {
					if d := math.Abs(float64(got.Data[i] - want.Data[i])); d > 1e-5 {
						t.Fatalf("choice %v: output %d is %g, the child's %g", choice, i, got.Data[i], want.Data[i])
					}
				}
			}
		})
	}
}

func allChoices(candidates []int) [][]int {
	out := [][]int{{}}
	for _, n := range candidates {
		var next [][]int
		for _, c := range out {
			for k := range n {
				next = append(next, append(append([]int(nil), c...), k))
			}
		}
		out = next
	}
	return out
}

// The gradient with respect to the logits α (weights softmax(α)) matches
// central differences of the validation loss.
func TestSupernetGradientFiniteDifferences(t *testing.T) {
	splits := smallSplits(t)
	x := tensor.FromData(splits.Val.X[:32*6], 32, 6)
	y := splits.Val.Y[:32]
	for _, tc := range append(supernetCases(), quantCase()) {
		t.Run(tc.name, func(t *testing.T) {
			super, err := NewSupernet(tc.model, tc.candidates, splits, SupernetOptions{Seed: 5})
			if err != nil {
				t.Fatal(err)
			}
			alpha := make([][]float64, len(tc.candidates))
			for i, n := range tc.candidates {
				alpha[i] = make([]float64, n)
				for j := range alpha[i] {
					alpha[i][j] = 0.4*float64(j) - 0.3*float64(i)
				}
			}
			var loss nn.SoftmaxCrossEntropy
			eval := func(a [][]float64) float64 {
				if err := super.SetWeights(softmaxes(a)); err != nil {
					t.Fatal(err)
				}
				l, _ := loss.Forward(super.Network().Forward(x, false), y)
				return l
			}
			eval(alpha)
			for _, m := range super.Mixes() {
				m.ZeroGrad()
			}
			super.Network().Backward(loss.Grad(), false)
			w := softmaxes(alpha)
			const h = 1e-2
			for i := range alpha {
				g := super.Mixes()[i].Grad
				var dot float64
				for j := range g {
					dot += w[i][j] * g[j]
				}
				for j := range alpha[i] {
					analytic := w[i][j] * (g[j] - dot)
					alpha[i][j] += h
					up := eval(alpha)
					alpha[i][j] -= 2 * h
					down := eval(alpha)
					alpha[i][j] += h
					numeric := (up - down) / (2 * h)
					if math.Abs(analytic-numeric) > 1e-4+1e-2*math.Abs(numeric) {
						t.Fatalf("dL/dα[%d][%d] = %g, finite differences %g", i, j, analytic, numeric)
					}
				}
			}
		})
	}
}

func softmaxes(a [][]float64) [][]float64 {
	out := make([][]float64, len(a))
	for i, z := range a {
		m := math.Inf(-1)
		for _, v := range z {
			m = math.Max(m, v)
		}
		var s float64
		out[i] = make([]float64, len(z))
		for j, v := range z {
			out[i][j] = math.Exp(v - m)
			s += out[i][j]
		}
		for j := range out[i] {
			out[i][j] /= s
		}
	}
	return out
}

// Steps with fixed weights train the shared weights: the validation loss
// falls.
func TestSupernetStepTrains(t *testing.T) {
	splits := smallSplits(t)
	tc := supernetCases()[3]
	super, err := NewSupernet(tc.model, tc.candidates, splits, SupernetOptions{Seed: 2, LR: 0.01, Batch: 32})
	if err != nil {
		t.Fatal(err)
	}
	uniform := softmaxes([][]float64{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}})
	if err := super.SetWeights(uniform); err != nil {
		t.Fatal(err)
	}
	before, _ := super.Evaluate()
	for range 200 {
		st, err := super.Step(context.Background(), uniform)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Grad) != 3 || len(st.Grad[0]) != 3 {
			t.Fatalf("gradient shape %v", st.Grad)
		}
	}
	after, acc := super.Evaluate()
	if !(after < 0.8*before) || acc < 0.6 {
		t.Fatalf("validation loss %g → %g, accuracy %g: the supernet did not train", before, after, acc)
	}
}

func TestSupernetErrors(t *testing.T) {
	splits := smallSplits(t)
	for _, tt := range []struct {
		name       string
		model      Sequential
		candidates []int
		msg        string
	}{
		{"unknown decision", Sequential{Layers: []Layer{Mixed{Decision: 1, Candidates: acts()}, Dense{Units: 3}}}, []int{3},
			"model.layers[0].decision: want a decision of the supernet (it has 1), got 1"},
		{"candidate count", Sequential{Layers: []Layer{Mixed{Decision: 0, Candidates: acts()}, Dense{Units: 3}}}, []int{2},
			"model.layers[0].candidates: decision 0 has 2 candidates, got 3"},
		{"bad candidate", Sequential{Layers: []Layer{Mixed{Decision: 0, Candidates: []Layer{Identity{}, Dense{Units: 0}}}, Dense{Units: 3}}}, []int{2},
			"model.layers[0].candidates[1].units: want int in [1, 65536], got 0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSupernet(tt.model, tt.candidates, splits, SupernetOptions{})
			if err == nil || !contains(err.Error(), tt.msg) {
				t.Fatalf("error %v, want %q", err, tt.msg)
			}
		})
	}
	if _, err := NewSupernet(Sequential{Layers: []Layer{Dense{Units: 3}}}, nil, &data.Splits{Train: splits.Train}, SupernetOptions{}); err == nil {
		t.Fatal("a supernet without validation data was built")
	}
}

func contains(s, sub string) bool { return regexp.MustCompile(regexp.QuoteMeta(sub)).MatchString(s) }
