package merge

import (
	"context"
	"slices"
	"testing"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// quantMLP returns a perceptron of quantized dense layers: ternary with
// the parameter-free LayerNorm, then int8 per output unit, then int8 per
// tensor.
func quantMLP(seed uint64) *nn.Sequential {
	rng := nn.NewRand(seed, 1)
	return nn.NewSequential(
		nn.NewQuantDense(12, 24, true, nn.TorchLinear, rng, nn.QuantConfig{Format: nn.TernaryAbsMean, Norm: true}),
		new(nn.ReLU),
		nn.NewQuantDense(24, 20, true, nn.TorchLinear, rng, nn.QuantConfig{Format: nn.Int8Row}),
		new(nn.ReLU),
		nn.NewQuantDense(20, 5, false, nn.TorchLinear, rng, nn.QuantConfig{Format: nn.Int8Tensor}),
	)
}

// fix fixes every quantized layer of net to its current codes, as a
// model loaded for inference is; the function does not change.
func fix(t *testing.T, net *nn.Sequential) {
	t.Helper()
	x := randomInput(8, 5, net.Params()[0].Value.Shape[0])
	before := outputs(net, x)
	if err := FixCodes(net); err != nil {
		t.Fatal(err)
	}
	if d := maxRelDiff(before, outputs(net, x)); d != 0 {
		t.Fatalf("FixCodes changed the outputs by %g", d)
	}
	for _, q := range quantLayers(net) {
		if !slices.Equal(q.W.Value.Data, q.Weights()) {
			t.Fatal("FixCodes left W apart from the weights the layer computes with")
		}
	}
}

// Quantized layers permute like dense ones, trained (codes from W) or
// loaded (codes fixed): the function is kept, and Clone keeps it too.
func TestQuantizedApplyAndClone(t *testing.T) {
	for _, fixed := range []bool{false, true} {
		net := quantMLP(3)
		if fixed {
			fix(t, net)
		}
		s := mustSpec(t, net)
		if len(s.Groups) != 2 || s.GroupOf("layers[2].b", 0) != 1 || s.GroupOf("layers[4].w", 0) != 1 {
			t.Fatalf("spec %+v", s.Groups)
		}
		x := randomInput(1, 9, 12)
		before := outputs(net, x)
		c := mustClone(t, net)
		if d := maxRelDiff(before, outputs(c, x)); d != 0 {
			t.Errorf("fixed %v: the clone's outputs differ by %g", fixed, d)
		}
		if err := Apply(s, randomPerm(s, 2), c); err != nil {
			t.Fatal(err)
		}
		if d := maxRelDiff(before, outputs(c, x)); d > 1e-5 {
			t.Errorf("fixed %v: the permuted network's outputs differ by %g", fixed, d)
		}
		// Weight matching finds the permutation back.
		res, err := WeightMatching(context.Background(), s, net, c, WMOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := Apply(s, res.Perm, c); err != nil {
			t.Fatal(err)
		}
		if d, _ := Distance(net, c); d != 0 {
			t.Errorf("fixed %v: aligned back, %g away", fixed, d)
		}
		if d := maxRelDiff(before, outputs(c, x)); d > 1e-5 {
			t.Errorf("fixed %v: aligned back, the outputs differ by %g", fixed, d)
		}
	}
}

// A merge writes new weights into quantized layers, which quantize them
// afresh: the average of a loaded int8 network and a copy computes what
// a fresh network of those weights computes.
func TestQuantizedMergeQuantizesAfresh(t *testing.T) {
	a, b := quantMLP(1), quantMLP(2)
	fix(t, a)
	fix(t, b)
	avg, err := Average([]*nn.Sequential{a, b}, nil)
	if err != nil {
		t.Fatal(err)
	}
	fresh := quantMLP(9)
	for i, p := range fresh.Params() {
		copy(p.Value.Data, avg.Params()[i].Value.Data)
	}
	x := randomInput(4, 7, 12)
	if d := maxRelDiff(outputs(fresh, x), outputs(avg, x)); d != 0 {
		t.Errorf("the average computes %g away from a fresh network of its weights", d)
	}
	if d := maxRelDiff(outputs(a, x), outputs(avg, x)); d == 0 {
		t.Error("the average computes what model a computes: its codes were kept")
	}
}
