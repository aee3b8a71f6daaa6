package trainer_test

import (
	"context"
	"fmt"

	"github.com/c2602f9e/goglove/trainer"
)

// A LoRA fine-tune of a small trained classifier on another task: the
// base trains first (or comes from env's cache), then only the adapters
// of its two hidden layers, their biases and a new head train.
func ExampleFineTune() {
	data := func(seed int64) trainer.Synthetic {
		return trainer.Synthetic{Train: 800, Validation: 0, Test: 400, Features: 16, Classes: 4, Clusters: 2, Noise: 0.3, Seed: seed}
	}
	base := &trainer.Classifier{
		Data: data(1), Model: trainer.MLP{Hidden: []int{32, 32}, Activation: "relu"},
		Optimizer: trainer.AdamW{LR: 3e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
		Epochs:    4, Batch: 64, Schedule: "constant",
	}
	f := trainer.FineTune{
		Base: base, Task: data(2), Head: "new",
		Method:    trainer.LoRA{Rank: 2, Alpha: 4, Bias: true},
		Optimizer: trainer.AdamW{LR: 3e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
		Epochs:    3, Batch: 64,
	}
	r, err := f.Tune(context.Background(), nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("trainable:", r.Metrics[trainer.MetricTrainableParams], "of", r.Metrics[trainer.MetricParams])
	for _, l := range r.Layers {
		fmt.Printf("%s: %d singular values, the update's rank at most %d\n", l.Path, len(l.Tuned), r.Adapter.Rank)
	}
	fmt.Println("mitigation at λ =", r.Scaled[0].Lambda, "and", r.Scaled[1].Lambda)
	fmt.Println("adapter:", len(r.Adapter.Tensors), "tensors for", r.Adapter.Targets, "and the head", r.Adapter.Head)
	// Output:
	// trainable: 420 of 1732
	// layers[0]: 16 singular values, the update's rank at most 2
	// layers[2]: 32 singular values, the update's rank at most 2
	// mitigation at λ = 0.75 and 0.5
	// adapter: 8 tensors for [layers[0] layers[2]] and the head layers[4]
}
