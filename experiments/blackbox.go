package experiments

import (
	"context"

	"github.com/c2602f9e/goglove/algorithms/problems"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
)

// BlackBoxMetrics are the metrics every black-box builtin reports, the
// default first: value, the function's value at the program's point, and
// regret, value minus the function's known minimum; both to minimize.
var BlackBoxMetrics = []search.Metric{
	{Name: "value", Direction: search.Minimize},
	{Name: "regret", Direction: search.Minimize},
}

// BlackBox returns the built-in objectives over the standard black-box
// problems of package problems (branin, hartmann6, rosenbrock10,
// ackley10, ackley10asym), by the problem's name. Each has the problem's
// usual box as its space, evaluates a program (a list of floats, the
// point) with the problem's function, reporting BlackBoxMetrics, and
// refuses at load time a config's space whose programs are not points of
// the problem (Builtin.Check). They report no intermediate steps.
//
// Package problems sits in algorithms, which never imports search; this
// is the adapter between the two.
func BlackBox() map[string]search.Builtin {
	out := map[string]search.Builtin{}
	for _, p := range problems.All() {
		out[p.Name] = blackBox(p)
	}
	return out
}

func blackBox(p *problems.Problem) search.Builtin {
	return search.Builtin{
		Name:    p.Name,
		Doc:     "the " + p.Name + " benchmark function, over its usual box; reports value and regret",
		Space:   p.Space,
		Metrics: append([]search.Metric(nil), BlackBoxMetrics...),
		Objective: func(ctx context.Context, t *search.Trial[symbolic.Value]) (search.Metrics, error) {
			x, err := p.Vector(t.Program)
			if err != nil {
				return nil, err
			}
			v := p.Func(x)
			return search.Metrics{"value": v, "regret": p.Regret(v)}, nil
		},
		Check: func(program symbolic.Value) error {
			_, err := p.Vector(program)
			return err
		},
	}
}
