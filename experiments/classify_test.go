package experiments_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/experiments"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
)

func newRegistry(t testing.TB) *symbolic.Registry {
	t.Helper()
	r := symbolic.NewRegistry()
	if err := space.Register(r); err != nil {
		t.Fatal(err)
	}
	if err := trainer.Register(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// config is a search over small synthetic classifiers, fast enough for a
// test.
const config = `
study: classify-test
space:
  _type: trainer.Classifier
  data: {_type: trainer.Synthetic, train: 1000, validation: 300, test: 300, features: 16, classes: 4}
  model: {_type: trainer.MLP, hidden: !oneof [[8], [32]], activation: !oneof [relu, tanh]}
  optimizer: {_type: trainer.AdamW, lr: !float {min: 1.0e-3, max: 3.0e-2, scale: log}}
  epochs: 4
  batch: 50
algorithm: {name: random}
objective: {builtin: trainer.classify}
budget: {completed: 6}
workers: 2
seed: 1
`

// stopAt stops the odd-numbered trials when they report step n (the
// config's budget counts completed trials only, so stopping all would
// never end).
type stopAt int

func (s stopAt) ShouldStop(trial, step int, _ float64) bool { return trial%2 == 1 && step >= int(s) }
func (stopAt) Finish(int, bool)                             {}

func TestClassify(t *testing.T) {
	for _, tt := range []struct {
		name   string
		stop   search.StoppingPolicy
		epochs int // of the odd-numbered trials
		trials int
	}{
		{"to the end", nil, 4, 6},
		{"stopped early", stopAt(2), 2, 11},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := search.ParseConfig(newRegistry(t), "c.yaml", []byte(config))
			if err != nil {
				t.Fatal(err)
			}
			job, err := cfg.Job("c.yaml", experiments.Builtins())
			if err != nil {
				t.Fatal(err)
			}
			// Without objective.metrics, the builtin's primary metric alone.
			if got := job.Options.Objectives; len(got) != 1 || got[0] != (search.Metric{Name: "val_accuracy", Direction: search.Maximize}) {
				t.Fatalf("objectives %v", got)
			}
			job.Options.Stopping = tt.stop
			st := search.NewMemStore()
			res, err := job.Run(context.Background(), st, nil)
			if err != nil {
				t.Fatal(err)
			}
			trials, err := st.Trials(context.Background(), res.Study)
			if err != nil {
				t.Fatal(err)
			}
			if len(trials) != tt.trials || res.Completed != 6 {
				t.Fatalf("%d trials, %d completed; want %d and 6", len(trials), res.Completed, tt.trials)
			}
			for _, tr := range trials {
				want, epochs, stopped := search.Completed, 4, 0.0
				if tr.Number%2 == 1 {
					epochs = tt.epochs
					if tt.stop != nil {
						want, stopped = search.EarlyStopped, 1
					}
				}
				if tr.State != want || len(tr.Steps) != epochs || tr.Metrics["epochs"] != float64(epochs) {
					t.Errorf("trial %d: state %v, %d steps, metrics %v (%s); want %v, %d epochs", tr.Number, tr.State, len(tr.Steps), tr.Metrics, tr.Error, want, epochs)
					continue
				}
				for i, s := range tr.Steps {
					if s.Step != i+1 || !(s.Metrics["val_accuracy"] > 0) || !(s.Metrics["train_loss"] > 0) {
						t.Errorf("trial %d step %d: %+v", tr.Number, i, s)
					}
				}
				if tr.Metrics["test_accuracy"] <= 0 || tr.Metrics["params"] <= 0 || tr.Metrics["stopped_early"] != stopped {
					t.Errorf("trial %d metrics %v", tr.Number, tr.Metrics)
				}
			}
			// Four classes: chance is 0.25.
			if res.Best == nil || res.Best.Metrics["val_accuracy"] < 0.5 {
				t.Errorf("best %+v", res.Best)
			}
		})
	}
}

func TestClassifyBadProgram(t *testing.T) {
	for name, src := range map[string]string{
		"not a classifier": "_type: trainer.MLP\nhidden: [4]\n",
		"plain dict":       "data: {_type: trainer.Synthetic}\n",
	} {
		t.Run(name, func(t *testing.T) {
			v, err := newRegistry(t).DecodeYAML([]byte(src), nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := experiments.Classifier(v); err == nil || !strings.Contains(err.Error(), "want a trainer.Classifier program") {
				t.Errorf("error %v", err)
			}
		})
	}
}

// The built-in objective trainer.classify trains each trial's program and
// reports its validation accuracy after every epoch.
func ExampleClassify() {
	r := symbolic.NewRegistry()
	if err := space.Register(r); err != nil {
		panic(err)
	}
	if err := trainer.Register(r); err != nil {
		panic(err)
	}
	cfg, err := search.ParseConfig(r, "example.yaml", []byte(config))
	if err != nil {
		panic(err)
	}
	job, err := cfg.Job("example.yaml", experiments.Builtins())
	if err != nil {
		panic(err)
	}
	res, err := job.Run(context.Background(), search.NewMemStore(), nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("completed:", res.Completed)
	fmt.Println("best val_accuracy above 0.6:", res.Best.Metrics["val_accuracy"] > 0.6)
	// Output:
	// completed: 6
	// best val_accuracy above 0.6: true
}
