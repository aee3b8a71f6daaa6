package search

import (
	"context"

	"github.com/c2602f9e/goglove/algorithms/problems"
	"github.com/c2602f9e/goglove/symbolic"
)

// testBuiltins is the table of built-in objectives the tests of this
// package hand Config.Job: the black-box problems of package problems,
// reporting value and regret. Package search has no table of its own
// (the command line's comes from package experiments, which imports
// search and so cannot be imported here); this one is the tests' caller.
func testBuiltins() map[string]Builtin {
	out := map[string]Builtin{}
	for _, p := range problems.All() {
		out[p.Name] = Builtin{
			Name:    p.Name,
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
