package trainer_test

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// Two Hooks values extend a run: the first freezes the first layer (the
// way an adapter's base stays fixed) and counts the steps; the second
// adds a metric after each epoch, the norm of the weight matrices (the
// parameters of role weight, biases left out), which the Reporter and
// the returned metrics carry.
func ExampleHooks() {
	c := &trainer.Classifier{
		Data:      trainer.Synthetic{Train: 1000, Validation: 200, Test: 200, Features: 16, Classes: 4, Clusters: 2, Noise: 0.3},
		Model:     trainer.MLP{Hidden: []int{32}, Activation: "relu"},
		Optimizer: trainer.SGD{LR: 0.05, Momentum: 0.9},
		Epochs:    2, Batch: 100,
	}
	var first []float32
	steps := 0
	freeze := trainer.Hooks{
		Start: func(r *trainer.Run) error {
			for _, p := range r.Net.Params() {
				p.Frozen = p.Name == "layers[0].w" || p.Name == "layers[0].b"
			}
			first = slices.Clone(r.Net.Param("layers[0].w").Value.Data)
			return nil
		},
		AfterStep: func(*trainer.Run, *trainer.Step) error { steps++; return nil },
	}
	norm := trainer.Hooks{
		EndEpoch: func(r *trainer.Run, e *trainer.EpochEnd) error {
			var sum float64
			for _, p := range nn.ParamsByRole(r.Net.Params(), nn.RoleWeight) {
				for _, v := range p.Value.Data {
					sum += float64(v) * float64(v)
				}
			}
			e.Metrics["weight_norm"] = math.Sqrt(sum)
			return nil
		},
	}
	m, net, err := trainer.TrainNetwork(context.Background(), c, &trainer.TrainOptions{Hooks: []trainer.Hooks{freeze, norm}})
	if err != nil {
		panic(err)
	}
	fmt.Println("steps:", steps, "of", m[trainer.MetricSteps])
	fmt.Println("first layer unchanged:", slices.Equal(first, net.Param("layers[0].w").Value.Data))
	fmt.Println("weight norm reported:", m["weight_norm"] > 0)
	// Output:
	// steps: 20 of 20
	// first layer unchanged: true
	// weight norm reported: true
}
