package search

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/symbolic"
)

// Config is a search config, as written in YAML:
//
//	study: quickstart
//	space: {...}                  # inline, or space_file: other.yaml
//	algorithm: {name: evolution, population: 50, tournament: 10}
//	objective:
//	  metrics: {loss: minimize, size: minimize}   # the first is primary
//	  builtin: branin              # or command: [python3, eval.py]
//	  timeout: 60s                 # for a command
//	budget: {trials: 200, completed: 0, seconds: 0}   # 0: no limit
//	max_failures: 0               # 0: the default (see Options.MaxFailures), -1: none
//	workers: 2
//	early_stopping: {name: median}
//	seed: 0
//	heartbeat: {interval: 2s, timeout: 20s}   # workers' liveness
//	max_attempts: 3
//	constraints: {latency_us: {max: 500}}   # infeasible beyond: skipped
//
// An objective may be a search of its own, run for each trial (a nested
// search; see Nest): objective.search is an inner config, and !outer
// KEYPATH in it stands for the value at KEYPATH of the trial's program:
//
//	objective:
//	  metrics: {accuracy: maximize, latency_us: minimize}
//	  reduce: best                  # or mean, median
//	  seeds: [1, 2, 3]              # one inner search per seed, metrics averaged
//	  search:
//	    study: arch                 # the inner study: OUTER/trial-N/arch
//	    space: {model: …, quant: !outer quant}
//	    objective: {builtin: trainer.classify, metrics: {accuracy: maximize}}
//	    budget: {trials: 20}
//	    constraints: {latency_us: {max: !outer latency_budget_us}}
//
// Counts and durations are bounded (limits.go): workers by MaxWorkers,
// budget.trials by MaxTrials, heartbeats from MinHeartbeatInterval and
// MinHeartbeatTimeout to MaxHeartbeat, and the file by MaxConfigBytes.
type Config struct {
	Study         string          `sym:",required" doc:"the study's name in its store"`
	Space         symbolic.Value  `doc:"the search space, inline"`
	SpaceFile     string          `doc:"a file holding the search space, relative to the config"`
	Algorithm     symbolic.Value  `doc:"{name: …, options…}; random by default"`
	Objective     ObjectiveConfig `doc:"what to evaluate and which metrics to optimize"`
	Budget        BudgetConfig
	Workers       int             `min:"1" max:"1024" default:"1" doc:"trials evaluated in parallel (at most MaxWorkers)"`
	EarlyStopping symbolic.Value  `doc:"{name: median|asha|none, options…}"`
	Seed          int64           `min:"0" doc:"seed of the algorithm's random streams: trial n draws from a stream of (seed, n), so workers never draw alike and agree on each trial given the same results; one trial at a time reproduces a study (see package search)"`
	Heartbeat     HeartbeatConfig `doc:"how often workers show their trials are alive, and when a silent trial is taken over"`
	MaxAttempts   int             `min:"0" max:"100" doc:"how many times a trial is handed out when its workers stop, before it fails; 0 for 3"`
	MaxFailures   int             `min:"-1" doc:"the search stops once more of the study's trials than this have failed; 0 for the default (no limit with only budget.trials, else max(100, 10·budget.completed)), -1 for no limit"`

	Constraints symbolic.Value `doc:"bounds on metrics, {metric: {max: x}} or {min: x}: a trial that completes outside them is infeasible, recorded as skipped with its metrics (see search.Constraint)"`

	tree symbolic.Value     // the config as decoded, space resolved
	reg  *symbolic.Registry // what it was decoded with (for an inner search's config)
}

// ObjectiveConfig says what evaluates a program.
type ObjectiveConfig struct {
	Metrics symbolic.Value `doc:"a map from each metric to minimize or maximize, the first one primary"`
	Builtin string         `doc:"a built-in objective, by name"`
	Command []string       `doc:"an external command: the program as JSON on stdin, metrics as a JSON object on the last line of stdout"`
	Timeout string         `doc:"a Go duration such as 60s; how long a command may run"`
	Search  symbolic.Value `doc:"an inner search run for each trial, a search config of its own (its study names it under the trial: OUTER/trial-N/STUDY), whose values may be !outer KEYPATH, the trial's program's value there"`
	Reduce  string         `doc:"with search: how the trial's metrics are made from the inner study's: best (the default: its best trial's), mean or median over its completed trials"`
	Seeds   []int64        `min:"0" doc:"with search: run the inner search once per seed (its config's seed replaced, its study STUDY-seed-S), the trial's metrics the mean over them"`
}

