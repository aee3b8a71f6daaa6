package trainer

import (
	"context"
	"errors"
	"fmt"
)

// FineTuneSequence fine-tunes a trained model over a list of tasks in
// order, each stage starting from the previous stage's result: the
// FineTune of stage i has the FineTune of stage i−1 as its base (Base for
// the first), Tasks[i] as its task and the fields below. It is a
// ModelProgram whose trained network is the last stage's.
//
//	_type: trainer.FineTuneSequence
//	base: {_type: trainer.Classifier, …}
//	tasks:
//	  - {_type: trainer.FashionMNIST, transform: [rot90], validation: 0, standardize: true}
//	  - {_type: trainer.FashionMNIST, transform: [rot180], validation: 0, standardize: true}
//	method: {_type: trainer.LoRA, rank: 1, alpha: 2}
//	optimizer: {_type: trainer.AdamW, lr: 0.001}
//
// Its metrics are the last stage's target figures, trainable_params and
// intruders (against the previous stage), the forgetting of the base's
// task (orig_accuracy and orig_loss: the last trunk under Base's head on
// Base's test set) and of the first task (first_accuracy and first_loss:
// under the first stage's head on its test set), and per stage, under
// the prefix "stages[i].", the same figures after stage i.
type FineTuneSequence struct {
	Base      ModelProgram   `sym:",required" doc:"the trained model the first stage fine-tunes: a trainer.Classifier, trainer.Checkpoint or trainer.FineTune"`
	Tasks     []Dataset      `sym:",required" doc:"the tasks in order, one stage each"`
	Head      string         `enum:"new,keep" default:"new" doc:"each stage's head: new or keep (see trainer.FineTune)"`
	Method    FineTuneMethod `sym:",required" doc:"how each stage's target layers train: trainer.Full or trainer.LoRA"`
	Optimizer Optimizer      `sym:",required" doc:"each stage's optimizer"`
	Epochs    int            `min:"1" max:"100000" default:"3" doc:"passes over each task's training set"`
	Batch     int            `min:"1" max:"65536" default:"256" doc:"examples per training step"`
	Seed      int64          `min:"0" doc:"seeds each stage (see trainer.FineTune)"`
	K         int            `sym:"k" min:"1" max:"65536" default:"10" doc:"intruders are sought among this many top singular vectors"`
	Eps       float64        `sym:"eps" min:"1e-9" max:"1" default:"0.5" doc:"the intruder threshold on the largest |cosine|"`
	Lambdas   []float64      `min:"0" max:"10" default:"[0.75, 0.5]" doc:"the intruder mitigation's factors, each stage"`
}

// Metric names of a FineTuneSequence besides a FineTune's.
const (
	MetricFirstAccuracy = "first_accuracy" // the trunk under the first stage's head, on the first task's test set
	MetricFirstLoss     = "first_loss"
)

// Stage is the result of one stage of a FineTuneSequence.
type Stage struct {
	// FineTuned is the stage's fine-tune, measured against its own base
	// (the previous stage).
	*FineTuned
	// OrigLoss and OrigAccuracy are the stage's trunk under the
	// sequence's base's head on its test set; FirstLoss and
	// FirstAccuracy under the first stage's head on the first task's.
	OrigLoss, OrigAccuracy, FirstLoss, FirstAccuracy float64
}

// Stage returns the FineTune of stage i (from 0) of s.
func (s FineTuneSequence) Stage(i int) FineTune {
	var base ModelProgram = s.Base
	if i > 0 {
		base = s.Stage(i - 1)
	}
	return FineTune{
		Base: base, Task: s.Tasks[i], Head: s.Head, Method: s.Method, Optimizer: s.Optimizer,
		Epochs: s.Epochs, Batch: s.Batch, Seed: s.Seed, K: s.K, Eps: s.Eps, Lambdas: s.Lambdas,
	}
}

// Run runs the stages and returns the metrics.
func (s FineTuneSequence) Run(ctx context.Context, env *Env) (map[string]float64, error) {
	stages, err := s.Stages(ctx, env, nil)
	if err != nil {
		return nil, err
	}
	return sequenceMetrics(stages), nil
}

// TrainedModel runs the stages and returns the last stage's network.
func (s FineTuneSequence) TrainedModel(ctx context.Context, env *Env) (*Trained, error) {
	stages, err := s.Stages(ctx, env, nil)
	if err != nil {
		return nil, err
	}
	t := *stages[len(stages)-1].Trained
	t.Metrics = sequenceMetrics(stages)
	return &t, nil
}

