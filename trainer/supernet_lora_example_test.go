package trainer

import (
	"context"
	"fmt"
)

// A LoRA fine-tune's rank relaxed: one rank-8 adapter per hidden layer
// of the base, masked to ranks 2, 4 and 8 and mixed by one decision
// whose gradient each step returns.
func ExampleNewFineTuneSupernet() {
	base, err := ftBase().TrainedModel(context.Background(), nil)
	if err != nil {
		panic(err)
	}
	f := ftLoRA(4) // the rank is the supernet's decision; α = 8 for every rank
	f.Task = rankTask
	super, err := NewFineTuneSupernet(f, base, []int{2, 4, 8}, SupernetOptions{Seed: 1})
	if err != nil {
		panic(err)
	}
	for _, p := range super.Network().Params() {
		if !p.Frozen {
			fmt.Println(p.Name, p.Value.Shape)
		}
	}
	st, err := super.Step(context.Background(), [][]float64{{0.2, 0.3, 0.5}})
	if err != nil {
		panic(err)
	}
	fmt.Println("rank gradients:", len(st.Grad[0]))
	// Output:
	// layers[0].lora_a [8 16]
	// layers[0].lora_b [32 8]
	// layers[0].b [32]
	// layers[2].lora_a [8 32]
	// layers[2].lora_b [32 8]
	// layers[2].b [32]
	// layers[4].w [32 4]
	// layers[4].b [4]
	// rank gradients: 3
}
