package merge

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// pairTask is the small synthetic task the trained pairs learn.
var pairTask = sync.OnceValues(func() (*data.Splits, error) {
	return data.Synthetic(data.SyntheticOptions{Train: 4000, Val: -1, Test: 1000, Features: 16, Classes: 4, Clusters: 3, Noise: 0.35, Seed: 3})
})

// trained returns a 16-64-64-4 ReLU network trained on pairTask from
// seed, with Adam.
func trained(t testing.TB, seed uint64) (*nn.Sequential, *data.Splits) {
	t.Helper()
	sp, err := pairTask()
	if err != nil {
		t.Fatal(err)
	}
	net := mlp(seed, 16, 64, 64, 4)
	c, err := nn.NewClassifier(net, &nn.AdamW{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}, nn.Constant(3e-3))
	if err != nil {
		t.Fatal(err)
	}
	tr := sp.Train
	rng := rand.New(rand.NewPCG(seed, 4))
	const batch = 100
	x := tensor.New(batch, tr.Features)
	y := make([]int32, batch)
	for step := 0; step < 800; step++ {
		for r := range batch {
			k := rng.IntN(tr.N)
			copy(x.Data[r*tr.Features:(r+1)*tr.Features], tr.Row(k))
			y[r] = tr.Y[k]
		}
		c.TrainStep(x, y)
	}
	return net, sp
}
