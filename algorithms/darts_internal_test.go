package algorithms

import (
	"math"
	"testing"
)

// The chain rule through softmax(z/τ) matches finite differences of a
// nonlinear loss of the weights.
func TestSoftmaxBackwardFiniteDifferences(t *testing.T) {
	alpha := [][]float64{{0.3, -1.2, 0.8, 0.1}, {2, -0.5}}
	c := [][]float64{{1, -2, 0.5, 3}, {-1, 4}}
	loss := func(w [][]float64) float64 {
		var s float64
		for i := range w {
			for j := range w[i] {
				s += c[i][j]*w[i][j] + w[i][j]*w[i][j]*w[i][j]
			}
		}
		return s
	}
	for _, tau := range []float64{1, 0.5, 3} {
		w := mixing(alpha, tau, nil)
		g := make([][]float64, len(w))
		for i := range w {
			g[i] = make([]float64, len(w[i]))
			for j := range w[i] {
				g[i][j] = c[i][j] + 3*w[i][j]*w[i][j]
			}
		}
		got := softmaxBackward(w, g, tau)
		const h = 1e-6
		for i := range alpha {
			for j := range alpha[i] {
				a := clone2(alpha)
				a[i][j] += h
				up := loss(mixing(a, tau, nil))
				a[i][j] -= 2 * h
				down := loss(mixing(a, tau, nil))
				want := (up - down) / (2 * h)
				if math.Abs(got[i][j]-want) > 1e-6 {
					t.Fatalf("τ=%g: dL/dα[%d][%d] = %g, finite differences %g", tau, i, j, got[i][j], want)
				}
			}
		}
	}
}
