package main

import (
	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/experiments"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
)

// newRegistry returns the registry every verb decodes files with. It is the
// one visible place where the CLI learns which symbolic types and YAML tags
// a file may name; there is no init() registration anywhere. Each package
// adds its own through one exported function, called here in order:
//
//	space.Register(r)   // hyper-value tags: !oneof, !manyof, !permutation, !float, !int
//	algorithms.Register(r) // the algorithms and stopping policies as types: {_type: algorithms.TPE, …}
//	search.Register(r)  // !outer KEYPATH, an inner search's reference to its outer trial's program
//	trainer.Register(r) // child-program types: trainer.Classifier, the models
//	                    // trainer.MLP and trainer.Sequential with its layer programs
//	                    // (trainer.Dense, trainer.ReLU, …, trainer.Residual), the
//	                    // optimizers and the data sets (see go doc ./trainer)
//
// Any other _type is an "unknown _type" error.
//
// A registration error means two packages claim the same name: a
// programmer error, so newRegistry panics (and run reports the panic as
// an internal error). Each call builds a new registry; verbs call it once
// per run.
func newRegistry() *symbolic.Registry {
	r := symbolic.NewRegistry()
	if err := space.Register(r); err != nil {
		panic("registering the space tags: " + err.Error())
	}
	if err := algorithms.Register(r); err != nil {
		panic("registering the algorithms: " + err.Error())
	}
	if err := search.Register(r); err != nil {
		panic("registering the search config tags: " + err.Error())
	}
	if err := trainer.Register(r); err != nil {
		panic("registering the trainer's types: " + err.Error())
	}
	return r
}

// newBuiltins returns the table of built-in objectives a search config can
// name with objective.builtin. Like newRegistry it is the one visible place
// where the CLI learns them, and they come by one road: package
// experiments, which holds them all (the black-box benchmark functions
// branin, hartmann6, rosenbrock10, ackley10 and ackley10asym, and the
// trainer's trainer.classify, which trains a trainer.Classifier program).
// Package search knows none of its own; Config.Job takes this table.
func newBuiltins() map[string]search.Builtin { return experiments.Builtins() }
