package trainer

import (
	"context"
	"fmt"
	"math"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// StepSecondOrder is Step with the second-order architecture gradient
// of DARTS: the gradient with respect to the mixing weights of the
// validation loss after a virtual weight step, L_val(w − ξ∇_w L_train(w)),
// whose Hessian-vector product is approximated by finite differences
// (∇ L_train at w ± ε v, v = ∇_w' L_val, ε = 0.01/‖v‖). xi is ξ; 0 takes
// the weights' learning rate. The passes of the approximation run in
// evaluation mode (no dropout); the weight step taken afterwards, from
// the weights before the virtual step, is Step's.
func (s *Supernet) StepSecondOrder(ctx context.Context, weights [][]float64, xi float64) (SupernetStep, error) {
	if err := ctx.Err(); err != nil {
		return SupernetStep{}, err
	}
	if xi < 0 || math.IsNaN(xi) {
		return SupernetStep{}, fmt.Errorf("trainer: supernet: xi: want 0 or more, got %v", xi)
	}
	if xi == 0 {
		xi = s.lr
	}
	if err := s.SetWeights(weights); err != nil {
		return SupernetStep{}, err
	}
	x, y := s.nextTrain()
	vx, vy := s.nextVal()
	grad, valLoss, acc := s.unrolledGrad(x, y, vx, vy, xi)
	trainLoss := s.clf.TrainStep(x, y)
	return SupernetStep{TrainLoss: trainLoss, ValLoss: valLoss, ValAccuracy: acc, Grad: grad}, nil
}

// unrolledGrad returns the second-order gradient for the batches (x, y)
// of training and (vx, vy) of validation, the validation loss and
// accuracy after the virtual step; it leaves the weights as it found
// them.
func (s *Supernet) unrolledGrad(x *tensor.Tensor, y []int32, vx *tensor.Tensor, vy []int32, xi float64) ([][]float64, float64, float64) {
	params := s.net.Params()
	w0 := make([][]float32, len(params))
	for i, p := range params {
		w0[i] = append([]float32(nil), p.Value.Data...)
	}
	restore := func() {
		for i, p := range params {
			copy(p.Value.Data, w0[i])
		}
	}
	// The virtual step w' = w − ξ ∇_w L_train(w).
	s.gradients(x, y)
	for _, p := range params {
		for j, g := range p.Grad.Data {
			p.Value.Data[j] -= float32(xi) * g
		}
	}
	// ∇_α L_val(w') and v = ∇_w' L_val(w').
	valLoss, correct := s.gradients(vx, vy)
	direct := s.mixGrads()
	v := make([][]float32, len(params))
	var norm float64
	for i, p := range params {
		v[i] = append([]float32(nil), p.Grad.Data...)
		for _, g := range v[i] {
			norm += float64(g) * float64(g)
		}
	}
	norm = math.Sqrt(norm)
	acc := float64(correct) / float64(len(vy))
	if norm == 0 {
		restore()
		return direct, valLoss, acc
	}
	eps := 0.01 / norm
	at := func(sign float64) [][]float64 {
		for i, p := range params {
			for j := range p.Value.Data {
				p.Value.Data[j] = w0[i][j] + float32(sign*eps)*v[i][j]
			}
		}
		s.gradients(x, y)
		return s.mixGrads()
	}
	plus, minus := at(1), at(-1)
	restore()
	for i := range direct {
		for k := range direct[i] {
			direct[i][k] -= xi * (plus[i][k] - minus[i][k]) / (2 * eps)
		}
	}
	return direct, valLoss, acc
}

// gradients runs a forward pass in evaluation mode and the backward pass
// on a batch, zeroing the mixes' gradients first; it returns the loss
// and the number of correct rows.
func (s *Supernet) gradients(x *tensor.Tensor, y []int32) (float64, int) {
	for _, m := range s.mixes {
		m.ZeroGrad()
	}
	loss, correct := s.clf.Loss.Forward(s.net.Forward(x, false), y)
	s.net.Backward(s.clf.Loss.Grad(), false)
	return loss, correct
}

// mixGrads returns a copy of the mixes' gradients.
func (s *Supernet) mixGrads() [][]float64 {
	out := make([][]float64, len(s.mixes))
	for i, m := range s.mixes {
		out[i] = append([]float64(nil), m.Grad...)
	}
	return out
}
