package merge

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/spectral"
)

func TestSpecOfMLP(t *testing.T) {
	s := mustSpec(t, mlp(1, 5, 8, 7, 3))
	if len(s.Groups) != 2 {
		t.Fatalf("%d groups, want 2: %+v", len(s.Groups), s.Groups)
	}
	want := []Group{
		{Name: "layers[0]", Size: 8, Axes: []Axis{{"layers[0].w", 1}, {"layers[0].b", 0}, {"layers[2].w", 0}}, Taps: []string{"layers[1]"}},
		{Name: "layers[2]", Size: 7, Axes: []Axis{{"layers[2].w", 1}, {"layers[2].b", 0}, {"layers[4].w", 0}}, Taps: []string{"layers[3]"}},
	}
	for g := range want {
		got := s.Groups[g]
		if got.Name != want[g].Name || got.Size != want[g].Size || !slices.Equal(got.Axes, want[g].Axes) || !slices.Equal(got.Taps, want[g].Taps) {
			t.Errorf("group %d = %+v, want %+v", g, got, want[g])
		}
	}
	if s.GroupOf("layers[0].w", 0) != -1 || s.GroupOf("layers[4].w", 1) != -1 || s.GroupOf("layers[4].b", 0) != -1 || s.GroupOf("layers[2].w", 0) != 0 {
		t.Error("the input features or the logits are permuted")
	}
}

func TestSpecOfResidual(t *testing.T) {
	s := mustSpec(t, residualNet(1))
	if len(s.Groups) != 2 {
		t.Fatalf("%d groups, want the residual stream and the first block's hidden layer: %+v", len(s.Groups), s.Groups)
	}
	stream := s.GroupOf("layers[0].w", 1)
	for _, a := range []Axis{
		{"layers[0].b", 0}, {"layers[1].gain", 0}, {"layers[1].bias", 0},
		{"layers[3].body.layers[0].w", 0}, {"layers[3].body.layers[2].w", 1},
		{"layers[4].body.layers[0].gain", 0}, {"layers[4].body.layers[1].w", 0}, {"layers[4].body.layers[1].w", 1}, {"layers[4].body.layers[1].b", 0},
		{"layers[6].gain", 0}, {"layers[7].w", 0},
	} {
		if g := s.GroupOf(a.Param, a.Dim); g != stream {
			t.Errorf("%v is in group %d, want the stream's %d", a, g, stream)
		}
	}
	hidden := s.GroupOf("layers[3].body.layers[0].w", 1)
	if hidden == stream || hidden < 0 || s.GroupOf("layers[3].body.layers[0].b", 0) != hidden || s.GroupOf("layers[3].body.layers[2].w", 0) != hidden || s.Groups[hidden].Size != 12 {
		t.Errorf("the block's hidden group: %d, %+v", hidden, s.Groups)
	}
	if !slices.Contains(s.Groups[hidden].Taps, "layers[3].body.layers[1]") || !slices.Contains(s.Groups[stream].Taps, "layers[3]") {
		t.Errorf("taps %v and %v", s.Groups[hidden].Taps, s.Groups[stream].Taps)
	}
}

type oddLayer struct{ nn.Identity }

func TestSpecOfUnsupported(t *testing.T) {
	net := nn.NewSequential(nn.NewDense(3, 4, nn.TorchLinear, nn.NewRand(1, 1)), oddLayer{})
	_, err := SpecOf(net)
	if !errors.Is(err, ErrUnsupported) || err.Error() != "merge: unsupported layer: layers[1]: merge.oddLayer has no permutation rule" {
		t.Errorf("SpecOf = %v", err)
	}
	if _, err := Clone(net); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Clone = %v", err)
	}
}

// A permutation keeps the function (outputs within float32 rounding) and
// every singular value of every weight matrix.
func TestApplyKeepsFunctionAndSpectrum(t *testing.T) {
	for _, tt := range []struct {
		name string
		net  *nn.Sequential
	}{
		{"mlp", mlp(3, 10, 32, 16, 24, 5)},
		{"residual", residualNet(4)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSpec(t, tt.net)
			x := randomInput(1, 17, tt.net.Params()[0].Value.Shape[0])
			before := outputs(tt.net, x)
			b := mustClone(t, tt.net)
			p := randomPerm(s, 5)
			if err := Apply(s, p, b); err != nil {
				t.Fatal(err)
			}
			if d, _ := Distance(tt.net, b); d == 0 {
				t.Fatal("the permutation moved nothing")
			}
			if d := maxRelDiff(before, outputs(b, x)); d > 1e-5 {
				t.Errorf("outputs differ by %g after the permutation", d)
			}
			if d, err := SingularValuesMaxDiff(tt.net, b); err != nil || d > 1e-5 {
				t.Errorf("singular values moved by %g (%v)", d, err)
			}
			// The inverse undoes it exactly.
			if err := Apply(s, p.Inverse(), b); err != nil {
				t.Fatal(err)
			}
			if d, _ := Distance(tt.net, b); d != 0 {
				t.Errorf("the inverse leaves a distance of %g", d)
			}
		})
	}
}

func TestSingularValuesMaxDiffSeesAChange(t *testing.T) {
	a := mlp(1, 6, 8, 3)
	b := mustClone(t, a)
	b.Params()[0].Value.Data[0] += 0.5
	if d, err := SingularValuesMaxDiff(a, b); err != nil || d < 1e-3 {
		t.Errorf("a changed weight moves the singular values by %g (%v)", d, err)
	}
	sv, err := spectral.Decompose(6, 8, a.Params()[0].Value.Data)
	if err != nil || sv.Rank() != 6 {
		t.Fatal(err)
	}
}

func TestApplyErrors(t *testing.T) {
	a := mlp(1, 5, 8, 3)
	s := mustSpec(t, a)
	if err := Apply(s, Permutation{{0, 1, 2}}, a); !errors.Is(err, ErrMismatch) {
		t.Errorf("a permutation of the wrong size: %v", err)
	}
	bad := Identity(s)
	bad[0][0] = 1
	if err := Apply(s, bad, a); !errors.Is(err, ErrMismatch) || err.Error() != "merge: networks do not match: group layers[0]: entry 1 (1) makes it no permutation" {
		t.Errorf("a repeated unit: %v", err)
	}
	if err := Apply(s, Identity(s), mlp(1, 5, 9, 3)); !errors.Is(err, ErrMismatch) {
		t.Errorf("another network: %v", err)
	}
}

// A model is perfectly aligned with itself and with a permuted copy once
// the copy is permuted back, and less with an independent model.
func TestTopAlignment(t *testing.T) {
	a := mlp(1, 10, 16, 12, 4)
	s := mustSpec(t, a)
	b := mustClone(t, a)
	p := randomPerm(s, 2)
	if err := Apply(s, p, b); err != nil {
		t.Fatal(err)
	}
	self, _ := TopAlignment(a, a, 2)
	shuffled, _ := TopAlignment(a, b, 2)
	other, _ := TopAlignment(a, mlp(2, 10, 16, 12, 4), 2)
	_ = Apply(s, p.Inverse(), b)
	back, _ := TopAlignment(a, b, 2)
	if math.Abs(self-1) > 1e-9 || math.Abs(back-1) > 1e-9 || !(shuffled < 0.9) || !(other < 0.9) {
		t.Errorf("alignment with itself %g, permuted %g, permuted back %g, another model %g", self, shuffled, back, other)
	}
	if _, err := TopAlignment(a, a, 0); !errors.Is(err, ErrOptions) {
		t.Errorf("k = 0: %v", err)
	}
}
