package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// checkNested validates what can be told of a nested config before any
// outer program exists: the inner search is a mapping, alone as the
// objective, the reduction is known, and !outer stands only inside it.
func (c *Config) checkNested(filename string) error {
	for key, v := range map[string]symbolic.Value{"space": c.Space, "algorithm": c.Algorithm, "early_stopping": c.EarlyStopping,
		"constraints": c.Constraints, "objective.metrics": c.Objective.Metrics} {
		if v != nil && hasOuterRef(v) {
			return cfgError(filename, key, "!outer stands only in objective.search, the inner search (it names a value of the outer program)")
		}
	}
	if c.Objective.Reduce != "" && !slices.Contains(Reductions, Reduction(c.Objective.Reduce)) {
		return rangeError(filename, "objective.reduce", fmt.Sprintf("want best, mean or median, got %q", c.Objective.Reduce))
	}
	if c.Objective.Search == nil || c.Objective.Search.Kind() == symbolic.KindNull {
		if c.Objective.Reduce != "" {
			return cfgError(filename, "objective.reduce", "reduces an inner search's metrics: give objective.search too, or remove it")
		}
		if len(c.Objective.Seeds) > 0 {
			return cfgError(filename, "objective.seeds", "seeds an inner search: give objective.search too, or remove it")
		}
		return nil
	}
	if n := len(c.Objective.Seeds); n > MaxInnerSeeds {
		return rangeError(filename, "objective.seeds", fmt.Sprintf("%d seeds, more than the limit of %d", n, MaxInnerSeeds))
	}
	for i, seed := range c.Objective.Seeds {
		if slices.Contains(c.Objective.Seeds[:i], seed) {
			return rangeError(filename, fmt.Sprintf("objective.seeds[%d]", i), fmt.Sprintf("the seed %d is given twice", seed))
		}
	}
	if _, ok := c.Objective.Search.(*symbolic.Dict); !ok {
		return cfgError(filename, "objective.search", "want an inner search config (a mapping with study, space, objective, budget…), got "+c.Objective.Search.Kind().String())
	}
	if c.Objective.Builtin != "" || len(c.Objective.Command) > 0 {
		return cfgError(filename, "objective", "give search, builtin or command, not two of them")
	}
	if _, err := findOuterRefs(c.Objective.Search, innerSearchPath); err != nil {
		return prefixed(filename, "objective.search", err)
	}
	return nil
}

// nestedObjective returns the objective of a config whose objective is
// an inner search, after checking the inner config against programs of
// the outer space s drawn with a fixed seed (as checkBuiltinSpace does):
// every reference must name a value of the outer program, and the
// resolved inner config must make a job that reports the outer metrics.
func (c *Config) nestedObjective(file string, builtins map[string]Builtin, s *space.Space, outer []Metric) (Objective[symbolic.Value], error) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range checkPrograms {
		d := s.Spec().Random(rng)
		prog, err := s.Decode(d)
		if err != nil {
			return nil, cfgErr(file, "space", symbolic.ErrKind, "a program of the space does not decode: "+err.Error())
		}
		ij, err := c.innerJob(file, builtins, prog, c.firstSeed())
		if err != nil {
			return nil, fmt.Errorf("%w (with the outer program of DNA %s)", err, s.Spec().Format(d))
		}
		if err := innerReports(file, builtins, ij, outer); err != nil {
			return nil, err
		}
	}
	reduce := Reduction(c.Objective.Reduce)
	return NestAll(func(ctx context.Context, t *Trial[symbolic.Value]) ([]*InnerSearch[symbolic.Value], error) {
		seeds := []*int64{nil}
		if len(c.Objective.Seeds) > 0 {
			seeds = nil
			for i := range c.Objective.Seeds {
				seeds = append(seeds, &c.Objective.Seeds[i])
			}
		}
		var out []*InnerSearch[symbolic.Value]
		for _, seed := range seeds {
			ij, err := c.innerJob(file, builtins, t.Program, seed)
			if err != nil {
				return nil, err
			}
			o := ij.Options
			out = append(out, &InnerSearch[symbolic.Value]{Name: ij.Config.Study, Space: Searchable[symbolic.Value](ij.Space),
				Algorithm: ij.Algorithm, Objective: ij.Objective, Options: &o, Reduce: reduce})
		}
		return out, nil
	}), nil
}

// MaxInnerSeeds is the most objective.seeds a nested config may give.
const MaxInnerSeeds = 64

