package trainer

import (
	"context"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer/cache"
)

// TestFineTuneSequence: a sequence of two stages reports each stage's
// figures under stages[i]. and the last's at the top; its first stage's
// first-task figures are its own; its last stage is the nested FineTune
// of Stage(1), and its trained model the last stage's.
func TestFineTuneSequenceProgram(t *testing.T) {
	ctx := context.Background()
	other := Synthetic{Train: 800, Validation: 0, Test: 400, Features: 16, Classes: 4, Clusters: 2, Noise: 0.3, Seed: 5}
	s := FineTuneSequence{
		Base: ftBase(), Tasks: []Dataset{ftTask, other}, Head: "new",
		Method: LoRA{Rank: 2, Alpha: 4, Bias: true}, Optimizer: AdamW{LR: 3e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
		Epochs: 2, Batch: 64,
	}
	var seen []int
	stages, err := s.Stages(ctx, nil, func(i int, _ Stage) { seen = append(seen, i) })
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) != 2 || len(seen) != 2 || seen[1] != 1 {
		t.Fatalf("%d stages, told %v", len(stages), seen)
	}
	if stages[0].FirstAccuracy != stages[0].Metrics[MetricTargetAccuracy] || stages[0].OrigAccuracy != stages[0].Metrics[MetricOrigAccuracy] {
		t.Errorf("stage 0: first %v, orig %v; its own figures %v", stages[0].FirstAccuracy, stages[0].OrigAccuracy, stages[0].Metrics)
	}
	m, err := s.Run(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{MetricTargetAccuracy, MetricOrigAccuracy, MetricFirstAccuracy, MetricIntruders} {
		if m[k] != m["stages[1]."+k] {
			t.Errorf("%s: %v at the top, %v for the last stage", k, m[k], m["stages[1]."+k])
		}
		if _, ok := m["stages[0]."+k]; !ok {
			t.Errorf("no stages[0].%s", k)
		}
	}
	nested, err := s.Stage(1).Run(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if nested[MetricTargetAccuracy] != m[MetricTargetAccuracy] {
		t.Errorf("the nested FineTune of stage 1: target %v, the sequence's %v", nested[MetricTargetAccuracy], m[MetricTargetAccuracy])
	}
	tr, err := s.TrainedModel(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Metrics[MetricFirstAccuracy] != m[MetricFirstAccuracy] || tr.Program.Data != Dataset(other) {
		t.Errorf("trained model: metrics %v, data %v", tr.Metrics, tr.Program.Data)
	}
	// A stage's error names the stage.
	s.Tasks = append(s.Tasks, Synthetic{Train: 100, Test: 100, Features: 8, Classes: 4, Clusters: 1, Noise: 0.3})
	if _, err := s.Run(ctx, nil); err == nil || !strings.Contains(err.Error(), "task: 8 features, the base takes 16 (in the stage of tasks[2])") {
		t.Errorf("a bad third task: %v", err)
	}
	s.Tasks = nil
	if _, err := s.Run(ctx, nil); err == nil || !strings.Contains(err.Error(), "tasks: want at least one task") {
		t.Errorf("no tasks: %v", err)
	}
}

// With a cache a sequence stores each stage: run again, it trains
// nothing and gives the same figures.
func TestFineTuneSequenceCache(t *testing.T) {
	c, err := cache.Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	env := &Env{Cache: c, Notice: func(m string) { t.Log(m) }}
	s := FineTuneSequence{
		Base: ftBase(), Tasks: []Dataset{ftTask, Synthetic{Train: 800, Validation: 0, Test: 400, Features: 16, Classes: 4, Clusters: 2, Noise: 0.3, Seed: 5}},
		Head: "new", Method: Full{}, Optimizer: AdamW{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}, Epochs: 2, Batch: 64,
	}
	ctx := context.Background()
	first, err := s.Run(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	without, err := s.Run(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	stages, err := s.Stages(ctx, env, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, st := range stages {
		if st.Metrics[MetricCached] != 1 {
			t.Errorf("stage %d was not taken from the cache the second time", i)
		}
	}
	for _, k := range []string{MetricTargetAccuracy, MetricOrigAccuracy, MetricFirstAccuracy, "stages[0].first_accuracy", "stages[1].orig_loss"} {
		if first[k] != without[k] || sequenceMetrics(stages)[k] != first[k] {
			t.Errorf("%s: %v with the cache, %v without, %v from it", k, first[k], without[k], sequenceMetrics(stages)[k])
		}
	}
}
