package main

import (
	"testing"
)

// ashaConfig is a search of tiny classifiers (a synthetic set, four
// epochs, each reported as a step) with ASHA stopping the weaker ones at
// rungs 1 and 2.
const ashaConfig = `study: asha
space:
  _type: trainer.Classifier
  data: {_type: trainer.Synthetic, train: 400, validation: 200, test: 200, features: 8, classes: 3}
  model: {_type: trainer.MLP, hidden: !oneof [[4], [16]], activation: !oneof [relu, tanh]}
  optimizer: {_type: trainer.AdamW, lr: !float {min: 1.0e-4, max: 3.0e-2, scale: log}}
  epochs: 4
  batch: 50
algorithm: {name: random}
objective: {builtin: trainer.classify, metrics: {val_accuracy: maximize}}
early_stopping: {name: asha, min_resource: 1, reduction_factor: 2}
workers: 2
seed: 5
`

// TestSearchBudgetWithEarlyStopping: with ASHA, budget.trials is the
// number of trials that ended, early-stopped ones included; a budget of
// completed trials runs on past the early-stopped ones.
func TestSearchBudgetWithEarlyStopping(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a few dozen tiny classifiers")
	}
	cfg := writeTemp(t, map[string]string{"c.yaml": ashaConfig}) + "/c.yaml"
	t.Run("trials", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", "mem://", "--trials", "12", "--json")
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		out := decodeSearchJSON(t, stdout, false)
		if ended := out.Completed + out.Failed + out.Skipped + out.Early; ended != 12 || out.Early == 0 || out.Failed != 0 {
			t.Errorf("%d completed, %d early-stopped, %d failed; want 12 trials in all, some stopped early, none failed", out.Completed, out.Early, out.Failed)
		}
		if out.StopReason != "the trial budget is spent" {
			t.Errorf("stop reason %q", out.StopReason)
		}
		t.Logf("budget 12 trials: %d completed, %d stopped early", out.Completed, out.Early)
	})
	t.Run("completed", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", "mem://", "--completed", "8", "--json")
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		out := decodeSearchJSON(t, stdout, false)
		if out.Completed != 8 || out.Early == 0 || out.StopReason != "the budget of completed trials is spent" {
			t.Errorf("%d completed, %d early-stopped (%s); want 8 completed, some stopped early and not counted", out.Completed, out.Early, out.StopReason)
		}
		t.Logf("budget 8 completed: %d completed, %d stopped early", out.Completed, out.Early)
	})
}
