package search

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os/exec"
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
// objective's), builds the algorithm and the early-stopping policy (by
// name, with algorithms.New and algorithms.NewStoppingPolicy), takes the
// objective (objective.builtin names one of builtins, which the caller
// hands in: package search knows none of its own) or makes the command
// objective, and fills Options (study, objectives, budget, workers). file
// names the config in errors. A config with neither objective.builtin nor
// objective.command leaves Objective nil: its study's trials are
// evaluated outside, through Ask and Tell, and Run refuses it
// (ErrNoObjective).
func (c *Config) Job(file string, builtins map[string]Builtin) (*Job, error) {
	j := &Job{Config: c}
	var b Builtin
	var program string // a command objective's, resolved
	if name := c.Objective.Builtin; name != "" {
		var ok bool
		if b, ok = builtins[name]; !ok {
			return nil, cfgErr(file, "objective.builtin", symbolic.ErrRange,
				"unknown built-in objective \""+name+"\" (known: "+strings.Join(BuiltinNames(builtins), ", ")+")")
		}
		j.Objective = b.Objective
	} else if len(c.Objective.Command) > 0 {
		argv := append([]string(nil), c.Objective.Command...)
		if len(argv) > 0 {
			argv[0] = commandPath(file, argv[0])
		}
		obj, err := CommandObjective(argv, c.Timeout())
		if err != nil {
			return nil, cfgErr(file, "objective.command", symbolic.ErrKind, err.Error())
		}
		j.Objective = obj
		program = argv[0]
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
	if c.Objective.Search != nil && c.Objective.Search.Kind() != symbolic.KindNull {
		obj, err := c.nestedObjective(file, builtins, j.Space, objectives)
		if err != nil {
			return nil, err
		}
		j.Objective = obj
	}
	constraints, err := c.constraints(file)
	if err != nil {
		return nil, err
	}
	algo, err := algorithms.New(c.Algorithm, uint64(c.Seed))
	if err != nil {
		return nil, inFile(file, err)
	}
	j.Algorithm = algo
	stop, err := algorithms.NewStoppingPolicy(c.EarlyStopping)
	if err != nil {
		return nil, inFile(file, err)
	}
	if stop != nil && b.Name != "" && !b.Reports {
		// The policy would never be asked: say so rather than ignore it.
		return nil, cfgErr(file, "early_stopping", symbolic.ErrRange,
			"built-in objective "+b.Name+" reports no intermediate steps, so no trial could be stopped early; remove early_stopping (or give name: none)")
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
		Constraints: constraints,

		HeartbeatInterval: c.HeartbeatInterval(),
		HeartbeatTimeout:  c.HeartbeatTimeout(),
		MaxAttempts:       c.MaxAttempts,
	}
	// A command that cannot run is bad input, found now rather than when
	// every trial has failed; the other errors of the config come first.
	if program != "" {
		if _, err := exec.LookPath(program); err != nil {
			given := c.Objective.Command[0]
			return nil, cfgErr(file, "objective.command[0]", symbolic.ErrRange, commandNotFound(given, filepath.Join(filepath.Dir(file), given), err))
		}
	}
	return j, nil
}

// ErrNoObjective: a job's config has neither objective.builtin nor
// objective.command, so no trial can be evaluated in this process; the
// study's trials are evaluated through Ask and Tell.
var ErrNoObjective = errors.New("search: the config has no objective (objective.builtin or objective.command): its trials are evaluated through ask and tell only")

// Run runs the job with its options, the store and progress given.
func (j *Job) Run(ctx context.Context, st Store, progress func(Progress)) (*Result, error) {
	if j.Objective == nil {
		return nil, fmt.Errorf("%w: study %q", ErrNoObjective, j.Options.Study)
	}
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

// commandPath resolves a command objective's program as the config file
// names it: a path with a slash (./eval.sh, bin/eval) relative to the
// config's directory, made absolute; a bare name (python3) is left to
// be looked up on PATH.
func commandPath(file, argv0 string) string {
	if !strings.ContainsRune(argv0, '/') || filepath.IsAbs(argv0) {
		return argv0
	}
	p := filepath.Join(filepath.Dir(file), argv0)
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	if !strings.ContainsRune(p, filepath.Separator) {
		p = "." + string(filepath.Separator) + p // never a PATH lookup
	}
	return p
}

// commandNotFound says why a command objective's program, given in the
// config and resolved (relative to the config's directory), cannot run.
func commandNotFound(given, resolved string, err error) string {
	switch {
	case !strings.ContainsRune(given, '/'):
		return fmt.Sprintf("command %q is not found on PATH", given)
	case errors.Is(err, fs.ErrNotExist) && filepath.IsAbs(given):
		return fmt.Sprintf("command %q: no such file", given)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("command %q: no file %s (a path with a slash is relative to the config's directory)", given, resolved)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Sprintf("command %q: %s is not executable (chmod +x it, or name its interpreter: [sh, %s])", given, resolved, given)
	}
	return fmt.Sprintf("command %q cannot run: %v", given, err)
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
