package merge

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// MergeManyOptions are the settings of MergeMany.
type MergeManyOptions struct {
	// MaxIter bounds the rounds over the models; 0 is DefaultMaxIter.
	MaxIter int
	// Seed seeds the order of the models in each round and the weight
	// matching inside.
	Seed uint64
}

// MergeMany aligns three or more networks to each other (Ainsworth et
// al. 2023, MergeMany): in each round, in a random order, each network
// is weight-matched to the mean of the others as they are aligned so
// far, until a round changes no permutation (or MaxIter rounds). It
// returns one permutation per network; applied to them, their Average
// is the merged network.
func MergeMany(ctx context.Context, s *Spec, nets []*nn.Sequential, o MergeManyOptions) ([]Permutation, error) {
	if len(nets) < 2 {
		return nil, fmt.Errorf("%w: models: want at least two models to merge, got %d", ErrOptions, len(nets))
	}
	if o.MaxIter < 0 {
		return nil, fmt.Errorf("%w: max_iter: want ≥ 0, got %d", ErrOptions, o.MaxIter)
	}
	for k, n := range nets {
		if err := s.Check(n); err != nil {
			return nil, fmt.Errorf("merge: merge many: models[%d]: %w", k, err)
		}
	}
	maxIter := o.MaxIter
	if maxIter == 0 {
		maxIter = DefaultMaxIter
	}
	perms := make([]Permutation, len(nets))
	vals := make([][][]float32, len(nets))
	for k, n := range nets {
		perms[k] = Identity(s)
		vals[k] = values(n)
	}
	m := newMatcher(s)
	rng := rand.New(rand.NewPCG(o.Seed, 0x3a7))
	names, shapes := s.order, s.shapes
	for round := 0; round < maxIter; round++ {
		changed := false
		for _, k := range rng.Perm(len(nets)) {
			// The mean of the others, aligned.
			mean := make([][]float32, len(names))
			for i, name := range names {
				mean[i] = make([]float32, len(vals[k][i]))
				for l := range nets {
					if l == k {
						continue
					}
					pl := permuted(s, perms[l], name, shapes[name], vals[l][i])
					for j, v := range pl {
						mean[i][j] += v / float32(len(nets)-1)
					}
				}
			}
			res, err := m.match(ctx, mean, vals[k], WMOptions{Seed: o.Seed + uint64(round*len(nets)+k), Init: perms[k]})
			if err != nil {
				return nil, err
			}
			for g := range res.Perm {
				if !slices.Equal(res.Perm[g], perms[k][g]) {
					changed = true
				}
			}
			perms[k] = res.Perm
		}
		if !changed {
			break
		}
	}
	return perms, nil
}

// AlignAll returns the networks permuted by perms (one per network), as
// new networks.
func AlignAll(s *Spec, nets []*nn.Sequential, perms []Permutation) ([]*nn.Sequential, error) {
	if len(perms) != len(nets) {
		return nil, fmt.Errorf("%w: %d permutations for %d models", ErrOptions, len(perms), len(nets))
	}
	out := make([]*nn.Sequential, len(nets))
	for k, n := range nets {
		c, err := Clone(n)
		if err != nil {
			return nil, err
		}
		if err := Apply(s, perms[k], c); err != nil {
			return nil, fmt.Errorf("merge: models[%d]: %w", k, err)
		}
		out[k] = c
	}
	return out, nil
}
