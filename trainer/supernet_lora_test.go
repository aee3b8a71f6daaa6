package trainer

import (
	"math"
	"testing"

	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// rankTask is ftTask with a validation split, which a supernet needs.
var rankTask = Synthetic{Train: 300, Validation: 100, Test: 100, Features: 16, Classes: 4, Clusters: 2, Noise: 0.3, Seed: 2}

var rankCandidates = []int{2, 4, 8}

// rankSupernet is the rank supernet of ftLoRA on rankTask, its adapters'
// B factors drawn at random (a fresh B is zero, which would hide the
// ranks' differences).
func rankSupernet(t *testing.T, base *Trained) *Supernet {
	t.Helper()
	f := ftLoRA(4)
	f.Task = rankTask
	super, err := NewFineTuneSupernet(f, base, rankCandidates, SupernetOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	rng := nn.NewRand(9, 9)
	for _, p := range super.Network().Params() {
		if p.Role == nn.RoleAdapter {
			for i := range p.Value.Data {
				p.Value.Data[i] = float32(0.3 * rng.NormFloat64())
			}
		}
	}
	return super
}

// With one-hot weights the rank supernet computes the fine-tune of the
// chosen rank (the same α) whose adapters are the first components of
// the supernet's.
func TestFineTuneSupernetOneHotIsTheChild(t *testing.T) {
	base := trainedBase(t)
	super := rankSupernet(t, base)
	x := testInputs()
	for k, r := range rankCandidates {
		if err := super.SetWeights(oneHot([]int{len(rankCandidates)}, []int{k})); err != nil {
			t.Fatal(err)
		}
		f := ftLoRA(r)
		f.Task = rankTask
		m := f.Method.(LoRA)
		m.Alpha = ftLoRA(4).Method.(LoRA).Alpha // the supernet's α, shared by its ranks
		f.Method = m
		child, err := f.withDefaults().setUp(base, rankTask.Classes)
		if err != nil {
			t.Fatal(err)
		}
		copyChosen(t, super, child.net, func(int) int { return -1 })
		want := forward(child.net, x)
		got := forward(super.Network(), x)
		for i := range want {
			if d := math.Abs(float64(got[i] - want[i])); d > 1e-5 {
				t.Fatalf("rank %d: output %d is %g, the child's %g", r, i, got[i], want[i])
			}
		}
		// The same loss's gradient: the child's on the chosen components.
		y := []int32{0, 1, 2, 3, 0, 1, 2, 3, 0, 1}
		var loss nn.SoftmaxCrossEntropy
		loss.Forward(super.Network().Forward(x, false), y)
		super.Network().Backward(loss.Grad(), false)
		loss.Forward(child.net.Forward(x, false), y)
		child.net.Backward(loss.Grad(), false)
		for _, p := range child.net.Params() {
			if p.Frozen {
				continue
			}
			sg := tensor.New(p.Grad.Shape...)
			copyBlock(super.Network().Param(p.Name).Grad, sg)
			for i, v := range p.Grad.Data {
				if math.Abs(float64(sg.Data[i]-v)) > 1e-5+1e-4*math.Abs(float64(v)) {
					t.Fatalf("rank %d: d%s[%d] = %g, the child's %g", r, p.Name, i, sg.Data[i], v)
				}
			}
		}
	}
}

// The gradient with respect to the rank logits matches central
// differences of the loss.
func TestFineTuneSupernetGradientFiniteDifferences(t *testing.T) {
	base := trainedBase(t)
	super := rankSupernet(t, base)
	x := testInputs()
	y := []int32{0, 1, 2, 3, 0, 1, 2, 3, 0, 1}
	var loss nn.SoftmaxCrossEntropy
	eval := func(a []float64) float64 {
		if err := super.SetWeights(softmaxes([][]float64{a})); err != nil {
			t.Fatal(err)
		}
		l, _ := loss.Forward(super.Network().Forward(x, false), y)
		return l
	}
	alpha := []float64{0.3, -0.2, 0.5}
	eval(alpha)
	super.Mixes()[0].ZeroGrad()
	super.Network().Backward(loss.Grad(), false)
	g := super.Mixes()[0].Grad
	w := softmaxes([][]float64{alpha})[0]
	var dot float64
	for j := range g {
		dot += w[j] * g[j]
	}
	const h = 1e-2
	for j := range alpha {
		analytic := w[j] * (g[j] - dot)
		alpha[j] += h
		up := eval(alpha)
		alpha[j] -= 2 * h
		down := eval(alpha)
		alpha[j] += h
		numeric := (up - down) / (2 * h)
		if math.Abs(analytic-numeric) > 1e-4+1e-2*math.Abs(numeric) {
			t.Fatalf("dL/dα[%d] = %g, finite differences %g", j, analytic, numeric)
		}
	}
	if math.Abs(g[0]-g[2]) < 1e-9 {
		t.Fatalf("the ranks' gradients %v do not differ", g)
	}
}

// A rank supernet trains: a few steps lower the training loss, and
// errors name the method.
func TestFineTuneSupernetStepAndErrors(t *testing.T) {
	base := trainedBase(t)
	super := rankSupernet(t, base)
	w := [][]float64{{1.0 / 3, 1.0 / 3, 1.0 / 3}}
	var first, last float64
	for i := range 40 {
		st, err := super.Step(t.Context(), w)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Grad) != 1 || len(st.Grad[0]) != 3 {
			t.Fatalf("gradient %v, want one vector of 3", st.Grad)
		}
		if i < 5 {
			first += st.TrainLoss
		}
		if i >= 35 {
			last += st.TrainLoss
		}
	}
	if last >= first {
		t.Errorf("training loss of the last 5 steps %g, of the first 5 %g: want lower", last/5, first/5)
	}
	f := ftLoRA(4)
	f.Task = rankTask
	f.Method = Full{}
	if _, err := NewFineTuneSupernet(f, base, rankCandidates, SupernetOptions{}); err == nil || !contains(err.Error(), "method: a rank supernet needs a trainer.LoRA") {
		t.Errorf("Full method: error %v", err)
	}
	f = ftLoRA(4)
	if _, err := NewFineTuneSupernet(f, base, rankCandidates, SupernetOptions{}); err == nil || !contains(err.Error(), "validation") {
		t.Errorf("no validation split: error %v", err)
	}
	f.Task = rankTask
	if _, err := NewFineTuneSupernet(f, base, []int{4, 64}, SupernetOptions{}); err == nil || !contains(err.Error(), "method.rank: candidate 64") {
		t.Errorf("rank 64: error %v", err)
	}
}
