package trainer

import (
	"context"
	"testing"
)

// BenchmarkSupernetStep is one first-order step of a Fashion-MNIST-sized
// supernet (784 inputs, a width choice of 64/128/256, a layer choice, the
// activation mixed twice) on batches of 128.
func BenchmarkSupernetStep(b *testing.B) {
	for _, second := range []bool{false, true} {
		name := "first-order"
		if second {
			name = "second-order"
		}
		b.Run(name, func(b *testing.B) {
			splits, err := Synthetic{Train: 1024, Validation: 256, Test: 16, Features: 784, Classes: 10, Clusters: 2, Noise: 0.3}.Load()
			if err != nil {
				b.Fatal(err)
			}
			widths := []Layer{Dense{Units: 64, Bias: true}, Dense{Units: 128, Bias: true}, Dense{Units: 256, Bias: true}}
			model := Sequential{Layers: []Layer{
				Mixed{Decision: 0, Candidates: widths}, Mixed{Decision: 1, Candidates: acts()},
				Mixed{Decision: 2, Candidates: []Layer{Dense{Units: 128, Bias: true}, Identity{}}}, Mixed{Decision: 1, Candidates: acts()},
				Dense{Units: 10, Bias: true},
			}}
			super, err := NewSupernet(model, []int{3, 3, 2}, splits, SupernetOptions{Batch: 128, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			w := softmaxes([][]float64{{0, 0, 0}, {0, 0, 0}, {0, 0}})
			ctx := context.Background()
			b.ResetTimer()
			for range b.N {
				if second {
					_, err = super.StepSecondOrder(ctx, w, 0)
				} else {
					_, err = super.Step(ctx, w)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSupernetSharedQuantizers is one step of a supernet whose
// 784→256 layer chooses between fp32, int8 and ternary quantization of
// one shared latent weight matrix, on batches of 128.
func BenchmarkSupernetSharedQuantizers(b *testing.B) {
	splits, err := Synthetic{Train: 1024, Validation: 256, Test: 16, Features: 784, Classes: 10, Clusters: 2, Noise: 0.3}.Load()
	if err != nil {
		b.Fatal(err)
	}
	quants := []Layer{Dense{Units: 256, Bias: true, Quant: FP32{}}, Dense{Units: 256, Bias: true, Quant: Int8{Per: "row"}}, Dense{Units: 256, Bias: true, Quant: Ternary{}}}
	model := Sequential{Layers: []Layer{Mixed{Decision: 0, Candidates: quants}, Tanh{}, Dense{Units: 10, Bias: true}}}
	super, err := NewSupernet(model, []int{3}, splits, SupernetOptions{Batch: 128, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	w := softmaxes([][]float64{{0, 0, 0}})
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		if _, err := super.Step(ctx, w); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFineTuneSupernetStep is one step of the rank supernet (ranks
// 2, 4, 8 masked in one rank-8 adapter per hidden layer of a 16→32→32→4
// base), on batches of 64.
func BenchmarkFineTuneSupernetStep(b *testing.B) {
	base, err := ftBase().TrainedModel(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	f := ftLoRA(4)
	f.Task = rankTask
	super, err := NewFineTuneSupernet(f, base, rankCandidates, SupernetOptions{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	w := softmaxes([][]float64{{0, 0, 0}})
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		if _, err := super.Step(ctx, w); err != nil {
			b.Fatal(err)
		}
	}
}
