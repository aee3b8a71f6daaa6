package trainer

import (
	"context"
	"fmt"
	"sync"

	"github.com/c2602f9e/goglove/symbolic"
)

// MetricCached is the metric that tells a run taken from the trained-model
// cache (1) from one trained now (0).
const MetricCached = "cached"

// Run trains c (or takes it from env.Cache, see TrainedModel) and returns its
// metrics, as Train does, with cached set. On an error it returns the
// metrics of the epochs completed, like Train.
func (c *Classifier) Run(ctx context.Context, env *Env) (map[string]float64, error) {
	t, err := c.model(ctx, env.orZero(), false)
	if t == nil {
		return nil, err
	}
	return t.Metrics, err
}

// TrainedModel trains c and returns the trained network. With env.Cache set it
// first looks the program up by its canonical form (Canonical): a hit
// returns the cached network and the metrics recorded when it was
// trained, with cached = 1, and trains nothing; a miss trains and stores
// the result, unless the run was stopped early or interrupted (its
// result is not the program's). When the run ends with an error, the
// returned Trained holds the metrics of the epochs completed and no
// network.
func (c *Classifier) TrainedModel(ctx context.Context, env *Env) (*Trained, error) {
	return c.model(ctx, env.orZero(), true)
}

// model is TrainedModel; without needNet a cache hit returns the
// recorded metrics without rebuilding the network (nor loading the data),
// so that a repeated trial costs a file read.
func (c *Classifier) model(ctx context.Context, env *Env, needNet bool) (*Trained, error) {
	if env.Cache != nil {
		return c.cachedModel(ctx, env, needNet)
	}
	return c.trainNow(ctx, env, env.Reporter)
}

// trainNow trains c, reporting to r.
func (c *Classifier) trainNow(ctx context.Context, env *Env, r Reporter) (*Trained, error) {
	m, net, err := TrainNetwork(ctx, c, &TrainOptions{Reporter: r, Progress: env.Progress})
	if m == nil {
		return nil, err
	}
	m[MetricCached] = 0
	t := &Trained{Net: net, Program: c, Metrics: m}
	if err != nil {
		return t, err
	}
	splits, err := c.Data.Load() // cached per process: TrainNetwork loaded it
	if err != nil {
		return nil, fmt.Errorf("trainer: %w", err)
	}
	t.Features, t.Classes = splits.Train.Features, splits.Train.Classes
	t.evalBatch = evalBatchSize(min(c.Batch, splits.Train.N))
	return t, nil
}

// trainerRegistry returns a registry of the trainer's types, built once.
var trainerRegistry = sync.OnceValues(func() (*symbolic.Registry, error) {
	r := symbolic.NewRegistry()
	if err := Register(r); err != nil {
		return nil, fmt.Errorf("trainer: registering the trainer's types: %w", err)
	}
	return r, nil
})

// Canonical returns the canonical YAML of the program p (a registered
// trainer type such as *Classifier): every field written out, defaults
// included, in a fixed order, so that programs that train the same way
// have the same form however they were written. It is the key of the
// trained-model cache.
func Canonical(p any) ([]byte, error) {
	tree, err := ProgramTree(p)
	if err != nil {
		return nil, err
	}
	return symbolic.EncodeYAML(tree)
}
