package nn

import (
	"math"
	"testing"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

func TestDropout(t *testing.T) {
	x := tensor.New(100, 100)
	for i := range x.Data {
		x.Data[i] = 1
	}
	d := NewDropout(0.3, NewRand(1, 2))
	if y := d.Forward(x, false); y != x {
		t.Error("evaluation is not the identity")
	}
	if dx := d.Backward(x, true); dx != x {
		t.Error("evaluation backward is not the identity")
	}
	y := d.Forward(x, true)
	zeros, sum := 0, 0.0
	for _, v := range y.Data {
		if v == 0 {
			zeros++
		} else if math.Abs(float64(v)-1/0.7) > 1e-6 {
			t.Fatalf("kept value %g, want 1/0.7", v)
		}
		sum += float64(v)
	}
	if frac := float64(zeros) / 1e4; math.Abs(frac-0.3) > 0.03 {
		t.Errorf("dropped %.3f, want about 0.3", frac)
	}
	if mean := sum / 1e4; math.Abs(mean-1) > 0.05 {
		t.Errorf("mean %.3f, want about 1 (inverted dropout)", mean)
	}
	// The same seed gives the same mask; the next draw a different one.
	a := NewDropout(0.5, NewRand(9, 9)).Forward(x, true).Clone()
	d2 := NewDropout(0.5, NewRand(9, 9))
	b := d2.Forward(x, true).Clone()
	c := d2.Forward(x, true)
	same, differ := true, false
	for i := range a.Data {
		same = same && a.Data[i] == b.Data[i]
		differ = differ || b.Data[i] != c.Data[i]
	}
	if !same || !differ {
		t.Errorf("same seed same mask: %v; next mask differs: %v", same, differ)
	}
}
