package search

import (
	"errors"
	"fmt"
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
//	budget: {trials: 200, seconds: 0}
//	workers: 2
//	early_stopping: {name: median}
//	seed: 0
//	heartbeat: {interval: 2s, timeout: 20s}   # workers' liveness
//	max_attempts: 3
type Config struct {
	Study         string          `sym:",required" doc:"the study's name in its store"`
	Space         symbolic.Value  `doc:"the search space, inline"`
	SpaceFile     string          `doc:"a file holding the search space, relative to the config"`
	Algorithm     symbolic.Value  `doc:"{name: …, options…}; random by default"`
	Objective     ObjectiveConfig `doc:"what to evaluate and which metrics to optimize"`
	Budget        BudgetConfig
	Workers       int             `min:"1" default:"1" doc:"trials evaluated in parallel"`
	EarlyStopping symbolic.Value  `doc:"{name: median|asha|none, options…}"`
	Seed          int64           `min:"0" doc:"seed of the algorithm's random streams: trial n draws from a stream of (seed, n), so workers never draw alike and agree on each trial given the same results; one trial at a time reproduces a study (see package search)"`
	Heartbeat     HeartbeatConfig `doc:"how often workers show their trials are alive, and when a silent trial is taken over"`
	MaxAttempts   int             `min:"0" doc:"how many times a trial is handed out when its workers stop, before it fails; 0 for 3"`

	tree symbolic.Value // the config as decoded, space resolved
}

// ObjectiveConfig says what evaluates a program.
type ObjectiveConfig struct {
	Metrics symbolic.Value `doc:"a map from each metric to minimize or maximize, the first one primary"`
	Builtin string         `doc:"a built-in objective, by name"`
	Command []string       `doc:"an external command: the program as JSON on stdin, metrics as a JSON object on the last line of stdout"`
	Timeout string         `doc:"a Go duration such as 60s; how long a command may run"`
}

// BudgetConfig bounds a search.
type BudgetConfig struct {
	Trials  int     `min:"0" doc:"completed trials; 0 for no limit"`
	Seconds float64 `min:"0" doc:"wall time; 0 for no limit"`
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
// name the file and the key path.
func LoadConfig(reg *symbolic.Registry, filename string) (*Config, error) {
	data, err := os.ReadFile(filename)
	if err != nil {
		return nil, err
	}
	return ParseConfig(reg, filename, data)
}

// ParseConfig is LoadConfig for text already read.
func ParseConfig(reg *symbolic.Registry, filename string, data []byte) (*Config, error) {
	tree, err := reg.DecodeYAML(data, &symbolic.DecodeOptions{Filename: filename})
	if err != nil {
		return nil, err
	}
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
	if len(cfg.Objective.Command) > 0 {
		if argv0 := cfg.Objective.Command[0]; strings.Contains(argv0, "/") && !filepath.IsAbs(argv0) {
			if abs, err := filepath.Abs(filepath.Join(filepath.Dir(filename), argv0)); err == nil {
				if obj, ok := saved.Get("objective"); ok {
					if od, ok := obj.(*symbolic.Dict); ok {
						if cmd, ok := od.Get("command"); ok {
							if l, ok := cmd.(*symbolic.List); ok && l.Len() > 0 {
								l.Set(0, symbolic.String(abs))
							}
						}
					}
				}
			}
		}
	}
	cfg.tree = saved
	return cfg, nil
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

// check validates what the schema cannot: one space, the metrics, one
// objective kind, the timeout.
func (c *Config) check(reg *symbolic.Registry, filename string) error {
	hasSpace := c.Space != nil && c.Space.Kind() != symbolic.KindNull
	switch {
	case hasSpace && c.SpaceFile != "":
		return cfgError(filename, "space_file", "give space or space_file, not both")
	case c.SpaceFile != "":
		path := c.SpaceFile
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(filename), path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return cfgError(filename, "space_file", err.Error())
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
	if c.Objective.Builtin != "" && len(c.Objective.Command) > 0 {
		return cfgError(filename, "objective", "give builtin or command, not both")
	}
	if c.Objective.Builtin == "" && len(c.Objective.Command) == 0 {
		return cfgError(filename, "objective", "missing: give builtin (a built-in objective) or command (an external program)")
	}
	for key, v := range map[string]string{"heartbeat.interval": c.Heartbeat.Interval, "heartbeat.timeout": c.Heartbeat.Timeout} {
		if d, err := time.ParseDuration(v); v != "" && (err != nil || d <= 0) {
			return cfgError(filename, key, "want a positive duration such as 2s, got "+fmt.Sprintf("%q", v))
		}
	}
	if iv, to := c.HeartbeatInterval(), c.HeartbeatTimeout(); iv > 0 && to > 0 && to <= iv {
		return cfgError(filename, "heartbeat.timeout", fmt.Sprintf("%s is not longer than the interval %s; make it several intervals", to, iv))
	}
	if c.Objective.Timeout != "" {
		if d, err := time.ParseDuration(c.Objective.Timeout); err != nil || d < 0 {
			return cfgError(filename, "objective.timeout", "want a duration such as 60s, got "+fmt.Sprintf("%q", c.Objective.Timeout))
		}
	}
	return nil
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
	return ParseConfig(reg, "the config of study "+strconv.Quote(info.Name), data)
}
