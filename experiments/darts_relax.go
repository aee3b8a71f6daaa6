package experiments

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/trainer"
)

// Supernet is the relaxation (algorithms.Relaxation) of a space of
// trainer.Classifier programs whose model is a trainer.Sequential: each
// top-level OneOf decision of the model whose candidates hold no further
// decisions is relaxed, either a choice at one layer
// (model.layers[i], or a field inside it, such as model.layers[i].units:
// the layer becomes a trainer.Mixed of the layer as each candidate makes
// it) or the model-level activation (model.activation: every activation
// layer that names none becomes a trainer.Mixed of the three). The other
// decisions (data, optimizer, batch, nested choices) are held: a OneOf
// at its first candidate, a number at its minimum (see
// algorithms.DeriveDNA). The supernet trains on the program's data with
// its batch, optimizer's learning rate and seed.
//
// A Supernet is not safe for concurrent use.
type Supernet struct {
	decs  []algorithms.RelaxedDecision
	super *trainer.Supernet
}

var (
	_ algorithms.Relaxation  = (*Supernet)(nil)
	_ algorithms.SecondOrder = (*Supernet)(nil)
)

// NewSupernet builds the supernet of the space s.
func NewSupernet(s *space.Space) (*Supernet, error) { return newSupernet(s, nil) }

// NewSupernetSeed is NewSupernet with the supernet's seed (its
// initialization and the order of its batches) given rather than taken
// from the program, so that searches of one space can differ by seed.
func NewSupernetSeed(s *space.Space, seed uint64) (*Supernet, error) {
	return newSupernet(s, &seed)
}

func newSupernet(s *space.Space, seed *uint64) (*Supernet, error) {
	spec := s.Spec()
	var decs []algorithms.RelaxedDecision
	for _, p := range spec.Points {
		if p.Kind != space.KindOneOf || !strings.HasPrefix(p.ID, "model.") || hasInnerPoints(p) {
			continue
		}
		decs = append(decs, algorithms.RelaxedDecision{ID: p.ID, Candidates: len(p.Candidates)})
	}
	if len(decs) == 0 {
		return nil, fmt.Errorf("experiments: darts: space: no decision to relax (want a oneof in model.layers or at model.activation, without decisions inside its candidates)")
	}
	variant := func(id string, k int) (*trainer.Classifier, trainer.Sequential, error) {
		choice := map[string]int{}
		for _, d := range decs {
			choice[d.ID] = 0
		}
		if id != "" {
			choice[id] = k
		}
		dna, err := algorithms.DeriveDNA(spec, choice, nil)
		if err != nil {
			return nil, trainer.Sequential{}, err
		}
		prog, err := s.Decode(dna)
		if err != nil {
			return nil, trainer.Sequential{}, fmt.Errorf("experiments: darts: %w", err)
		}
		c, err := Classifier(prog)
		if err != nil {
			return nil, trainer.Sequential{}, err
		}
		seq, ok := c.Model.(trainer.Sequential)
		if !ok {
			return nil, trainer.Sequential{}, fmt.Errorf("experiments: darts: space.model: want a trainer.Sequential, got %T", c.Model)
		}
		return c, seq, nil
	}
	base, model, err := variant("", 0)
	if err != nil {
		return nil, err
	}
	layers := append([]trainer.Layer(nil), model.Layers...)
	taken := map[int]string{}
	for i, d := range decs {
		cands := make([]trainer.Sequential, d.Candidates)
		for k := range cands {
			if _, cands[k], err = variant(d.ID, k); err != nil {
				return nil, err
			}
		}
		if d.ID == "model.activation" {
			mixed := make([]trainer.Layer, d.Candidates)
			for k, c := range cands {
				mixed[k] = trainer.Activation{Activation: c.Activation}
			}
			for j, l := range layers {
				if a, ok := l.(trainer.Activation); ok && a.Activation == nil {
					layers[j] = trainer.Mixed{Decision: i, Candidates: mixed}
				}
			}
			continue
		}
		j, ok := layerIndex(d.ID)
		if !ok {
			return nil, fmt.Errorf("experiments: darts: space.%s: cannot relax it (darts relaxes model.layers[i]… and model.activation; hold it with a constant)", d.ID)
		}
		if other, dup := taken[j]; dup {
			return nil, fmt.Errorf("experiments: darts: space.%s: model.layers[%d] is relaxed by %s already (one relaxed decision per layer)", d.ID, j, other)
		}
		taken[j] = d.ID
		mixed := make([]trainer.Layer, d.Candidates)
		for k, c := range cands {
			if len(c.Layers) != len(layers) {
				return nil, fmt.Errorf("experiments: darts: space.%s: its candidates change the number of layers", d.ID)
			}
			mixed[k] = c.Layers[j]
		}
		layers[j] = trainer.Mixed{Decision: i, Candidates: mixed}
	}
	model.Layers = layers
	splits, err := base.Data.Load()
	if err != nil {
		return nil, fmt.Errorf("experiments: darts: space.data: %w", err)
	}
	counts := make([]int, len(decs))
	for i, d := range decs {
		counts[i] = d.Candidates
	}
	o := trainer.SupernetOptions{Batch: base.Batch, LR: base.Optimizer.LearningRate(), Seed: uint64(base.Seed)}
	if seed != nil {
		o.Seed = *seed
	}
	super, err := trainer.NewSupernet(model, counts, splits, o)
	if err != nil {
		return nil, fmt.Errorf("experiments: darts: %w", err)
	}
	return &Supernet{decs: decs, super: super}, nil
}

// hasInnerPoints reports whether a candidate of p holds decisions.
func hasInnerPoints(p *space.DecisionPoint) bool {
	for _, c := range p.Candidates {
		if len(c.Points) > 0 {
			return true
		}
	}
	return false
}

// layerIndex returns i of an ID model.layers[i]….
func layerIndex(id string) (int, bool) {
	rest, ok := strings.CutPrefix(id, "model.layers[")
	if !ok {
		return 0, false
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return 0, false
	}
	i, err := strconv.Atoi(rest[:end])
	return i, err == nil
}

// Decisions returns the relaxed decisions.
func (s *Supernet) Decisions() []algorithms.RelaxedDecision { return s.decs }

// Step runs one weight step and returns the validation gradient.
func (s *Supernet) Step(ctx context.Context, w [][]float64) (algorithms.StepResult, error) {
	st, err := s.super.Step(ctx, w)
	if err != nil {
		return algorithms.StepResult{}, err
	}
	return algorithms.StepResult{TrainLoss: st.TrainLoss, ValLoss: st.ValLoss, ValAccuracy: st.ValAccuracy, Grad: st.Grad}, nil
}

// Trainer returns the trainer's supernet (its weights are checkpointed).
func (s *Supernet) Trainer() *trainer.Supernet { return s.super }

// StepSecondOrder runs one weight step and returns the second-order
// validation gradient (algorithms.SecondOrder).
func (s *Supernet) StepSecondOrder(ctx context.Context, w [][]float64, xi float64) (algorithms.StepResult, error) {
	st, err := s.super.StepSecondOrder(ctx, w, xi)
	if err != nil {
		return algorithms.StepResult{}, err
	}
	return algorithms.StepResult{TrainLoss: st.TrainLoss, ValLoss: st.ValLoss, ValAccuracy: st.ValAccuracy, Grad: st.Grad}, nil
}
