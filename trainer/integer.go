package trainer

import (
	"context"
	"fmt"

	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// IntegerNetwork returns t's network for fast inference: its quantized
// layers (Dense with a quant other than trainer.FP32) run on the exact
// int8 and ternary kernels instead of their fake-quantized fp32 form
// (nn.IntegerNetwork). Its outputs equal the network's up to float32
// rounding, so predictions agree but for near ties; the other layers are
// shared with t.Net, so use one of the two at a time.
func (t *Trained) IntegerNetwork() (*nn.Sequential, error) {
	if t.Net == nil {
		return nil, fmt.Errorf("trainer: IntegerNetwork: no trained network")
	}
	net, err := nn.IntegerNetwork(t.Net)
	if err != nil {
		return nil, fmt.Errorf("trainer: %w", err)
	}
	return net, nil
}

// EvaluateInteger is Evaluate with the network's quantized layers on the
// integer kernels (Trained.IntegerNetwork): the test_accuracy and
// test_loss of the model as it runs fast, which may differ from the
// recorded figures by float32 rounding.
func EvaluateInteger(ctx context.Context, ckpt *checkpoint.Checkpoint) (map[string]float64, error) {
	return evaluateCheckpoint(ctx, ckpt, true)
}
