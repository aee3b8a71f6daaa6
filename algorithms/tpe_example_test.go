package algorithms_test

import (
	"context"
	"fmt"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/algorithms/problems"
)

// minimize runs a on p for n trials, one at a time, and returns the best
// value found: propose a DNA, read the point (the DNA's numbers form),
// evaluate it, and feed back its negation (rewards are maximized).
func minimize(a algorithms.Algorithm, p *problems.Problem, n int) float64 {
	spec := p.Space().Spec()
	if err := a.Setup(spec); err != nil {
		panic(err)
	}
	best := 0.0
	for i := range n {
		dna, err := a.Propose(context.Background())
		if err != nil {
			panic(err)
		}
		v := p.Func(spec.Numbers(dna))
		if i == 0 || v < best {
			best = v
		}
		a.Feedback(algorithms.Result{Trial: i, DNA: dna, Rewards: []float64{-v}})
	}
	return best
}

// TPE on Hartmann6: after 10 random trials, each decision is drawn where
// the good trials are denser than the bad ones.
func ExampleTPE() {
	p := problems.Hartmann6()
	tpe := &algorithms.TPE{Seed: 1}
	random := &algorithms.Random{Seed: 1}
	fmt.Println("TPE beats random search:", minimize(tpe, p, 150) < minimize(random, p, 150))
	// Output:
	// TPE beats random search: true
}
