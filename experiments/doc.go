// Package experiments holds the trainer's built-in objectives and the
// example configs under experiments/configs. Reproductions of research
// results (goglove experiment NAME) will live here as they are written;
// none exists yet.
//
// The built-in objectives are the bridge between
// package search and package trainer (which never imports search):
// Builtins returns them for the command line's table, and
// trainer.classify (Classify) trains each trial's trainer.Classifier
// program, reporting its validation metrics after every epoch through a
// trainer.Reporter over the trial (NewReporter), so that they reach the
// store and an early-stopping policy can stop the trial. A search config
// names it with
//
//	objective: {builtin: trainer.classify, metrics: {val_accuracy: maximize}}
//
// (see configs/quickstart.yaml and configs/fashion-mlp.yaml).
//
// Files: classify.go (Builtins, Classify, Classifier, NewReporter).
// Sub-package searchbench measures the search algorithms on the
// black-box problems, the search loop's overhead and the stores, for
// goglove bench and for reports.
// Everything here is safe for concurrent use.
//
// Package experiments may import every other goglove package.
package experiments
