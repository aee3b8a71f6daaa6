package algorithms_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// A search for models that are both accurate and small: NSGA-II maximizes
// both rewards (the size is negated, since smaller is better), and the
// answer is the Pareto front of every result.
func ExampleNSGA2() {
	tree := symbolic.NewDict(2)
	tree.Set("width", space.OneOf(16, 32, 64, 128))
	tree.Set("depth", space.Int(1, 4))
	s := space.MustNew(tree)

	// A made-up model: deeper and wider is more accurate, but its size
	// grows with width² · depth.
	evaluate := func(dna space.DNA) []float64 {
		width := float64(int(16) << int(dna.Children[0].Value))
		depth := dna.Children[1].Value
		accuracy := 0.95 - 0.2/depth - 2/width
		size := width * width * depth
		return []float64{accuracy, -size}
	}

	ctx := context.Background()
	algo := &algorithms.NSGA2{Population: 8, Seed: 1}
	if err := algo.Setup(s.Spec()); err != nil {
		panic(err)
	}
	var results []algorithms.Result
	for trial := range 100 {
		dna, err := algo.Propose(ctx)
		if err != nil {
			panic(err)
		}
		r := algorithms.Result{Trial: trial, DNA: dna, Rewards: evaluate(dna)}
		algo.Feedback(r)
		results = append(results, r)
	}

	// Print each program of the front once, smallest first.
	front := algorithms.ParetoFront(results)
	slices.SortStableFunc(front, func(a, b algorithms.Result) int { return cmp.Compare(b.Rewards[1], a.Rewards[1]) })
	seen := map[string]bool{}
	for _, r := range front {
		program, err := s.Decode(r.DNA)
		if err != nil {
			panic(err)
		}
		if key := program.String(); !seen[key] {
			seen[key] = true
			fmt.Printf("%v accuracy %.3f size %.0f\n", program, r.Rewards[0], -r.Rewards[1])
		}
	}
	// Output:
	// {width: 16, depth: 1} accuracy 0.625 size 256
	// {width: 16, depth: 2} accuracy 0.725 size 512
	// {width: 16, depth: 3} accuracy 0.758 size 768
	// {width: 16, depth: 4} accuracy 0.775 size 1024
	// {width: 32, depth: 2} accuracy 0.787 size 2048
	// {width: 32, depth: 3} accuracy 0.821 size 3072
	// {width: 32, depth: 4} accuracy 0.837 size 4096
	// {width: 64, depth: 3} accuracy 0.852 size 12288
	// {width: 64, depth: 4} accuracy 0.869 size 16384
	// {width: 128, depth: 4} accuracy 0.884 size 65536
}

// ParetoFront keeps the results no other result beats on every
// objective; failed results are left out.
func ExampleParetoFront() {
	results := []algorithms.Result{
		{Trial: 0, Rewards: []float64{0.9, -30}}, // accurate but slow
		{Trial: 1, Rewards: []float64{0.8, -10}}, // a trade-off
		{Trial: 2, Rewards: []float64{0.7, -20}}, // beaten by trial 1 on both
		{Trial: 3},                               // failed
		{Trial: 4, Rewards: []float64{0.6, -5}},  // fast but inaccurate
	}
	for _, r := range algorithms.ParetoFront(results) {
		fmt.Println(r.Trial, r.Rewards)
	}
	// Output:
	// 0 [0.9 -30]
	// 1 [0.8 -10]
	// 4 [0.6 -5]
}
