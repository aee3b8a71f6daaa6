package data

import (
	"math"
	"testing"
)

// TestFashionStandardize checks that a standardized variant maps every
// pixel v of the training, validation and test images to
// (v − FashionMean) / FashionStd, is built once and shared, and leaves the
// plain dataset as it was.
func TestFashionStandardize(t *testing.T) {
	dir := variantDir(t)
	plain, err := FashionVariant(FashionOptions{Dir: dir, Validation: 3})
	if err != nil {
		t.Fatal(err)
	}
	o := FashionOptions{Dir: dir, Validation: 3, Standardize: true}
	std, err := FashionVariant(o)
	if err != nil {
		t.Fatal(err)
	}
	const mean, dev float32 = FashionMean, FashionStd
	for name, pair := range map[string][2]*Set{"train": {plain.Train, std.Train}, "val": {plain.Val, std.Val}, "test": {plain.Test, std.Test}} {
		p, s := pair[0], pair[1]
		if p.N != s.N || len(p.X) != len(s.X) || p.N == 0 {
			t.Fatalf("%s: %d and %d images", name, p.N, s.N)
		}
		for i, v := range p.X {
			if want := (v - mean) / dev; s.X[i] != want {
				t.Fatalf("%s pixel %d: %v, want (%v − %v) / %v = %v", name, i, s.X[i], v, mean, dev, want)
			}
		}
	}
	// Byte 0 of training image 0 is the darkest pixel: −0.2860/0.3530.
	if got := std.Train.X[0]; math.Abs(float64(got)+0.2860/0.3530) > 1e-6 {
		t.Errorf("pixel 0 is %v, want about %v", got, -0.2860/0.3530)
	}
	if plain.Train.X[0] != 0 {
		t.Errorf("the plain dataset's pixel 0 is %v, want 0 (standardizing changed the shared data?)", plain.Train.X[0])
	}
	again, err := FashionVariant(o)
	if err != nil {
		t.Fatal(err)
	}
	if &again.Train.X[0] != &std.Train.X[0] {
		t.Error("a second call built the standardized variant again; want one copy per process")
	}
	// With a transform, the transform comes first and standardizing after.
	inv, err := FashionVariant(FashionOptions{Dir: dir, Validation: 3, Transforms: []Transform{Invert}})
	if err != nil {
		t.Fatal(err)
	}
	invStd, err := FashionVariant(FashionOptions{Dir: dir, Validation: 3, Transforms: []Transform{Invert}, Standardize: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range inv.Train.X {
		if want := (v - mean) / dev; invStd.Train.X[i] != want {
			t.Fatalf("inverted pixel %d: %v, want %v", i, invStd.Train.X[i], want)
		}
	}
}

// TestFashionStandardizeReal checks the constants against the installed
// dataset: standardized, the 60,000 training pixels have mean about 0
// and deviation about 1.
func TestFashionStandardizeReal(t *testing.T) {
	if _, err := FashionMNIST(DefaultDir, 0); err != nil {
		t.Skipf("Fashion-MNIST is not installed in %s (apt-get install dataset-fashion-mnist): %v", DefaultDir, err)
	}
	s, err := FashionVariant(FashionOptions{Dir: DefaultDir, Validation: 0, Standardize: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.Train.N != 60000 || s.Val.N != 0 || s.Test.N != 10000 {
		t.Fatalf("train %d, val %d, test %d; want 60000, 0, 10000", s.Train.N, s.Val.N, s.Test.N)
	}
	var sum, sq float64
	for _, v := range s.Train.X {
		sum += float64(v)
		sq += float64(v) * float64(v)
	}
	n := float64(len(s.Train.X))
	m := sum / n
	sd := math.Sqrt(sq/n - m*m)
	if math.Abs(m) > 1e-3 || math.Abs(sd-1) > 1e-3 {
		t.Errorf("standardized training pixels: mean %.5f, deviation %.5f; want 0 and 1 within 0.001", m, sd)
	}
}
