package algorithms_test

import (
	"context"
	"fmt"
	"math"

	"github.com/c2602f9e/goglove/algorithms"
)

// The controller's PPO variant (algorithm: {name: ppo} in a config)
// learns a float decision too: a Gaussian on the log-scale learning
// rate's range whose mean moves to the best rate, 1e-2 here, and whose
// spread shrinks.
func ExampleReinforce_ppo() {
	spec := exampleSpec(dartsSpace)
	lr, _ := spec.Lookup("lr")
	algo := &algorithms.Reinforce{Seed: 1, PPO: true}
	if err := algo.Setup(spec); err != nil {
		panic(err)
	}
	for trial := range 400 {
		dna, err := algo.Propose(context.Background())
		if err != nil {
			panic(err)
		}
		// Minus the distance in decades from 1e-2.
		reward := -math.Abs(math.Log10(dna.Children[2].Value) + 2)
		algo.Feedback(algorithms.Result{Trial: trial, DNA: dna, Rewards: []float64{reward}})
	}
	_, std, _ := algo.Gaussian(lr)
	fmt.Printf("mean lr within a quarter decade of 1e-2: %v\n", math.Abs(math.Log10(algo.Mean(lr))+2) < 0.25)
	fmt.Printf("std below a tenth of the range: %v\n", std < 0.1)
	// Output:
	// mean lr within a quarter decade of 1e-2: true
	// std below a tenth of the range: true
}
