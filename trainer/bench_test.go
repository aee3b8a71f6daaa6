package trainer_test

import (
	"context"
	"testing"

	"github.com/c2602f9e/goglove/trainer"
)

// BenchmarkTrainSyntheticEpoch trains the default synthetic set (10,000
// examples of 64 features) for one epoch with a 64-32-10 MLP at batch 32,
// validation included.
func BenchmarkTrainSyntheticEpoch(b *testing.B) {
	c := &trainer.Classifier{
		Data:      trainer.Synthetic{Train: 10000, Validation: 2000, Test: 2000, Features: 64, Classes: 10, Clusters: 4, Noise: 0.35},
		Model:     trainer.MLP{Hidden: []int{32}, Activation: "relu"},
		Optimizer: trainer.SGD{LR: 0.05, Momentum: 0.9},
		Epochs:    1, Batch: 32,
	}
	if _, err := trainer.Train(context.Background(), c, nil); err != nil { // generate the data once
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := trainer.Train(context.Background(), c, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(10000*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}
