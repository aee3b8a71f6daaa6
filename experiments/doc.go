// Package experiments holds the built-in objectives a search config can
// name and the example configs under experiments/configs. Reproductions
// of research results (goglove experiment NAME) will live here as they
// are written; none exists yet.
//
// Builtins is the one road by which built-in objectives reach a caller
// of search.Config.Job (package search holds none of its own): it
// returns them all, by name. They are the bridge between package search
// and the packages that never import it. The black-box problems of
// algorithms/problems (BlackBox: branin, hartmann6, rosenbrock10,
// ackley10, ackley10asym) report value and regret over the problem's
// usual box. trainer.classify (Classify) trains each trial's trainer.Classifier
// program, reporting its validation metrics after every epoch through a
// trainer.Reporter over the trial (NewReporter), so that they reach the
// store and an early-stopping policy can stop the trial. A search config
// names it with
//
//	objective: {builtin: trainer.classify, metrics: {val_accuracy: maximize}}
//
// (see configs/quickstart.yaml and configs/fashion-mlp.yaml).
//
// Files: builtins.go (Builtins), blackbox.go (BlackBox), classify.go
// (Classify, Classifier, NewReporter).
// Sub-package searchbench measures the search algorithms on the
// black-box problems, the search loop's overhead and the stores, for
// goglove bench and for reports.
// Everything here is safe for concurrent use.
//
// Package experiments may import every other goglove package but the
// command line (the test of internal/layering checks it).
package experiments
