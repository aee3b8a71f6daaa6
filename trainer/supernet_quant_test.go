package trainer

import (
	"math"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// A quantizer choice has one latent weight matrix and bias, not one per
// candidate, and with one-hot mixing weights their gradient is the
// chosen child's (its straight-through gradient, for the same weights).
func TestSupernetQuantizersShareTheLatentWeights(t *testing.T) {
	splits := smallSplits(t)
	tc := quantCase()
	super, err := NewSupernet(tc.model, tc.candidates, splits, SupernetOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range super.Network().Params() {
		if strings.HasPrefix(p.Name, "layers[2].") {
			names = append(names, p.Name)
		}
	}
	if strings.Join(names, " ") != "layers[2].w layers[2].b" {
		t.Fatalf("the quantizer choice's parameters are %v, want the shared layers[2].w and layers[2].b", names)
	}
	x := tensor.FromData(splits.Val.X[:16*6], 16, 6)
	y := splits.Val.Y[:16]
	var loss nn.SoftmaxCrossEntropy
	for _, choice := range allChoices(tc.candidates) {
		if err := super.SetWeights(oneHot(tc.candidates, choice)); err != nil {
			t.Fatal(err)
		}
		child, err := tc.child(choice).Network(6, 3, 2)
		if err != nil {
			t.Fatal(err)
		}
		copyChosen(t, super, child, func(layer int) int { return choice[0] })
		loss.Forward(super.Network().Forward(x, false), y)
		super.Network().Backward(loss.Grad(), false)
		loss.Forward(child.Forward(x, false), y)
		child.Backward(loss.Grad(), false)
		for _, name := range names {
			got, want := super.Network().Param(name).Grad.Data, child.Param(name).Grad.Data
			for i := range want {
				if math.Abs(float64(got[i]-want[i])) > 1e-6+1e-4*math.Abs(float64(want[i])) {
					t.Fatalf("choice %v: d%s[%d] = %g, the child's %g", choice, name, i, got[i], want[i])
				}
			}
		}
	}
}
