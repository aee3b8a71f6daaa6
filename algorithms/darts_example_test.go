package algorithms_test

import (
	"context"
	"fmt"

	"github.com/c2602f9e/goglove/algorithms"
)

// Darts learns the logits of a relaxation, then proposes the argmax
// and the next most probable programs. Here the relaxation is the
// synthetic quadRelaxation of the tests, whose optimum is width 256 and
// gelu; a trainer model provides one in a study.
func ExampleDarts() {
	spec := exampleSpec(dartsSpace)
	algo := &algorithms.Darts{Epochs: 20, StepsPerEpoch: 5, LearningRate: 0.05, TopK: 2, Relaxation: newQuad()}
	if err := algo.Setup(spec); err != nil {
		panic(err)
	}
	for {
		dna, err := algo.Propose(context.Background())
		if err == algorithms.ErrDone {
			break
		}
		if err != nil {
			panic(err)
		}
		fmt.Println(spec.Format(dna))
	}
	p := algo.Probabilities()
	fmt.Printf("p(width=256) > 0.5: %v\n", p[0][2] > 0.5)
	// Output:
	// [2, 1, 0.01]
	// [2, 0, 0.01]
	// p(width=256) > 0.5: true
}

// The learned controller is an ordinary algorithm: a config selects it
// with algorithm: {name: reinforce}. Here it learns, from rewards alone,
// that width 256 is best.
func ExampleReinforce() {
	spec := exampleSpec(dartsSpace)
	width, _ := spec.Lookup("width")
	algo := &algorithms.Reinforce{Seed: 1, LearningRate: 0.3}
	if err := algo.Setup(spec); err != nil {
		panic(err)
	}
	for trial := range 200 {
		dna, err := algo.Propose(context.Background())
		if err != nil {
			panic(err)
		}
		reward := 0.0
		if dna.Children[0].Value == 2 {
			reward = 1
		}
		algo.Feedback(algorithms.Result{Trial: trial, DNA: dna, Rewards: []float64{reward}})
	}
	fmt.Printf("p(width=256) > 0.9: %v\n", algo.Probabilities(width)[2] > 0.9)
	// Output:
	// p(width=256) > 0.9: true
}
