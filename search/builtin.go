package search

import (
	"context"
	"sort"

	"github.com/c2602f9e/goglove/algorithms/problems"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// Builtin is an objective a config can name with objective.builtin.
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

// Builtins returns the built-in objectives of this package, by name: the
// standard black-box problems of package problems (branin, hartmann6,
// rosenbrock10, ackley10, ackley10asym), each reporting "value" (to
// minimize) and "regret" (value minus the known optimum). Other packages
// (the trainer) add their own where the command line builds its table.
func Builtins() map[string]Builtin {
	out := map[string]Builtin{}
	for _, p := range problems.All() {
		out[p.Name] = Builtin{
			Name:    p.Name,
			Doc:     "the " + p.Name + " benchmark function, over its usual box; reports value and regret",
			Space:   p.Space,
			Metrics: []Metric{{Name: "value", Direction: Minimize}, {Name: "regret", Direction: Minimize}},
			Objective: func(ctx context.Context, t *Trial[symbolic.Value]) (Metrics, error) {
				x, err := p.Vector(t.Program)
				if err != nil {
					return nil, err
				}
				v := p.Func(x)
				return Metrics{"value": v, "regret": p.Regret(v)}, nil
			},
			Check: func(program symbolic.Value) error {
				_, err := p.Vector(program)
				return err
			},
		}
	}
	return out
}

// BuiltinNames lists the names in a table of builtins, sorted.
func BuiltinNames(b map[string]Builtin) []string {
	names := make([]string, 0, len(b))
	for n := range b {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
