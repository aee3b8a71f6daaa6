package experiments_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/c2602f9e/goglove/algorithms/problems"
	"github.com/c2602f9e/goglove/experiments"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
)

func TestBuiltinsNames(t *testing.T) {
	want := []string{"ackley10", "ackley10asym", "branin", "hardware.classify", "hartmann6", "rosenbrock10", "trainer.classify", "trainer.run"}
	b := experiments.Builtins()
	if got := search.BuiltinNames(b); !reflect.DeepEqual(got, want) {
		t.Fatalf("builtins %v, want %v", got, want)
	}
	for name, o := range b {
		if o.Name != name || o.Doc == "" || len(o.Metrics) == 0 || o.Objective == nil || o.Check == nil {
			t.Errorf("builtin %q: %+v", name, o)
		}
	}
	// Each call returns a table of its own.
	delete(b, "branin")
	if _, ok := experiments.Builtins()["branin"]; !ok {
		t.Fatal("deleting from one table changed the next")
	}
}

// Each black-box builtin evaluates its problem's function at the
// program's point over the problem's own space, reporting value and
// regret.
func TestBlackBox(t *testing.T) {
	for _, p := range problems.All() {
		t.Run(p.Name, func(t *testing.T) {
			src := "study: bb-" + p.Name + "\nobjective: {builtin: " + p.Name + ", metrics: {regret: minimize}}\nbudget: {trials: 6}\nseed: 3\n"
			cfg, err := search.ParseConfig(newRegistry(t), "bb.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			job, err := cfg.Job("bb.yaml", experiments.Builtins())
			if err != nil {
				t.Fatal(err)
			}
			if got := len(job.Space.Spec().All()); got != p.Dim() {
				t.Fatalf("space of %d decisions, want the problem's %d", got, p.Dim())
			}
			st := search.NewMemStore()
			res, err := job.Run(context.Background(), st, nil)
			if err != nil {
				t.Fatal(err)
			}
			trials, err := st.Trials(context.Background(), res.Study)
			if err != nil {
				t.Fatal(err)
			}
			if len(trials) != 6 || res.Completed != 6 {
				t.Fatalf("%d trials, %d completed; want 6", len(trials), res.Completed)
			}
			for _, tr := range trials {
				x, err := p.Vector(tr.Program)
				if err != nil {
					t.Fatalf("trial %d: %v", tr.Number, err)
				}
				v := p.Func(x)
				if tr.Metrics["value"] != v || tr.Metrics["regret"] != v-p.Optimum || len(tr.Metrics) != 2 {
					t.Errorf("trial %d at %v: metrics %v, want value %g and regret %g", tr.Number, x, tr.Metrics, v, v-p.Optimum)
				}
				if tr.Metrics["regret"] < -1e-9*math.Max(1, math.Abs(p.Optimum)) {
					t.Errorf("trial %d: regret %g below the known optimum", tr.Number, tr.Metrics["regret"])
				}
			}
		})
	}
}

func TestBlackBoxRefuses(t *testing.T) {
	for _, tt := range []struct{ name, src, msg string }{
		{"another space", "study: s\nobjective: {builtin: branin}\nspace: {y: !float {min: 0, max: 1}}\n",
			"symbolic: c.yaml: space: not a space of built-in objective branin: problems: branin: no key x: not a point of the problem"},
		{"a metric it does not report", "study: s\nobjective: {builtin: hartmann6, metrics: {loss: minimize}}\n",
			"symbolic: c.yaml: objective.metrics.loss: built-in objective hartmann6 does not report it (it reports value, regret)"},
		{"early stopping", "study: s\nobjective: {builtin: ackley10}\nearly_stopping: {name: median}\n",
			"symbolic: c.yaml: early_stopping: built-in objective ackley10 reports no intermediate steps, so no trial could be stopped early; remove early_stopping (or give name: none)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := search.ParseConfig(newRegistry(t), "c.yaml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			_, err = cfg.Job("c.yaml", experiments.Builtins())
			var se *symbolic.Error
			if err == nil || err.Error() != tt.msg || !errors.As(err, &se) {
				t.Fatalf("error %v (%T), want %s", err, err, tt.msg)
			}
		})
	}
}
