package nn

import (
	"fmt"
	"math"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// SoftmaxCrossEntropy is the fused softmax and cross-entropy loss of a
// classifier: for logits z (rows×classes) and labels y, the loss is the
// mean over rows of log Σⱼ exp(zⱼ) − z_y, computed after subtracting each
// row's maximum so that no exponential overflows. Its gradient with respect
// to z is (softmax(z) − onehot(y))/rows.
//
// The zero value is ready to use.
type SoftmaxCrossEntropy struct {
	grad tensor.Buffer
	last *tensor.Tensor // the gradient of the last Forward
}

// Forward returns the mean loss and the number of rows whose largest logit
// (the first, on ties) is the label, and keeps the gradient for Grad. It
// panics if len(y) differs from the rows of logits or a label is out of
// range.
func (s *SoftmaxCrossEntropy) Forward(logits *tensor.Tensor, y []int32) (loss float64, correct int) {
	rows, k := logits.Dims()
	if len(y) != rows {
		panic(fmt.Sprintf("nn: SoftmaxCrossEntropy: %d labels for %d rows", len(y), rows))
	}
	s.grad.Cols = k
	g := s.grad.Rows(rows)
	s.last = g
	inv := 1 / float64(rows)
	var total float64
	for i := 0; i < rows; i++ {
		z := logits.Data[i*k : i*k+k]
		gr := g.Data[i*k : i*k+k]
		label := int(y[i])
		if label < 0 || label >= k {
			panic(fmt.Sprintf("nn: SoftmaxCrossEntropy: label %d of row %d is not in [0, %d)", label, i, k))
		}
		best := 0
		for j, v := range z {
			if v > z[best] {
				best = j
			}
		}
		if best == label {
			correct++
		}
		m := float64(z[best])
		var sum float64
		for j, v := range z {
			e := math.Exp(float64(v) - m)
			gr[j] = float32(e)
			sum += e
		}
		total += math.Log(sum) + m - float64(z[label])
		scale := float32(inv / sum)
		for j := range gr {
			gr[j] *= scale
		}
		gr[label] -= float32(inv)
	}
	return total * inv, correct
}

// Grad returns the gradient of the mean loss of the last Forward with
// respect to the logits. It is valid until the next Forward.
func (s *SoftmaxCrossEntropy) Grad() *tensor.Tensor {
	if s.last == nil {
		panic("nn: SoftmaxCrossEntropy.Grad before Forward")
	}
	return s.last
}
