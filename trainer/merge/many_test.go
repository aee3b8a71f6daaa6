package merge

import (
	"context"
	"testing"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// MergeMany of three permuted copies of one model finds them all back:
// the average of the aligned copies is the model.
func TestMergeManyPermutedCopies(t *testing.T) {
	a := mlp(5, 12, 32, 32, 6)
	s := mustSpec(t, a)
	nets := []*nn.Sequential{mustClone(t, a), mustClone(t, a), mustClone(t, a)}
	for k, n := range nets {
		if err := Apply(s, randomPerm(s, uint64(k)+10), n); err != nil {
			t.Fatal(err)
		}
	}
	perms, err := MergeMany(context.Background(), s, nets, MergeManyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	al, err := AlignAll(s, nets, perms)
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k < 3; k++ {
		if d, _ := Distance(al[0], al[k]); d != 0 {
			t.Errorf("aligned copy %d is %g from copy 0", k, d)
		}
	}
}

// Three models trained from different seeds: the plain average of the
// aligned models (by MergeMany, and by weight matching to an anchor)
// is far more accurate than the naive average.
func TestThreeModelMerging(t *testing.T) {
	var nets []*nn.Sequential
	for seed := uint64(1); seed <= 3; seed++ {
		n, _ := trained(t, seed)
		nets = append(nets, n)
	}
	sp, _ := pairTask()
	s := mustSpec(t, nets[0])
	ctx := context.Background()
	naive, err := Average(nets, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, accNaive := Evaluate(naive, sp.Test)

	perms, err := MergeMany(ctx, s, nets, MergeManyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	al, err := AlignAll(s, nets, perms)
	if err != nil {
		t.Fatal(err)
	}
	many, _ := Average(al, nil)
	_, accMany := Evaluate(many, sp.Test)

	anchor := []Permutation{Identity(s)}
	for _, n := range nets[1:] {
		res, err := WeightMatching(ctx, s, nets[0], n, WMOptions{})
		if err != nil {
			t.Fatal(err)
		}
		anchor = append(anchor, res.Perm)
	}
	al, _ = AlignAll(s, nets, anchor)
	anch, _ := Average(al, nil)
	_, accAnchor := Evaluate(anch, sp.Test)

	var accEach float64
	for _, n := range nets {
		_, acc := Evaluate(n, sp.Test)
		accEach += acc / 3
	}
	t.Logf("accuracy: models %.4f on average; average of three naive %.4f, MergeMany %.4f, anchor %.4f", accEach, accNaive, accMany, accAnchor)
	if !(accMany > accNaive+0.1) || !(accAnchor > accNaive+0.1) {
		t.Errorf("aligned averages %.4f (MergeMany), %.4f (anchor) do not beat the naive %.4f by 10 points", accMany, accAnchor, accNaive)
	}
	if _, err := MergeMany(ctx, s, nets[:1], MergeManyOptions{}); err == nil {
		t.Error("MergeMany of one model: no error")
	}
}
