package merge_test

import (
	"context"
	"fmt"

	"github.com/c2602f9e/goglove/trainer/merge"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// Weight matching finds back the permutation of a shuffled copy.
func ExampleWeightMatching() {
	rng := nn.NewRand(1, 1)
	a := nn.NewSequential(nn.NewDense(4, 16, nn.TorchLinear, rng), new(nn.ReLU), nn.NewDense(16, 3, nn.TorchLinear, rng))
	spec, _ := merge.SpecOf(a)
	fmt.Println("groups:", len(spec.Groups), "of", spec.Groups[0].Size, "units")

	b, _ := merge.Clone(a)
	shuffle := merge.Identity(spec)
	shuffle[0][0], shuffle[0][5] = 5, 0
	_ = merge.Apply(spec, shuffle, b)
	before, _ := merge.Distance(a, b)

	res, _ := merge.WeightMatching(context.Background(), spec, a, b, merge.WMOptions{})
	_ = merge.Apply(spec, res.Perm, b)
	after, _ := merge.Distance(a, b)
	fmt.Printf("distance before %.2f, after %.2f\n", before, after)
	// Output:
	// groups: 1 of 16 units
	// distance before 1.76, after 0.00
}
