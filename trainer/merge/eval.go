package merge

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// EvalBatch is the number of rows Evaluate runs at a time.
const EvalBatch = 1000

// Evaluate returns the mean softmax cross-entropy loss and the accuracy
// of net on s, in evaluation mode.
func Evaluate(net *nn.Sequential, s *data.Set) (loss, acc float64) {
	m, err := nn.NewClassifier(net, &nn.SGD{}, nn.Constant(0))
	if err != nil { // only for nil arguments
		panic(err)
	}
	return m.Evaluate(tensor.FromData(s.X[:s.N*s.Features], s.N, s.Features), s.Y[:s.N], EvalBatch)
}

// PathPoint is the loss and accuracy of one network on the straight line
// between two.
type PathPoint struct {
	Lambda   float64 `json:"lambda"`
	Loss     float64 `json:"loss"`
	Accuracy float64 `json:"accuracy"`
}

// Lambdas returns n evenly spaced points from 0 to 1, both included
// (n ≥ 2; n = 11 is 0, 0.1, …, 1).
func Lambdas(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(i) / float64(n-1)
	}
	return out
}

// Path evaluates (1−λ)·θ_a + λ·θ_b on s at each λ of lambdas.
func Path(a, b *nn.Sequential, s *data.Set, lambdas []float64) ([]PathPoint, error) {
	if err := sameParams(a, b); err != nil {
		return nil, err
	}
	if s == nil || s.N == 0 {
		return nil, fmt.Errorf("%w: data: want a non-empty set to evaluate on", ErrOptions)
	}
	mid, err := Clone(a)
	if err != nil {
		return nil, err
	}
	out := make([]PathPoint, len(lambdas))
	for i, l := range lambdas {
		interpolateInto(mid, a, b, l)
		loss, acc := Evaluate(mid, s)
		out[i] = PathPoint{Lambda: l, Loss: loss, Accuracy: acc}
	}
	return out, nil
}

// LossBarrier returns max over the path of loss(λ) − ((1−λ)·loss(0) +
// λ·loss(1)), the height of the loss above the straight line between the
// ends (0 when the path never rises above it). The path's first and last
// points are its ends.
func LossBarrier(path []PathPoint) float64 {
	return barrier(path, func(p PathPoint) float64 { return p.Loss })
}

// AccuracyBarrier returns max over the path of ((1−λ)·acc(0) +
// λ·acc(1)) − acc(λ), how far the accuracy falls below the straight line
// between the ends (0 when it never does).
func AccuracyBarrier(path []PathPoint) float64 {
	return barrier(path, func(p PathPoint) float64 { return -p.Accuracy })
}

func barrier(path []PathPoint, f func(PathPoint) float64) float64 {
	if len(path) < 2 {
		return 0
	}
	first, last := path[0], path[len(path)-1]
	lo, hi := first.Lambda, last.Lambda
	best := 0.0
	for _, p := range path {
		t := 0.0
		if hi != lo {
			t = (p.Lambda - lo) / (hi - lo)
		}
		if d := f(p) - ((1-t)*f(first) + t*f(last)); d > best {
			best = d
		}
	}
	return best
}

// At returns the point of path at λ (the nearest one).
func At(path []PathPoint, lambda float64) PathPoint {
	best := path[0]
	for _, p := range path {
		if abs(p.Lambda-lambda) < abs(best.Lambda-lambda) {
			best = p
		}
	}
	return best
}
