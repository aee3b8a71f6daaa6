package trainer

import (
	"context"
	"math"
	"testing"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// The second-order gradient is the gradient of the unrolled validation
// loss f(α) = L_val(w − ξ∇_w L_train(w, α), α), checked by finite
// differences of f; with ξ → 0 it is the first-order gradient. The
// activations are smooth ones (see smoothActs).
func TestSupernetSecondOrder(t *testing.T) {
	splits := smallSplits(t)
	x := tensor.FromData(splits.Train.X[:32*6], 32, 6)
	y := splits.Train.Y[:32]
	vx := tensor.FromData(splits.Val.X[:32*6], 32, 6)
	vy := splits.Val.Y[:32]
	for _, tc := range supernetCasesWith(smoothActs) {
		t.Run(tc.name, func(t *testing.T) {
			super, err := NewSupernet(tc.model, tc.candidates, splits, SupernetOptions{Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			alpha := make([][]float64, len(tc.candidates))
			for i, n := range tc.candidates {
				alpha[i] = make([]float64, n)
				for j := range alpha[i] {
					alpha[i][j] = 0.5*float64(j) - 0.2*float64(i)
				}
			}
			const xi = 0.5
			unrolled := func(a [][]float64) float64 {
				if err := super.SetWeights(softmaxes(a)); err != nil {
					t.Fatal(err)
				}
				params := super.Network().Params()
				w0 := make([][]float32, len(params))
				for i, p := range params {
					w0[i] = append([]float32(nil), p.Value.Data...)
				}
				super.gradients(x, y)
				for _, p := range params {
					for j, g := range p.Grad.Data {
						p.Value.Data[j] -= xi * g
					}
				}
				l, _ := super.gradients(vx, vy)
				for i, p := range params {
					copy(p.Value.Data, w0[i])
				}
				return l
			}
			chain := func(g [][]float64) [][]float64 {
				w := softmaxes(alpha)
				out := make([][]float64, len(g))
				for i := range g {
					var dot float64
					for j := range g[i] {
						dot += w[i][j] * g[i][j]
					}
					out[i] = make([]float64, len(g[i]))
					for j := range g[i] {
						out[i][j] = w[i][j] * (g[i][j] - dot)
					}
				}
				return out
			}
			if err := super.SetWeights(softmaxes(alpha)); err != nil {
				t.Fatal(err)
			}
			second, _, _ := super.unrolledGrad(x, y, vx, vy, xi)
			second = chain(second)
			super.gradients(vx, vy)
			first := chain(super.mixGrads())
			tiny, _, _ := super.unrolledGrad(x, y, vx, vy, 1e-7)
			tiny = chain(tiny)
			const h = 1e-2
			var differ float64
			for i := range alpha {
				for j := range alpha[i] {
					alpha[i][j] += h
					up := unrolled(alpha)
					alpha[i][j] -= 2 * h
					down := unrolled(alpha)
					alpha[i][j] += h
					numeric := (up - down) / (2 * h)
					if math.Abs(second[i][j]-numeric) > 2e-4+3e-2*math.Abs(numeric) {
						t.Errorf("dα[%d][%d]: second-order %g, finite differences of the unrolled loss %g (first-order %g)", i, j, second[i][j], numeric, first[i][j])
					}
					if math.Abs(tiny[i][j]-first[i][j]) > 1e-5+1e-3*math.Abs(first[i][j]) {
						t.Errorf("dα[%d][%d]: with ξ → 0 %g, first-order %g", i, j, tiny[i][j], first[i][j])
					}
					differ = math.Max(differ, math.Abs(second[i][j]-first[i][j]))
				}
			}
			if differ < 1e-3 {
				t.Errorf("second- and first-order gradients differ by at most %g: the case does not tell them apart", differ)
			}
		})
	}
}

func TestSupernetStepSecondOrder(t *testing.T) {
	splits := smallSplits(t)
	tc := supernetCases()[3]
	super, err := NewSupernet(tc.model, tc.candidates, splits, SupernetOptions{Seed: 2, LR: 0.01, Batch: 32})
	if err != nil {
		t.Fatal(err)
	}
	uniform := softmaxes([][]float64{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}})
	before, _ := super.Evaluate()
	for range 100 {
		if _, err := super.StepSecondOrder(context.Background(), uniform, 0); err != nil {
			t.Fatal(err)
		}
	}
	if after, _ := super.Evaluate(); !(after < 0.9*before) {
		t.Fatalf("validation loss %g → %g: the second-order steps did not train the weights", before, after)
	}
	if _, err := super.StepSecondOrder(context.Background(), uniform, -1); err == nil {
		t.Fatal("a negative xi was taken")
	}
}
