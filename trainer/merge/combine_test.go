package merge

import (
	"errors"
	"math"
	"testing"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// setAll sets every parameter value of net to v.
func setAll(net *nn.Sequential, v ...float32) {
	k := 0
	for _, p := range net.Params() {
		for j := range p.Value.Data {
			p.Value.Data[j] = v[k%len(v)]
			k++
		}
	}
}

func first(net *nn.Sequential) []float32 { return net.Params()[0].Value.Data }

func TestAverageAndInterpolate(t *testing.T) {
	a, b := mlp(1, 3, 4, 2), mlp(2, 3, 4, 2)
	for _, tt := range []struct {
		lambda float64
		want   *nn.Sequential
	}{{0, a}, {1, b}} {
		got, err := Interpolate(a, b, tt.lambda)
		if err != nil {
			t.Fatal(err)
		}
		if d, _ := Distance(got, tt.want); d != 0 {
			t.Errorf("λ = %g is %g away from its end", tt.lambda, d)
		}
	}
	setAll(a, 1)
	setAll(b, 4)
	avg, err := Average([]*nn.Sequential{a, b}, []float64{2, 1})
	if err != nil {
		t.Fatal(err)
	}
	if v := first(avg)[0]; v != 2 {
		t.Errorf("weights 2:1 of 1 and 4 give %g, want 2", v)
	}
	mid, _ := Interpolate(a, b, 0.5)
	plain, _ := Average([]*nn.Sequential{a, b}, nil)
	if d, _ := Distance(mid, plain); d != 0 {
		t.Errorf("the midpoint is %g from the plain average", d)
	}
	for _, w := range [][]float64{{1}, {1, -1}, {math.NaN(), 1}} {
		if _, err := Average([]*nn.Sequential{a, b}, w); !errors.Is(err, ErrOptions) {
			t.Errorf("weights %v: %v", w, err)
		}
	}
	if _, err := Average([]*nn.Sequential{a, mlp(1, 3, 5, 2)}, nil); !errors.Is(err, ErrMismatch) {
		t.Errorf("different networks: %v", err)
	}
}

func TestTaskArithmetic(t *testing.T) {
	base, x, y := mlp(1, 2, 2, 2), mlp(1, 2, 2, 2), mlp(1, 2, 2, 2)
	setAll(base, 1)
	setAll(x, 2) // delta +1
	setAll(y, 0.5)
	got, err := TaskArithmetic(base, []*nn.Sequential{x, y}, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if v := first(got)[0]; v != 1.25 { // 1 + 0.5·(1 − 0.5)
		t.Errorf("got %g, want 1.25", v)
	}
	one, _ := TaskArithmetic(base, []*nn.Sequential{x}, 1)
	if d, _ := Distance(one, x); d != 0 {
		t.Errorf("one task vector at scale 1 is %g from its model", d)
	}
}

// TIES on deltas chosen by hand: trimming, the elected sign and the
// disjoint mean.
func TestTIES(t *testing.T) {
	base, x, y, z := mlp(1, 1, 2, 1), mlp(1, 1, 2, 1), mlp(1, 1, 2, 1), mlp(1, 1, 2, 1)
	// 7 parameters: w 1×2, b 2, w 2×1, b 1.
	setAll(base, 0)
	setAll(x, 3, -1, 0.1, 2, 0, 0, 0)
	setAll(y, 1, 2, -0.2, -4, 0, 0, 0)
	setAll(z, 2, -2, 0.3, 1, 0, 0, 0)
	got, err := TIES(base, []*nn.Sequential{x, y, z}, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{2, -1.5, 0.2, -4} // sums 6, −1, 0.2, −1: mean of the agreeing
	var flat []float32
	for _, p := range got.Params() {
		flat = append(flat, p.Value.Data...)
	}
	for i, w := range want {
		if math.Abs(float64(flat[i]-w)) > 1e-6 {
			t.Errorf("entry %d = %g, want %g (%v)", i, flat[i], w, flat)
		}
	}
	// Density 3/7 keeps each model's three largest deltas.
	got, _ = TIES(base, []*nn.Sequential{x}, 3.0/7, 1)
	flat = flat[:0]
	for _, p := range got.Params() {
		flat = append(flat, p.Value.Data...)
	}
	if flat[0] != 3 || flat[1] != -1 || flat[2] != 0 || flat[3] != 2 {
		t.Errorf("trimmed to 3 of 7: %v", flat)
	}
	if _, err := TIES(base, []*nn.Sequential{x}, 0, 1); !errors.Is(err, ErrOptions) {
		t.Errorf("density 0: %v", err)
	}
}
