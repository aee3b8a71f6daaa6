package search

import (
	"sort"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// Builtin is an objective a config can name with objective.builtin.
// Package search defines the type and holds no table of its own: the
// caller hands Config.Job the table a config may name from (the command
// line's comes from experiments.Builtins: the black-box problems and the
// trainer's objectives).
type Builtin struct {
	Name string
	Doc  string
	// Space, if not nil, is the space used when the config gives none.
	Space func() *space.Space
	// Metrics are the metrics the objective reports; a config's
	// objective.metrics must name one of them first.
	Metrics []Metric
	// Objective evaluates a program.
	Objective Objective[symbolic.Value]
	// Reports says that Objective reports intermediate steps
	// (Trial.Report), which early stopping needs: Config.Job refuses a
	// config that combines early_stopping with a builtin that does not.
	Reports bool
	// Check, if not nil, reports whether the objective can evaluate a
	// program. When a config gives a space of its own, Config.Job calls
	// it on a few programs of that space (the same ones each time), so
	// that a space that is not the objective's (branin given a list of
	// three floats, trainer.classify given a space of plain mappings) is
	// refused at load time instead of failing every trial.
	Check func(program symbolic.Value) error
}

// checkPrograms is how many programs of a config's space Config.Job
// hands to Builtin.Check.
const checkPrograms = 8

// BuiltinNames lists the names in a table of builtins, sorted.
func BuiltinNames(b map[string]Builtin) []string {
	names := make([]string, 0, len(b))
	for n := range b {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