// BudgetConfig bounds a search.
type BudgetConfig struct {
	Trials    int     `min:"0" doc:"trials that ended: completed, failed, early-stopped or skipped; 0 for no limit"`
	Completed int     `min:"0" doc:"completed trials only; 0 for no limit"`
	Seconds   float64 `min:"0" doc:"wall time; 0 for no limit"`
}

// HeartbeatConfig sets the liveness checks of workers sharing a study.
type HeartbeatConfig struct {
	Interval string `doc:"a Go duration, e.g. 2s (the default): how often a worker records that its trials run"`
	Timeout  string `doc:"a Go duration, e.g. 20s (default: 10 intervals): a trial silent this long is taken over"`
}

// configRegistry returns the registry the config types are decoded with.
func configRegistry() *symbolic.Registry {
	r := symbolic.NewRegistry()
	symbolic.MustRegister[BudgetConfig](r, "search.Budget", "")
	symbolic.MustRegister[ObjectiveConfig](r, "search.Objective", "")
	symbolic.MustRegister[HeartbeatConfig](r, "search.Heartbeat", "")
	symbolic.MustRegister[Config](r, "search.Config", "a search config")
	return r
}

var cfgTypes = configRegistry()

// LoadConfig reads a search config file, decoding it (and its space file)
// with reg, which must know the space tags and the program types. Errors
// name the file and the key path. A file (or space file) of more than
// MaxConfigBytes is refused before it is parsed.
func LoadConfig(reg *symbolic.Registry, filename string) (*Config, error) {
	data, err := readConfigFile(filename)
	if err != nil {
		return nil, err
	}
	return ParseConfig(reg, filename, data)
}

// ParseConfig is LoadConfig for text already read.
func ParseConfig(reg *symbolic.Registry, filename string, data []byte) (*Config, error) {
	if len(data) > MaxConfigBytes {
		return nil, tooLarge(filename)
	}
	return parseConfig(reg, filename, data)
}

// tooLarge is the error for a config file over MaxConfigBytes (which is
// read only up to the limit).
func tooLarge(filename string) error {
	return &symbolic.Error{File: filename, Err: symbolic.ErrLimit,
		Msg: fmt.Sprintf("the file has more than %d bytes (1 MiB), the most a config may have", MaxConfigBytes)}
}

// readConfigFile reads a config or space file, at most MaxConfigBytes+1
// bytes of it, so that a huge file is refused without reading it all.
func readConfigFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxConfigBytes+1))
}

// parseConfig is ParseConfig without the size limit, for configs kept in
// a store (which, with their space files inlined, may exceed it).
func parseConfig(reg *symbolic.Registry, filename string, data []byte) (*Config, error) {
	tree, err := reg.DecodeYAML(data, &symbolic.DecodeOptions{Filename: filename})
	if err != nil {
		return nil, err
	}
	return parseConfigTree(reg, filename, tree)
}

// parseConfigTree is parseConfig for a tree already decoded with reg (an
// inner search's config, its references to the outer program resolved).
func parseConfigTree(reg *symbolic.Registry, filename string, tree symbolic.Value) (*Config, error) {
	d, ok := tree.(*symbolic.Dict)
	if !ok {
		return nil, &symbolic.Error{File: filename, Msg: "a search config is a mapping, got " + tree.Kind().String(), Err: symbolic.ErrKind}
	}
	saved := symbolic.Clone(d).(*symbolic.Dict)
	typ, _ := cfgTypes.Lookup("search.Config")
	if err := nestTypes(d); err != nil {
		return nil, inFile(filename, err)
	}
	o, err := typ.New(d)
	if err != nil {
		return nil, inFile(filename, err)
	}
	cfg, err := symbolic.To[*Config](o)
	if err != nil {
		return nil, inFile(filename, err)
	}
	if err := cfg.check(reg, filename); err != nil {
		return nil, err
	}
	// The study keeps the config, with the space resolved from space_file.
	if cfg.Space != nil {
		saved.Set("space", symbolic.Clone(cfg.Space))
		saved.Delete("space_file")
	}
	// The study keeps a command's path absolute, so that workers started
	// elsewhere (goglove worker) find the same program.
	// So are the commands of inner searches (objective.search), at every
	// depth.
	absCommands(saved, filename)
	cfg.tree = saved
	cfg.reg = reg
	return cfg, nil
}

