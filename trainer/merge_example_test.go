package trainer_test

import (
	"context"
	"fmt"

	"github.com/c2602f9e/goglove/trainer"
)

// Two networks trained from different seeds, merged after weight
// matching: the aligned straight line between them has a lower barrier
// than the naive one.
func ExampleMerge() {
	model := func(seed int64) *trainer.Classifier {
		return &trainer.Classifier{
			Data:      trainer.Synthetic{Train: 2000, Test: 500, Features: 16, Classes: 4, Clusters: 4, Noise: 0.35},
			Model:     trainer.MLP{Hidden: []int{32, 32}, Activation: "relu"},
			Optimizer: trainer.AdamW{LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
			Epochs:    8,
			Batch:     128,
			Seed:      seed,
		}
	}
	m := &trainer.Merge{
		Models:  []trainer.ModelProgram{model(1), model(2)},
		Align:   trainer.WeightMatching{MaxIter: 100},
		Combine: trainer.Average{},
		Points:  11,
	}
	metrics, err := m.Run(context.Background(), nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("models:", metrics["models"])
	fmt.Println("lower barrier after alignment:", metrics["loss_barrier"] < metrics["loss_barrier_naive"])
	fmt.Println("closer after alignment:", metrics["l2_ratio"] < 1)
	// Output:
	// models: 2
	// lower barrier after alignment: true
	// closer after alignment: true
}