// Stages gets the base (env's cache applies to it) and runs the stages
// in order, telling each, if not nil, every stage's result as it ends.
// An error names the stage: "tasks[2]".
func (s FineTuneSequence) Stages(ctx context.Context, env *Env, each func(i int, st Stage)) ([]Stage, error) {
	env = env.orZero()
	if s.Base == nil {
		return nil, fmt.Errorf("%w: base: want a trained model (trainer.Classifier, trainer.Checkpoint, trainer.FineTune)", ErrProgram)
	}
	if len(s.Tasks) == 0 {
		return nil, fmt.Errorf("%w: tasks: want at least one task", ErrProgram)
	}
	for i, t := range s.Tasks {
		if t == nil {
			return nil, fmt.Errorf("%w: tasks[%d]: want a dataset", ErrProgram, i)
		}
	}
	if err := s.Stage(0).withDefaults().check(); err != nil {
		return nil, err
	}
	base, err := s.Base.TrainedModel(ctx, env.sub())
	if err != nil {
		if errors.Is(err, ErrProgram) {
			return nil, prefixProgramError("base", err)
		}
		return nil, err
	}
	if base.Net == nil {
		return nil, fmt.Errorf("trainer: base: the run left no trained network")
	}
	if env.Cache == nil {
		return s.StagesFrom(ctx, env, base, each)
	}
	// With a cache each stage is its FineTune (Stage(i)), looked up and
	// stored there: a stage's base, the previous stage, is read back from
	// the entry just made, and a sequence run again trains nothing.
	return s.stages(ctx, env, base, each, func(i int, _ *Trained) (*FineTuned, error) { return s.Stage(i).Tune(ctx, env) })
}

// StagesFrom is Stages from base, the trained model s.Base stands for,
// without getting it again.
func (s FineTuneSequence) StagesFrom(ctx context.Context, env *Env, base *Trained, each func(i int, st Stage)) ([]Stage, error) {
	return s.stages(ctx, env, base, each, func(i int, prev *Trained) (*FineTuned, error) { return s.Stage(i).TuneFrom(ctx, env, prev) })
}

// stages runs the stages with tune, which fine-tunes stage i from prev,
// the previous stage's result (base for the first).
func (s FineTuneSequence) stages(ctx context.Context, env *Env, base *Trained, each func(i int, st Stage), tune func(i int, prev *Trained) (*FineTuned, error)) ([]Stage, error) {
	var out []Stage
	prev := base
	var first *Trained
	for i := range s.Tasks {
		ft, err := tune(i, prev)
		if err != nil {
			if errors.Is(err, ErrProgram) {
				return out, fmt.Errorf("%w (in the stage of tasks[%d])", err, i)
			}
			return out, fmt.Errorf("trainer: stage of tasks[%d]: %w", i, err)
		}
		if first == nil {
			first = ft.Trained
		}
		st := Stage{FineTuned: ft}
		if st.OrigLoss, st.OrigAccuracy, err = ft.Forgetting(base); err != nil {
			return out, err
		}
		if st.FirstLoss, st.FirstAccuracy, err = ft.Forgetting(first); err != nil {
			return out, err
		}
		out = append(out, st)
		if each != nil {
			each(i, st)
		}
		prev = ft.Trained
	}
	return out, nil
}

// sequenceMetrics returns the metrics of a sequence's stages: the last
// stage's, and each stage's under "stages[i].".
func sequenceMetrics(stages []Stage) map[string]float64 {
	m := make(map[string]float64)
	for i, st := range stages {
		prefix := fmt.Sprintf("stages[%d].", i)
		for k, v := range st.stageMetrics() {
			m[prefix+k] = v
			if i == len(stages)-1 {
				m[k] = v
			}
		}
	}
	return m
}

// stageMetrics are the figures of one stage.
func (st Stage) stageMetrics() map[string]float64 {
	m := map[string]float64{
		MetricOrigAccuracy: st.OrigAccuracy, MetricOrigLoss: st.OrigLoss,
		MetricFirstAccuracy: st.FirstAccuracy, MetricFirstLoss: st.FirstLoss,
	}
	for _, k := range []string{MetricTargetAccuracy, MetricTargetLoss, MetricIntruders, MetricTrainableParams, MetricTrainSeconds} {
		m[k] = st.Metrics[k]
	}
	return m
}
