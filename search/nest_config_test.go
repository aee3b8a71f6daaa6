package search

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// nestedConfig is an outer search over a scale and a bound whose
// objective is an inner search over x, the inner program taking the
// scale and its constraint the bound from the outer program.
const nestedConfig = `study: hw
space:
  hw: {scale: !oneof [1, 2, 3], bound: !oneof [10, 30]}
algorithm: {name: random}
seed: 4
objective:
  metrics: {loss: minimize, cost: minimize}
  search:
    study: arch
    space:
      x: !int {min: 0, max: 50}
      scale: !outer hw.scale
    algorithm: {name: random}
    seed: 9
    objective: {builtin: test.loss, metrics: {loss: minimize}}
    budget: {trials: 4}
    constraints: {cost: {max: !outer hw.bound}}
budget: {trials: 3}
`

func nestedRegistry(t testing.TB) *symbolic.Registry {
	t.Helper()
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		t.Fatal(err)
	}
	if err := Register(reg); err != nil {
		t.Fatal(err)
	}
	return reg
}

// lossOf is the inner objective: loss scale·|x−20|, cost x.
func lossOf(p symbolic.Value) Metrics {
	x, _ := symbolic.GetPath(p, "x")
	s, _ := symbolic.GetPath(p, "scale")
	xv, sv := float64(x.(symbolic.Int)), float64(s.(symbolic.Int))
	return Metrics{"loss": sv * math.Abs(xv-20), "cost": xv}
}

func nestedBuiltins() map[string]Builtin {
	return map[string]Builtin{"test.loss": {Name: "test.loss", Metrics: []Metric{{"loss", Minimize}, {"cost", Minimize}},
		Objective: func(ctx context.Context, t *Trial[symbolic.Value]) (Metrics, error) { return lossOf(t.Program), nil }}}
}

// studyRecords returns a study's trials as what must agree between two
// runs: number, state, DNA, metrics, error.
func studyRecords(t *testing.T, st Store, study string) []TrialRecord {
	t.Helper()
	trials, err := st.Trials(t.Context(), study)
	if err != nil {
		t.Fatal(err)
	}
	for i := range trials {
		trials[i] = TrialRecord{Number: trials[i].Number, State: trials[i].State, DNAText: trials[i].DNAText,
			Metrics: trials[i].Metrics, Error: trials[i].Error}
	}
	return trials
}

// TestNestedYAMLMatchesGo: the YAML form and the Go form (Nest with the
// same spaces, algorithms, budgets and constraint) record the same outer
// and inner studies, trial for trial.
func TestNestedYAMLMatchesGo(t *testing.T) {
	ctx := t.Context()
	reg := nestedRegistry(t)
	cfg, err := ParseConfig(reg, "hw.yaml", []byte(nestedConfig))
	if err != nil {
		t.Fatal(err)
	}
	job, err := cfg.Job("hw.yaml", nestedBuiltins())
	if err != nil {
		t.Fatal(err)
	}
	yamlStore := NewMemStore()
	if _, err := job.Run(ctx, yamlStore, nil); err != nil {
		t.Fatal(err)
	}

	// The Go form.
	outerSpace, err := space.New(mustYAML(t, reg, "hw: {scale: !oneof [1, 2, 3], bound: !oneof [10, 30]}"))
	if err != nil {
		t.Fatal(err)
	}
	outerAlgo, _ := algorithms.New(mustYAML(t, reg, "{name: random}"), 4)
	goStore := NewMemStore()
	inner := func(ctx context.Context, outer *Trial[symbolic.Value]) (*InnerSearch[symbolic.Value], error) {
		scale, _ := symbolic.GetPath(outer.Program, "hw.scale")
		bound, _ := symbolic.GetPath(outer.Program, "hw.bound")
		in := symbolic.NewDict(2)
		in.Set("x", mustYAML(t, reg, "!int {min: 0, max: 50}"))
		in.Set("scale", scale)
		sp, err := space.New(in)
		if err != nil {
			return nil, err
		}
		algo, _ := algorithms.New(mustYAML(t, reg, "{name: random}"), 9)
		return &InnerSearch[symbolic.Value]{Name: "arch", Space: Searchable[symbolic.Value](sp), Algorithm: algo,
			Objective: func(ctx context.Context, it *Trial[symbolic.Value]) (Metrics, error) { return lossOf(it.Program), nil },
			Options: &Options{Trials: 4, Objectives: []Metric{{"loss", Minimize}},
				Constraints: []Constraint{{Metric: "cost", Bound: float64(bound.(symbolic.Int))}}}}, nil
	}
	if _, err := Run(ctx, Searchable[symbolic.Value](outerSpace), outerAlgo, Nest(inner),
		&Options{Store: goStore, Study: "hw", Trials: 3, Objectives: []Metric{{"loss", Minimize}, {"cost", Minimize}}}); err != nil {
		t.Fatal(err)
	}

	studies := []string{"hw", "hw/trial-0/arch", "hw/trial-1/arch", "hw/trial-2/arch"}
	for _, s := range studies {
		y, g := studyRecords(t, yamlStore, s), studyRecords(t, goStore, s)
		if len(y) == 0 || len(y) != len(g) {
			t.Fatalf("study %s: %d trials from YAML, %d from Go", s, len(y), len(g))
		}
		for i := range y {
			if y[i].DNAText != g[i].DNAText || y[i].State != g[i].State || y[i].Error != g[i].Error || !metricsEqual(y[i].Metrics, g[i].Metrics) {
				t.Errorf("study %s, trial %d: YAML %+v, Go %+v", s, i, y[i], g[i])
			}
		}
	}
	all, _ := yamlStore.Studies(ctx)
	if len(all) != len(studies) {
		t.Errorf("the YAML form made %d studies, want %d", len(all), len(studies))
	}
	// The inner study keeps its config with the references resolved.
	info, _ := yamlStore.Study(ctx, "hw/trial-0/arch")
	if info.Config == nil || hasOuterRef(info.Config) {
		t.Errorf("the inner study keeps the config %v, want it resolved", info.Config)
	}
}