// absCommands makes the program of a config tree's command objective
// absolute (relative to the config file's directory), and those of its
// inner searches.
func absCommands(d *symbolic.Dict, filename string) {
	obj, ok := d.Get("objective")
	if !ok {
		return
	}
	od, ok := obj.(*symbolic.Dict)
	if !ok {
		return
	}
	if cmd, ok := od.Get("command"); ok {
		if l, ok := cmd.(*symbolic.List); ok && l.Len() > 0 {
			if s, ok := l.At(0).(symbolic.String); ok && strings.Contains(string(s), "/") && !filepath.IsAbs(string(s)) {
				if abs, err := filepath.Abs(filepath.Join(filepath.Dir(filename), string(s))); err == nil {
					l.Set(0, symbolic.String(abs))
				}
			}
		}
	}
	if inner, ok := od.Get("search"); ok {
		if id, ok := inner.(*symbolic.Dict); ok {
			absCommands(id, filename)
		}
	}
}

// Tree returns the config as a symbolic tree, its space resolved (the
// study keeps it, so that it can be resumed and compared).
func (c *Config) Tree() symbolic.Value { return c.tree }

// nestTypes marks the nested sections of a config dict with their types.
func nestTypes(d *symbolic.Dict) error {
	for key, name := range map[string]string{"objective": "search.Objective", "budget": "search.Budget", "heartbeat": "search.Heartbeat"} {
		v, ok := d.Get(key)
		if !ok {
			continue
		}
		sub, ok := v.(*symbolic.Dict)
		if !ok {
			return &symbolic.Error{Path: symbolic.Path(symbolic.Key(key)), Msg: "want a mapping, got " + v.Kind().String(), Err: symbolic.ErrKind}
		}
		typ, _ := cfgTypes.Lookup(name)
		o, err := typ.New(sub)
		if err != nil {
			var e *symbolic.Error
			if errors.As(err, &e) {
				c := *e
				c.Path = symbolic.Path(append([]symbolic.Step{symbolic.Key(key)}, e.Path.Steps()...)...)
				return &c
			}
			return err
		}
		d.Set(key, o)
	}
	return nil
}

func inFile(filename string, err error) error {
	var e *symbolic.Error
	if errors.As(err, &e) && e.File == "" {
		c := *e
		c.File = filename
		return &c
	}
	return err
}

func cfgError(filename, path, msg string) error {
	p, _ := symbolic.ParsePath(path)
	return &symbolic.Error{File: filename, Path: p, Msg: msg, Err: symbolic.ErrKind}
}

// check validates what the schema cannot: the study's name, one space,
// the metrics, at most one objective kind (none: the study is evaluated
// by Ask and Tell only), the bounds of the budget and of the
// durations (see limits.go).
func (c *Config) check(reg *symbolic.Registry, filename string) error {
	if err := CheckStudyName(c.Study); err != nil {
		return cfgError(filename, "study", strings.TrimPrefix(err.Error(), "search: "))
	}
	if err := c.checkBounds(filename); err != nil {
		return err
	}
	hasSpace := c.Space != nil && c.Space.Kind() != symbolic.KindNull
	switch {
	case hasSpace && c.SpaceFile != "":
		return cfgError(filename, "space_file", "give space or space_file, not both")
	case c.SpaceFile != "":
		path := c.SpaceFile
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(filename), path)
		}
		data, err := readConfigFile(path)
		if err != nil {
			return cfgError(filename, "space_file", err.Error())
		}
		if len(data) > MaxConfigBytes {
			return tooLarge(path)
		}
		if c.Space, err = reg.DecodeYAML(data, &symbolic.DecodeOptions{Filename: path}); err != nil {
			return err
		}
	}
	if c.Objective.Metrics != nil && c.Objective.Metrics.Kind() != symbolic.KindNull {
		if _, err := c.Objectives(); err != nil {
			return inFile(filename, err)
		}
	} else if c.Objective.Builtin == "" {
		return cfgError(filename, "objective.metrics", "missing: give a map from each metric to minimize or maximize, e.g. {loss: minimize}")
	}
	if err := c.checkNested(filename); err != nil {
		return err
	}
	if c.Objective.Builtin != "" && len(c.Objective.Command) > 0 {
		return cfgError(filename, "objective", "give builtin or command, not both")
	}
	if iv, to := c.HeartbeatInterval(), c.HeartbeatTimeout(); iv > 0 && to > 0 && to <= iv {
		return cfgError(filename, "heartbeat.timeout", fmt.Sprintf("%s is not longer than the interval %s; make it several intervals", to, iv))
	}
	return nil
}

