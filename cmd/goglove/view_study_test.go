package main

import (
	"path/filepath"
	"testing"
)

// viewConfig is the study the tests of plot, trials --csv, export,
// report and dashboard look at: classifiers trained in a fraction of a
// second each, with a conditional decision (momentum only with SGD), two
// objectives and steps reported every epoch.
const viewConfig = `study: view
space:
  _type: trainer.Classifier
  data: {_type: trainer.Synthetic, train: 600, validation: 200, test: 200, features: 8, classes: 3}
  model: {_type: trainer.MLP, hidden: !oneof [[4], [8], [16]], activation: !oneof [relu, tanh]}
  optimizer: !oneof
    - {_type: trainer.AdamW, lr: !float {min: 1.0e-3, max: 3.0e-2, scale: log}}
    - {_type: trainer.SGD, lr: 0.05, momentum: !oneof [0.0, 0.9]}
  epochs: 3
  batch: 50
  seed: 1
objective:
  builtin: trainer.classify
  metrics: {val_accuracy: maximize, params: minimize}
budget: {trials: 8}
seed: 3
`

// viewStudy runs the view study into a new SQLite store and returns its
// URL and the directory it is in.
func viewStudy(t *testing.T) (store, dir string) {
	t.Helper()
	dir = t.TempDir()
	cfg := writeTestFile(t, dir, "view.yaml", viewConfig)
	store = "sqlite://" + filepath.Join(dir, "view.db")
	if code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", store); code != 0 {
		t.Fatalf("search: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	return store, dir
}
