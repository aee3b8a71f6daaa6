package experiments

import (
	"context"
	"fmt"
	"strings"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/cache"
)

// fineTuneRankID is the one decision of a trainer.FineTune space that
// darts relaxes: the LoRA method's rank.
const fineTuneRankID = "method.rank"

// newRelaxation returns the supernet of s: the rank supernet when s's
// programs are trainer.FineTunes (newFineTuneSupernet), else the
// Classifier supernet (NewSupernet).
func newRelaxation(ctx context.Context, s *space.Space) (*Supernet, error) {
	spec := s.Spec()
	dna, err := algorithms.DeriveDNA(spec, map[string]int{}, nil)
	if err != nil {
		return nil, err
	}
	prog, err := s.Decode(dna)
	if err != nil {
		return nil, fmt.Errorf("experiments: darts: %w", err)
	}
	if o, ok := prog.(*symbolic.Object); ok && o.Type().Name() == "trainer.FineTune" {
		return newFineTuneSupernet(ctx, s)
	}
	return NewSupernet(s)
}

// newFineTuneSupernet builds the supernet of a space of trainer.FineTune
// programs whose LoRA rank is a oneof of integers (method.rank): the
// trainer's rank supernet (trainer.NewFineTuneSupernet) over the base,
// which is taken from the trained-model cache of the environment
// ($GOGLOVE_CACHE) or trained now. Every other decision is held (a
// oneof at its first candidate, a number at its minimum), as in
// NewSupernet; the supernet trains with the fine-tune's batch,
// learning rate and seed, and fits the rank on the task's validation
// split.
func newFineTuneSupernet(ctx context.Context, s *space.Space) (*Supernet, error) {
	spec := s.Spec()
	p, ok := spec.Lookup(fineTuneRankID)
	if !ok || p == nil {
		if id := nestedRank(spec.Points); id != "" {
			return nil, fmt.Errorf("experiments: darts: space.%s: cannot relax a rank inside a choice of methods (make method a trainer.LoRA, not a !oneof)", id)
		}
		return nil, fmt.Errorf("experiments: darts: space.%s: no decision to relax (a trainer.FineTune space wants a !oneof of LoRA ranks at method.rank)", fineTuneRankID)
	}
	if p.Kind != space.KindOneOf || hasInnerPoints(p) {
		return nil, fmt.Errorf("experiments: darts: space.%s: want a !oneof of integer ranks without decisions inside", fineTuneRankID)
	}
	ranks := make([]int, len(p.Candidates))
	for k, c := range p.Candidates {
		r, ok := c.Value.(symbolic.Int)
		if !ok {
			return nil, fmt.Errorf("experiments: darts: space.%s[%d]: want an integer rank, got %v", fineTuneRankID, k, c.Value)
		}
		ranks[k] = int(r)
	}
	decs := []algorithms.RelaxedDecision{{ID: fineTuneRankID, Candidates: len(ranks)}}
	dna, err := algorithms.DeriveDNA(spec, map[string]int{fineTuneRankID: 0}, nil)
	if err != nil {
		return nil, err
	}
	prog, err := s.Decode(dna)
	if err != nil {
		return nil, fmt.Errorf("experiments: darts: %w", err)
	}
	tp, err := trainer.AsProgram(prog)
	if err != nil {
		return nil, fmt.Errorf("experiments: darts: space: %w", err)
	}
	f, ok := tp.(trainer.FineTune)
	if !ok {
		return nil, fmt.Errorf("experiments: darts: space: want a trainer.FineTune, got %T", tp)
	}
	if _, ok := f.Method.(trainer.LoRA); !ok {
		return nil, fmt.Errorf("experiments: darts: space.method: want a trainer.LoRA (its rank is relaxed), got %T", f.Method)
	}
	c, err := cache.Default()
	if err != nil {
		return nil, fmt.Errorf("experiments: darts: %w", err)
	}
	env := &trainer.Env{Version: version()}
	if c != nil {
		env.Cache = c
	}
	base, err := f.Base.TrainedModel(ctx, env)
	if err != nil {
		return nil, fmt.Errorf("experiments: darts: space.base: %w", err)
	}
	super, err := trainer.NewFineTuneSupernet(f, base, ranks, trainer.SupernetOptions{
		Batch: f.Batch, LR: f.Optimizer.LearningRate(), Seed: uint64(f.Seed),
	})
	if err != nil {
		return nil, fmt.Errorf("experiments: darts: space: %w", err)
	}
	return &Supernet{decs: decs, super: super}, nil
}

// nestedRank returns the ID of the first decision under a oneof whose ID
// ends in ".rank" (method[1].rank), or "".
func nestedRank(points []*space.DecisionPoint) string {
	for _, p := range points {
		for _, c := range p.Candidates {
			for _, q := range c.Points {
				if strings.HasSuffix(q.ID, ".rank") {
					return q.ID
				}
			}
			if id := nestedRank(c.Points); id != "" {
				return id
			}
		}
	}
	return ""
}
