package trainer

import (
	"context"
	"math"
	"testing"

	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/spectral"
)

// TestScaleIntruders: λ = 1 keeps the fine-tuned network (up to the
// rounding of the reconstruction), and λ = 0 removes each intruder
// direction: W'·v = 0 for its right singular vector v, while the other
// directions keep their singular values.
func TestScaleIntruders(t *testing.T) {
	f := ftLoRA(1)
	f.Method = LoRA{Rank: 1, Alpha: 16, Bias: true} // a large update: γ = 16
	f.Lambdas = []float64{1, 0}
	r, err := f.TuneFrom(context.Background(), nil, trainedBase(t))
	if err != nil {
		t.Fatal(err)
	}
	if r.Metrics[MetricIntruders] == 0 {
		t.Fatal("the fine-tune has no intruders to scale; the test needs some")
	}
	if d := math.Abs(r.Scaled[0].TargetAccuracy - r.Metrics[MetricTargetAccuracy]); d > 0.005 {
		t.Errorf("λ = 1 moved the target accuracy by %v", d)
	}
	targets := []int{0, 2}
	zero := scaleIntruders(r.Trained.Net, targets, r.Layers, 0)
	for j, i := range targets {
		l := r.Layers[j]
		d := zero.Layers[i].(*nn.Dense)
		w := spectral.Transpose(d.In, d.Out, d.W.Value.Data) // out×in
		for n := 0; n < l.tuned.Rank(); n++ {
			v := l.tuned.Right(n)
			var norm float64
			for o := 0; o < d.Out; o++ {
				var s float64
				for k, x := range v {
					s += float64(w[o*d.In+k]) * x
				}
				norm += s * s
			}
			norm = math.Sqrt(norm) // |W'·v_n| is σ_n, or 0 for an intruder
			want := l.Tuned[n]
			for _, in := range l.Intruders.Indices {
				if in == n {
					want = 0
				}
			}
			if math.Abs(norm-want) > 1e-4*(1+l.Tuned[0]) {
				t.Errorf("%s: |W'·v_%d| = %v, want %v (intruders %v)", l.Path, n, norm, want, l.Intruders.Indices)
			}
		}
	}
}

// The intruders found are the ones FindIntruders finds between the
// base's and the merged network's matrices, and the spectra are the
// decompositions' values.
func TestAnalyseMatchesSpectral(t *testing.T) {
	base := trainedBase(t)
	f := ftLoRA(1)
	f.Method = LoRA{Rank: 1, Alpha: 16, Bias: true}
	r, err := f.TuneFrom(context.Background(), nil, base)
	if err != nil {
		t.Fatal(err)
	}
	for j, i := range []int{0, 2} {
		b := base.Net.Layers[i].(*nn.Dense)
		m := r.Trained.Net.Layers[i].(*nn.Dense)
		sb, err := spectral.Decompose(b.Out, b.In, spectral.Transpose(b.In, b.Out, b.W.Value.Data))
		if err != nil {
			t.Fatal(err)
		}
		sm, err := spectral.Decompose(m.Out, m.In, spectral.Transpose(m.In, m.Out, m.W.Value.Data))
		if err != nil {
			t.Fatal(err)
		}
		want, err := spectral.FindIntruders(sb, sm, 10, 0.5)
		if err != nil {
			t.Fatal(err)
		}
		got := r.Layers[j]
		if got.Intruders.Count != want.Count || len(got.Tuned) != len(sm.Values) || got.Tuned[0] != sm.Values[0] || got.Base[0] != sb.Values[0] {
			t.Errorf("%s: %d intruders, σ₁ %v and %v; from the networks %d, %v and %v", got.Path, got.Intruders.Count, got.Tuned[0], got.Base[0], want.Count, sm.Values[0], sb.Values[0])
		}
		if r.Metrics["intruders."+got.Path] != float64(want.Count) {
			t.Errorf("metric intruders.%s = %v, want %d", got.Path, r.Metrics["intruders."+got.Path], want.Count)
		}
	}
}
