package experiments

import "github.com/c2602f9e/goglove/search"

// Builtins returns every built-in objective a search config can name
// with objective.builtin, by name: the black-box problems (BlackBox:
// branin, hartmann6, rosenbrock10, ackley10, ackley10asym) and the
// trainer's objectives (trainer.classify, see Classify, and trainer.run,
// see Run; hardware.classify, see Hardware). It is the one
// road by which built-in objectives reach a caller of search.Config.Job;
// package search holds none of its own. Each call returns a new map.
//
// A name claimed twice is a programmer error and panics.
func Builtins() map[string]search.Builtin {
	out := BlackBox()
	for _, b := range []search.Builtin{Classify(), Run(), Hardware(HardwareLatency)} {
		if _, dup := out[b.Name]; dup {
			panic("experiments: built-in objective " + b.Name + " is defined twice")
		}
		out[b.Name] = b
	}
	return out
}