// firstSeed returns the first of objective.seeds, or nil for none.
func (c *Config) firstSeed() *int64 {
	if len(c.Objective.Seeds) == 0 {
		return nil
	}
	return &c.Objective.Seeds[0]
}

// innerJob resolves the inner config for an outer program and makes its
// job; errors carry the inner key paths under objective.search. A seed,
// if not nil, replaces the inner config's, and its study is named
// STUDY-seed-S.
func (c *Config) innerJob(file string, builtins map[string]Builtin, outer symbolic.Value, seed *int64) (*Job, error) {
	resolved, err := resolveOuter(c.Objective.Search, outer)
	if err != nil {
		return nil, prefixed(file, "objective.search", err)
	}
	if d, ok := resolved.(*symbolic.Dict); ok && seed != nil {
		d.Set("seed", symbolic.Int(*seed))
		if name, ok := d.Get("study"); ok {
			if s, ok := name.(symbolic.String); ok {
				d.Set("study", symbolic.String(fmt.Sprintf("%s-seed-%d", s, *seed)))
			}
		}
	}
	reg := c.reg
	if reg == nil {
		return nil, errors.New("search: the config was not parsed by ParseConfig or LoadConfig, so its inner search cannot be")
	}
	icfg, err := parseConfigTree(reg, file, resolved)
	if err != nil {
		return nil, prefixed(file, "objective.search", err)
	}
	ij, err := icfg.Job(file, builtins)
	if err != nil {
		return nil, prefixed(file, "objective.search", err)
	}
	if ij.Objective == nil {
		return nil, cfgErr(file, "objective.search.objective", symbolic.ErrRequired, "the inner search needs an objective: builtin, command or search")
	}
	return ij, nil
}

// innerReports checks that the inner search reports every outer metric,
// when it can tell: an inner built-in objective lists what it reports.
func innerReports(file string, builtins map[string]Builtin, ij *Job, outer []Metric) error {
	name := ij.Config.Objective.Builtin
	if name == "" {
		return nil
	}
	reported := append(slices.Clone(builtins[name].Metrics), ij.Options.Objectives...)
	for _, m := range outer {
		if m.Name != InnerTrialMetric && !hasMetric(reported, m.Name) {
			return cfgErr(file, "objective.metrics."+m.Name, symbolic.ErrRange,
				"the inner search's built-in objective "+name+" does not report it (it reports "+metricNames(builtins[name].Metrics)+")")
		}
	}
	return nil
}

// constraints reads the constraints section: {metric: {max: x, min: y}}.
func (c *Config) constraints(file string) ([]Constraint, error) {
	if c.Constraints == nil || c.Constraints.Kind() == symbolic.KindNull {
		return nil, nil
	}
	d, ok := c.Constraints.(*symbolic.Dict)
	if !ok {
		return nil, cfgErr(file, "constraints", symbolic.ErrKind, "want {metric: {max: x}} or {metric: {min: x}}, got "+c.Constraints.Kind().String())
	}
	var out []Constraint
	for name, v := range d.All() {
		at := "constraints." + name
		if err := CheckMetricName(name); err != nil {
			return nil, cfgErr(file, "constraints", symbolic.ErrRange, err.Error())
		}
		b, ok := v.(*symbolic.Dict)
		if !ok || b.Len() == 0 {
			return nil, cfgErr(file, at, symbolic.ErrKind, "want {max: x} or {min: x} (or both), got "+v.String())
		}
		for k, bv := range b.All() {
			if k != "max" && k != "min" {
				return nil, cfgErr(file, at+"."+k, symbolic.ErrUnknownField, "want max or min")
			}
			var x float64
			switch n := bv.(type) {
			case symbolic.Int:
				x = float64(n)
			case symbolic.Float:
				x = float64(n)
			default:
				return nil, cfgErr(file, at+"."+k, symbolic.ErrKind, "want a number, got "+bv.String())
			}
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, cfgErr(file, at+"."+k, symbolic.ErrRange, "want a finite number, got "+bv.String())
			}
			out = append(out, Constraint{Metric: name, Bound: x, Lower: k == "min"})
		}
	}
	return out, nil
}

// prefixed puts key in front of the key path of a config error, and
// names the file.
func prefixed(file, key string, err error) error {
	var se *symbolic.Error
	if errors.As(err, &se) {
		c := *se
		if c.File == "" {
			c.File = file
		}
		pre, _ := symbolic.ParsePath(key)
		c.Path = symbolic.Path(append(pre.Steps(), se.Path.Steps()...)...)
		return &c
	}
	return fmt.Errorf("%s: %s: %w", file, key, err)
}
