package search

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// Job is a search config resolved into what Run needs.
type Job struct {
	Config    *Config
	Space     *space.Space
	Algorithm algorithms.Algorithm
	Objective Objective[symbolic.Value]
	Options   Options
}

// Job resolves the config: it compiles the space (or takes the built-in
// objective's), builds the algorithm, the early-stopping policy and the
// objective, and fills Options (study, objectives, budget, workers). file
// names the config in errors.
func (c *Config) Job(file string, builtins map[string]Builtin) (*Job, error) {
	j := &Job{Config: c}
	var b Builtin
	if name := c.Objective.Builtin; name != "" {
		var ok bool
		if b, ok = builtins[name]; !ok {
			return nil, cfgErr(file, "objective.builtin", symbolic.ErrRange,
				"unknown built-in objective \""+name+"\" (known: "+strings.Join(BuiltinNames(builtins), ", ")+")")
		}
		j.Objective = b.Objective
	} else {
		argv := append([]string(nil), c.Objective.Command...)
		if len(argv) > 0 && strings.Contains(argv[0], "/") && !filepath.IsAbs(argv[0]) {
			// A relative program path is relative to the config, as space_file is.
			argv[0] = filepath.Join(filepath.Dir(file), argv[0])
		}
		obj, err := CommandObjective(argv, c.Timeout())
		if err != nil {
			return nil, cfgErr(file, "objective.command", symbolic.ErrKind, err.Error())
		}
		j.Objective = obj
	}
	// Metrics: the config's, or the builtin's primary one (a builtin lists
	// every metric it reports; a config names those it optimizes).
	var objectives []Metric
	if len(b.Metrics) > 0 {
		objectives = b.Metrics[:1]
	}
	if c.Objective.Metrics != nil && c.Objective.Metrics.Kind() != symbolic.KindNull {
		var err error
		if objectives, err = c.Objectives(); err != nil {
			return nil, inFile(file, err)
		}
		if b.Name != "" {
			for i, o := range objectives {
				if !hasMetric(b.Metrics, o.Name) {
					return nil, cfgErr(file, "objective.metrics."+o.Name, symbolic.ErrRange,
						"built-in objective "+b.Name+" does not report it (it reports "+metricNames(b.Metrics)+")")
				}
				_ = i
			}
		}
	}
	// Space: the config's, or the builtin's.
	switch {
	case c.Space != nil && c.Space.Kind() != symbolic.KindNull:
		s, err := space.New(c.Space)
		if err != nil {
			return nil, underFileSection(file, "space", err)
		}
		if err := checkBuiltinSpace(b, s); err != nil {
			return nil, cfgErr(file, "space", symbolic.ErrKind, err.Error())
		}
		j.Space = s
	case b.Space != nil:
		j.Space = b.Space()
	default:
		return nil, cfgErr(file, "space", symbolic.ErrRequired, "missing: give space or space_file")
	}
	algo, err := NewAlgorithm(c.Algorithm, uint64(c.Seed))
	if err != nil {
		return nil, inFile(file, err)
	}
	j.Algorithm = algo
	stop, err := NewStoppingPolicy(c.EarlyStopping)
	if err != nil {
		return nil, inFile(file, err)
	}
	j.Options = Options{
		Config:      c.tree,
		Study:       c.Study,
		Objectives:  objectives,
		Trials:      c.Budget.Trials,
		Completed:   c.Budget.Completed,
		Duration:    time.Duration(c.Budget.Seconds * float64(time.Second)),
		Workers:     c.Workers,
		Stopping:    stop,
		MaxFailures: c.MaxFailures,

		HeartbeatInterval: c.HeartbeatInterval(),
		HeartbeatTimeout:  c.HeartbeatTimeout(),
		MaxAttempts:       c.MaxAttempts,
	}
	return j, nil
}

// Run runs the job with its options, the store and progress given.
func (j *Job) Run(ctx context.Context, st Store, progress func(Progress)) (*Result, error) {
	o := j.Options
	o.Store, o.Progress = st, progress
	return Run(ctx, Searchable[symbolic.Value](j.Space), j.Algorithm, j.Objective, &o)
}

// checkBuiltinSpace hands programs of s, drawn with a fixed seed, to
// b.Check, and says why the builtin cannot evaluate the first it refuses.
func checkBuiltinSpace(b Builtin, s *space.Space) error {
	if b.Check == nil {
		return nil
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range checkPrograms {
		prog, err := s.Decode(s.Spec().Random(rng))
		if err != nil {
			return fmt.Errorf("a program of the space does not decode: %w", err)
		}
		if err := b.Check(prog); err != nil {
			return fmt.Errorf("not a space of built-in objective %s: %w", b.Name, err)
		}
	}
	return nil
}

func hasMetric(ms []Metric, name string) bool {
	for _, m := range ms {
		if m.Name == name {
			return true
		}
	}
	return false
}

func metricNames(ms []Metric) string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name
	}
	return strings.Join(names, ", ")
}

func cfgErr(file, path string, sentinel error, msg string) error {
	p, _ := symbolic.ParsePath(path)
	return &symbolic.Error{File: file, Path: p, Msg: msg, Err: sentinel}
}

// underFileSection puts a config key in front of an error from compiling
// part of the config, and names the file.
func underFileSection(file, key string, err error) error {
	var se *symbolic.Error
	if errors.As(err, &se) {
		c := *se
		if c.File == "" {
			c.File = file
		}
		if !strings.HasPrefix(c.Path.String(), key) {
			c.Path = symbolic.Path(append([]symbolic.Step{symbolic.Key(key)}, se.Path.Steps()...)...)
		}
		return &c
	}
	var sp *space.Error
	if errors.As(err, &sp) {
		c := *sp
		c.Path = symbolic.Path(append([]symbolic.Step{symbolic.Key(key)}, sp.Path.Steps()...)...)
		return &symbolic.Error{File: file, Path: c.Path, Msg: c.Msg, Err: c.Err}
	}
	return err
}