func metricsEqual(a, b Metrics) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func mustYAML(t testing.TB, reg *symbolic.Registry, src string) symbolic.Value {
	t.Helper()
	v, err := reg.DecodeYAML([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestNestedConfigErrors: a nested config is validated up front; each
// error is one line naming the file and the key path.
func TestNestedConfigErrors(t *testing.T) {
	reg := nestedRegistry(t)
	tests := []struct {
		name, from, to, want string
	}{
		{"a reference to nothing", "scale: !outer hw.scale", "scale: !outer hw.speed",
			"hw.yaml: objective.search.space.scale: !outer hw.speed: the outer program has no value there"},
		{"a reference outside the inner search", "hw: {scale:", "hw: {other: !outer hw.scale, scale:",
			"hw.yaml: space: !outer stands only in objective.search"},
		{"a reference inside a hyper-value", "x: !int {min: 0, max: 50}", "x: !oneof [!outer hw.scale, 3]",
			"hw.yaml: objective.search.space.x: !outer inside !oneof"},
		{"not a key path", "!outer hw.scale", "!outer 'hw..scale'", "hw.yaml:12:14: objective.search.space.scale: !outer hw..scale: not a key path"},
		{"an unknown reduction", "  search:\n", "  reduce: sum\n  search:\n", "hw.yaml: objective.reduce: want best, mean or median, got \"sum\""},
		{"a seed twice", "  search:\n", "  seeds: [1, 2, 1]\n  search:\n", "hw.yaml: objective.seeds[2]: the seed 1 is given twice"},
		{"a negative seed", "  search:\n", "  seeds: [-1]\n  search:\n", "hw.yaml: objective.seeds[0]"},
		{"the inner search and a builtin", "  search:\n", "  builtin: test.loss\n  search:\n", "hw.yaml: objective: give search, builtin or command, not two of them"},
		{"an inner error", "budget: {trials: 4}", "budget: {trials: -4}", "hw.yaml: objective.search.budget.trials"},
		{"an inner objective missing", "    objective: {builtin: test.loss, metrics: {loss: minimize}}\n", "",
			"hw.yaml: objective.search.objective.metrics: missing"},
		{"an outer metric the inner search does not report", "{loss: minimize, cost: minimize}", "{loss: minimize, size: minimize}",
			"hw.yaml: objective.metrics.size: the inner search's built-in objective test.loss does not report it"},
		{"a bad constraint", "{cost: {max: !outer hw.bound}}", "{cost: {most: 3}}", "hw.yaml: objective.search.constraints.cost.most: want max or min"},
		{"a constraint bound that is no number", "hw: {scale: !oneof [1, 2, 3], bound: !oneof [10, 30]}", "hw: {scale: !oneof [1, 2, 3], bound: !oneof [a, b]}",
			"hw.yaml: objective.search.constraints.cost.max: want a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(nestedConfig, tt.from, tt.to, 1)
			if src == nestedConfig {
				t.Fatalf("%q is not in the config", tt.from)
			}
			cfg, err := ParseConfig(reg, "hw.yaml", []byte(src))
			if err == nil {
				_, err = cfg.Job("hw.yaml", nestedBuiltins())
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q, want one line with %q", msg, tt.want)
			}
			var se *symbolic.Error
			if !errors.As(err, &se) || se.File != "hw.yaml" {
				t.Errorf("error %v names no file", err)
			}
		})
	}
}

// TestNestedConfigRoundTrip: a nested config kept in a study (with its
// !outer references) is decoded back to the same config, as a worker
// joining the study does.
func TestNestedConfigRoundTrip(t *testing.T) {
	reg := nestedRegistry(t)
	cfg, err := ParseConfig(reg, "hw.yaml", []byte(nestedConfig))
	if err != nil {
		t.Fatal(err)
	}
	back, err := ConfigFromStudy(reg, StudyInfo{Name: "hw", Config: cfg.Tree()})
	if err != nil {
		t.Fatal(err)
	}
	if !symbolic.Equal(back.Tree(), cfg.Tree()) {
		t.Errorf("the kept config decodes to %v, want %v", back.Tree(), cfg.Tree())
	}
	if _, err := back.Job("the study's config", nestedBuiltins()); err != nil {
		t.Errorf("the kept config makes no job: %v", err)
	}
}