// checkBounds checks the counts and durations the schema's tags do not
// bound (workers and max_attempts have max tags) against limits.go.
func (c *Config) checkBounds(filename string) error {
	if t := c.Budget.Trials; t > MaxTrials {
		return rangeError(filename, "budget.trials", fmt.Sprintf("%d is more than the limit of %d", t, MaxTrials))
	}
	if t := c.Budget.Completed; t > MaxTrials {
		return rangeError(filename, "budget.completed", fmt.Sprintf("%d is more than the limit of %d", t, MaxTrials))
	}
	if f := c.MaxFailures; f > MaxTrials {
		return rangeError(filename, "max_failures", fmt.Sprintf("%d is more than the limit of %d", f, MaxTrials))
	}
	if s := c.Budget.Seconds; math.IsNaN(s) || s > MaxBudgetSeconds {
		return rangeError(filename, "budget.seconds", fmt.Sprintf("%v is more than the limit of %d (ten years)", s, MaxBudgetSeconds))
	}
	durations := []struct {
		key, text string
		min, max  time.Duration
		zero      bool // 0 is allowed (no limit)
	}{
		{"heartbeat.interval", c.Heartbeat.Interval, MinHeartbeatInterval, MaxHeartbeat, false},
		{"heartbeat.timeout", c.Heartbeat.Timeout, MinHeartbeatTimeout, MaxHeartbeat, false},
		{"objective.timeout", c.Objective.Timeout, MinCommandTimeout, math.MaxInt64, true},
	}
	for _, d := range durations {
		if d.text == "" {
			continue
		}
		v, err := time.ParseDuration(d.text)
		switch {
		case err == nil && v == 0 && d.zero:
		case err != nil || v <= 0:
			return cfgError(filename, d.key, fmt.Sprintf("want a positive duration such as 2s, got %q", d.text))
		case v < d.min:
			return rangeError(filename, d.key, fmt.Sprintf("%s is shorter than the shortest allowed, %s", v, d.min))
		case v > d.max:
			return rangeError(filename, d.key, fmt.Sprintf("%s is longer than the longest allowed, %s", v, d.max))
		}
	}
	return nil
}

func rangeError(filename, path, msg string) error {
	p, _ := symbolic.ParsePath(path)
	return &symbolic.Error{File: filename, Path: p, Msg: msg, Err: symbolic.ErrRange}
}

// Objectives returns the config's metrics in order.
func (c *Config) Objectives() ([]Metric, error) {
	path := symbolic.MustParsePath("objective.metrics")
	d, ok := c.Objective.Metrics.(*symbolic.Dict)
	if !ok || d.Len() == 0 {
		return nil, &symbolic.Error{Path: path, Err: symbolic.ErrKind,
			Msg: "want a map from each metric name to minimize or maximize, e.g. {loss: minimize}"}
	}
	out := make([]Metric, 0, d.Len())
	for name, v := range d.All() {
		if err := CheckMetricName(name); err != nil {
			return nil, &symbolic.Error{Path: path.Key(name), Err: symbolic.ErrRange, Msg: strings.TrimPrefix(err.Error(), "search: ")}
		}
		s, _ := v.(symbolic.String)
		dir, err := ParseDirection(string(s))
		if err != nil {
			return nil, &symbolic.Error{Path: path.Key(name), Err: symbolic.ErrRange, Msg: "want minimize or maximize, got " + v.String()}
		}
		out = append(out, Metric{Name: name, Direction: dir})
	}
	return out, nil
}

// Timeout returns the command timeout (0: none).
func (c *Config) Timeout() time.Duration {
	d, _ := time.ParseDuration(c.Objective.Timeout)
	return d
}

// HeartbeatInterval returns heartbeat.interval (0: the default).
func (c *Config) HeartbeatInterval() time.Duration {
	d, _ := time.ParseDuration(c.Heartbeat.Interval)
	return d
}

// HeartbeatTimeout returns heartbeat.timeout (0: the default).
func (c *Config) HeartbeatTimeout() time.Duration {
	d, _ := time.ParseDuration(c.Heartbeat.Timeout)
	return d
}

// ConfigFromStudy returns the config a study keeps (the one its search
// was started with), decoded with reg, so that a worker can join the
// study knowing only its name. Relative command paths are relative to
// dir.
func ConfigFromStudy(reg *symbolic.Registry, info StudyInfo) (*Config, error) {
	if info.Config == nil {
		return nil, fmt.Errorf("%w: study %q keeps no config (it was not started by goglove search); workers need one", ErrNotFound, info.Name)
	}
	data, err := symbolic.EncodeYAML(info.Config)
	if err != nil {
		return nil, fmt.Errorf("search: study %q: its config: %w", info.Name, err)
	}
	return parseConfig(reg, "the config of study "+strconv.Quote(info.Name), data)
}
