package nn

import (
	"math"
	"testing"
)

// moments returns the mean, the variance and the largest magnitude of x.
func moments(x []float32) (mean, variance, maxAbs float64) {
	for _, v := range x {
		mean += float64(v)
		maxAbs = math.Max(maxAbs, math.Abs(float64(v)))
	}
	mean /= float64(len(x))
	for _, v := range x {
		d := float64(v) - mean
		variance += d * d
	}
	return mean, variance / float64(len(x)), maxAbs
}

// TestInitDistributions checks each scheme's spread on a large layer:
// the variance within 3% of the scheme's, the bound of uniform draws,
// and which schemes draw biases.
func TestInitDistributions(t *testing.T) {
	const in, out = 400, 300
	for _, tc := range []struct {
		init     Init
		variance float64 // of the weights
		bound    float64 // of uniform draws; 0 for normal ones
		biasVar  float64 // of the biases; 0: all zero
	}{
		{HeUniform, 2.0 / in, math.Sqrt(6.0 / in), 0},
		{GlorotUniform, 2.0 / (in + out), math.Sqrt(6.0 / (in + out)), 0},
		{HeNormal, 2.0 / in, 0, 0},
		{TorchLinear, 1.0 / (3 * in), 1 / math.Sqrt(in), 1.0 / (3 * in)},
	} {
		d := NewDense(in, out, tc.init, NewRand(1, 2))
		mean, v, maxAbs := moments(d.W.Value.Data)
		if math.Abs(v/tc.variance-1) > 0.03 || math.Abs(mean) > 3*math.Sqrt(tc.variance/float64(in*out)) {
			t.Errorf("%v: weights have mean %.3g and variance %.4g, want 0 and %.4g", tc.init, mean, v, tc.variance)
		}
		if tc.bound > 0 && (maxAbs > tc.bound || maxAbs < 0.99*tc.bound) {
			t.Errorf("%v: largest |w| %.4g, want just under the bound %.4g", tc.init, maxAbs, tc.bound)
		}
		if tc.bound == 0 && maxAbs < 3*math.Sqrt(tc.variance) {
			t.Errorf("%v: largest |w| %.4g is not the tail of a normal of deviation %.4g", tc.init, maxAbs, math.Sqrt(tc.variance))
		}
		_, bv, bmax := moments(d.B.Value.Data)
		switch {
		case tc.biasVar == 0 && bmax != 0:
			t.Errorf("%v: biases are not zero (largest %.3g)", tc.init, bmax)
		case tc.biasVar > 0 && (math.Abs(bv/tc.biasVar-1) > 0.3 || bmax > tc.bound):
			t.Errorf("%v: biases have variance %.4g and largest %.4g, want %.4g within %.4g", tc.init, bv, bmax, tc.biasVar, tc.bound)
		}
		// The weights are the same draws with and without a bias.
		nb := NewDenseNoBias(in, out, tc.init, NewRand(1, 2))
		for i, w := range nb.W.Value.Data {
			if w != d.W.Value.Data[i] {
				t.Fatalf("%v: weight %d is %v without a bias, %v with one", tc.init, i, w, d.W.Value.Data[i])
			}
		}
	}
}
