package merge

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// forwardTaps runs seq on x in evaluation mode as seq.Forward does,
// calling visit with the key path and the output of every layer (the
// output is valid only during the call).
func forwardTaps(seq *nn.Sequential, x *tensor.Tensor, prefix string, visit func(key string, y *tensor.Tensor)) *tensor.Tensor {
	for i, l := range seq.Layers {
		key := fmt.Sprintf("%slayers[%d]", prefix, i)
		if r, ok := l.(*nn.Residual); ok {
			body := forwardTaps(r.Body, x, key+".body.", visit)
			y := tensor.New(x.Shape...)
			for j, v := range x.Data {
				y.Data[j] = v + body.Data[j]
			}
			x = y
		} else {
			x = l.Forward(x, false)
		}
		visit(key, x)
	}
	return x
}
