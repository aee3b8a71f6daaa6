package algorithms_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// exampleSpec compiles a space written in YAML.
func exampleSpec(text string) *space.DNASpec {
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		panic(err)
	}
	tree, err := reg.DecodeYAML([]byte(text), nil)
	if err != nil {
		panic(err)
	}
	s, err := space.New(tree)
	if err != nil {
		panic(err)
	}
	return s.Spec()
}

// Random search: each proposal is drawn independently; the seed decides
// them all.
func ExampleRandom() {
	spec := exampleSpec(`
act: !oneof [relu, gelu]
lr: !float {min: 1.0e-4, max: 0.1, scale: log}
`)
	algo := &algorithms.Random{Seed: 1}
	if err := algo.Setup(spec); err != nil {
		panic(err)
	}
	for range 3 {
		dna, err := algo.Propose(context.Background())
		if err != nil {
			panic(err)
		}
		fmt.Println(spec.Format(dna))
	}
	// Output:
	// [1, 0.005835124286976588]
	// [0, 0.0006780320176619336]
	// [1, 0.0002752785852977563]
}

// Grid search walks a finite space like an odometer, the last decision
// turning fastest; the decision inside sgd exists only for sgd.
func ExampleGrid() {
	spec := exampleSpec(`
opt: !oneof [{name: sgd, momentum: !oneof [0.0, 0.9]}, {name: adam}]
width: !int {min: 1, max: 2}
`)
	algo := &algorithms.Grid{}
	if err := algo.Setup(spec); err != nil {
		panic(err)
	}
	for {
		dna, err := algo.Propose(context.Background())
		if errors.Is(err, algorithms.ErrDone) {
			fmt.Println("done")
			break
		}
		fmt.Println(spec.Format(dna))
	}
	// Output:
	// [0, 0, 1]
	// [0, 0, 2]
	// [0, 1, 1]
	// [0, 1, 2]
	// [1, 1]
	// [1, 2]
	// done
}

// Dedup never proposes a program twice; over a finite space it says it
// is done once every program has been proposed.
func ExampleDedup() {
	spec := exampleSpec(`a: !oneof [x, y]
b: !oneof [x, y]`)
	algo := &algorithms.Dedup{Inner: &algorithms.Random{Seed: 3}}
	if err := algo.Setup(spec); err != nil {
		panic(err)
	}
	for {
		dna, err := algo.Propose(context.Background())
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(spec.Format(dna))
	}
	// Output:
	// [1, 1]
	// [0, 0]
	// [0, 1]
	// [1, 0]
	// algorithms: no more proposals
}

// Regularized evolution on a toy problem: ten decisions of four
// candidates, the reward is the number of decisions set to 3.
func ExampleRegularizedEvolution() {
	spec := exampleSpec(`
[!oneof [a, b, c, d], !oneof [a, b, c, d], !oneof [a, b, c, d], !oneof [a, b, c, d], !oneof [a, b, c, d],
 !oneof [a, b, c, d], !oneof [a, b, c, d], !oneof [a, b, c, d], !oneof [a, b, c, d], !oneof [a, b, c, d]]
`)
	algo := &algorithms.RegularizedEvolution{Population: 20, Tournament: 5, Seed: 1}
	if err := algo.Setup(spec); err != nil {
		panic(err)
	}
	best, found := -1.0, 0
	for trial := range 500 {
		dna, err := algo.Propose(context.Background())
		if err != nil {
			panic(err)
		}
		reward := 0.0
		for _, d := range dna.Children {
			if d.Value == 3 {
				reward++
			}
		}
		if reward > best {
			best, found = reward, trial
		}
		algo.Feedback(algorithms.Result{Trial: trial, DNA: dna, Rewards: []float64{reward}})
	}
	fmt.Printf("best reward %v, first found at trial %d\n", best, found)
	// Output:
	// best reward 10, first found at trial 180
}

// The Uniform mutator changes one decision, here only among those with
// the hint "arch"; the other decisions stay as they were.
func ExampleUniform() {
	spec := exampleSpec(`
act: !oneof {candidates: [relu, gelu, tanh], hints: [arch]}
width: !int {min: 16, max: 256, hints: [arch]}
batch: !oneof [32, 64, 128]
`)
	parent, err := spec.ParseNumbers("[0, 128, 1]")
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	mutator := algorithms.Uniform{Where: space.ByHints("arch")}
	for range 4 {
		fmt.Println(spec.Format(mutator.Mutate(rng, spec, parent)))
	}
	// Output:
	// [1, 128, 1]
	// [1, 128, 1]
	// [1, 128, 1]
	// [0, 169, 1]
}

// Order-preserving crossover of two permutations: PMX keeps a segment of
// the first parent in place and as many positions of the second as it
// can; cycle crossover keeps every value at its position in one parent.
func ExamplePMX() {
	a := []int{0, 1, 2, 3, 4, 5, 6, 7}
	b := []int{7, 6, 5, 4, 3, 2, 1, 0}
	rng := rand.New(rand.NewPCG(1, 2))
	fmt.Println(algorithms.PMX{}.CrossPermutation(rng, a, b))
	fmt.Println(algorithms.OrderCrossover{}.CrossPermutation(rng, a, b))
	fmt.Println(algorithms.CycleCrossover{}.CrossPermutation(rng, a, b))
	// Output:
	// [7 6 2 3 4 5 1 0]
	// [7 1 2 3 4 5 6 0]
	// [0 6 2 4 3 5 1 7]
}

// Tournament selection: the best of Size members drawn at random.
func ExampleTournament() {
	pop := []algorithms.Result{
		{Trial: 0, Rewards: []float64{0.3}},
		{Trial: 1, Rewards: []float64{0.9}},
		{Trial: 2},
		{Trial: 3, Rewards: []float64{0.5}},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	fmt.Println("tournaments of 3:", algorithms.Tournament{Size: 3}.Select(rng, pop, 6))
	fmt.Println("top 2:", algorithms.Top{}.Select(nil, pop, 2))
	// Output:
	// tournaments of 3: [0 0 1 3 1 3]
	// top 2: [1 3]
}
