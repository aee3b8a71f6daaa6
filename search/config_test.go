package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

func configRegistryWithSpace(t *testing.T) *symbolic.Registry {
	t.Helper()
	r := symbolic.NewRegistry()
	if err := space.Register(r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestConfigJob(t *testing.T) {
	src := `study: demo
space:
  x: !float {min: -5, max: 10}
  y: !float {min: 0, max: 15}
algorithm: {name: evolution, population: 20, tournament: 5}
objective:
  metrics: {value: minimize}
  command: [sh, -c, "read p; echo '{\"value\": 1}'"]
  timeout: 5s
budget: {trials: 7, seconds: 30}
workers: 2
early_stopping: {name: median, min_trials: 3}
seed: 4
`
	cfg, err := ParseConfig(configRegistryWithSpace(t), "demo.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	j, err := cfg.Job("demo.yaml", testBuiltins())
	if err != nil {
		t.Fatal(err)
	}
	o := j.Options
	if o.Study != "demo" || o.Trials != 7 || o.Duration != 30*time.Second || o.Workers != 2 || o.Stopping == nil ||
		len(o.Objectives) != 1 || o.Objectives[0] != (Metric{"value", Minimize}) || cfg.Timeout() != 5*time.Second {
		t.Fatalf("options %+v", o)
	}
	res, err := j.Run(context.Background(), NewMemStore(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Completed != 7 {
		t.Fatalf("completed %d", res.Completed)
	}
}

func TestConfigBuiltinDefaults(t *testing.T) {
	cfg, err := ParseConfig(configRegistryWithSpace(t), "b.yaml", []byte("study: b\nobjective: {builtin: branin}\nbudget: {trials: 30}\n"))
	if err != nil {
		t.Fatal(err)
	}
	j, err := cfg.Job("b.yaml", testBuiltins())
	if err != nil {
		t.Fatal(err)
	}
	// Without objective.metrics, the builtin's primary metric alone: one
	// best trial, not a Pareto front over every metric it reports.
	if o := j.Options.Objectives; len(o) != 1 || o[0] != (Metric{Name: "value", Direction: Minimize}) {
		t.Errorf("objectives %v, want [minimize value]", o)
	}
	res, err := j.Run(context.Background(), NewMemStore(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Completed != 30 || res.Best == nil || res.Best.Metrics["regret"] < 0 || res.Best.Metrics["regret"] > 50 {
		t.Fatalf("result %+v", res)
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "space.yaml"), []byte("a: !oneof [1, 2]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, src, msg string
	}{
		{"unknown key", "study: s\nstudyy: x\nobjective: {builtin: branin}\n",
			"symbolic: c.yaml: studyy: unknown field of search.Config (fields: study, space, space_file, algorithm, objective, budget, workers, early_stopping, seed, heartbeat, max_attempts, max_failures, constraints)"},
		{"no study", "objective: {builtin: branin}\n",
			"symbolic: c.yaml: study: missing required field of search.Config (want string)"},
		{"unknown algorithm", "study: s\nalgorithm: {name: annealing}\nobjective: {builtin: branin}\n",
			"symbolic: c.yaml: algorithm.name: unknown algorithm \"annealing\" (known: cmaes, darts, evolution, grid, hill_climb, nsga2, ppo, random, reinforce, tpe)"},
		{"unknown option", "study: s\nalgorithm: {name: evolution, populaton: 5}\nobjective: {builtin: branin}\n",
			"symbolic: c.yaml: algorithm.populaton: unknown field of algorithms.RegularizedEvolution (fields: population, tournament, selector, mutator, recombinator, seed)"},
		{"option out of range", "study: s\nalgorithm: {name: evolution, population: -5}\nobjective: {builtin: branin}\n",
			"symbolic: c.yaml: algorithm.population: want int in [0, 100000], got int -5"},
		{"option too large", "study: s\nalgorithm: {name: evolution, population: 100000000}\nobjective: {builtin: branin}\n",
			"symbolic: c.yaml: algorithm.population: want int in [0, 100000], got int 100000000"},
		{"dedup not a boolean", "study: s\nalgorithm: {name: tpe, dedup: yes please}\nobjective: {builtin: branin}\n",
			"symbolic: c.yaml: algorithm.dedup: want true or false, got string"},
		{"no metrics", "study: s\nspace: {a: !oneof [1, 2]}\nobjective: {command: [x]}\n",
			"symbolic: c.yaml: objective.metrics: missing: give a map from each metric to minimize or maximize, e.g. {loss: minimize}"},
		{"bad direction", "study: s\nobjective: {builtin: branin, metrics: {value: smallest}}\n",
			"symbolic: c.yaml: objective.metrics.value: want minimize or maximize, got smallest"},
		{"metric the builtin lacks", "study: s\nobjective: {builtin: branin, metrics: {loss: minimize}}\n",
			"symbolic: c.yaml: objective.metrics.loss: built-in objective branin does not report it (it reports value, regret)"},
		{"unknown builtin", "study: s\nobjective: {builtin: nope}\n",
			"symbolic: c.yaml: objective.builtin: unknown built-in objective \"nope\" (known: ackley10, ackley10asym, branin, hartmann6, rosenbrock10)"},
		{"no space", "study: s\nobjective: {command: [x], metrics: {v: minimize}}\n",
			"symbolic: c.yaml: space: missing: give space or space_file"},
		{"both spaces", "study: s\nspace: {a: 1}\nspace_file: space.yaml\nobjective: {builtin: branin}\n",
			"symbolic: c.yaml: space_file: give space or space_file, not both"},
		{"bad timeout", "study: s\nobjective: {command: [x], metrics: {v: min}, timeout: soon}\nspace: {a: 1}\n",
			"symbolic: c.yaml: objective.timeout: want a positive duration such as 2s, got \"soon\""},
		{"timeout too short", "study: s\nobjective: {command: [x], metrics: {v: min}, timeout: 1ns}\nspace: {a: 1}\n",
			"symbolic: c.yaml: objective.timeout: 1ns is shorter than the shortest allowed, 100ms"},
		{"heartbeat interval too short", "study: s\nobjective: {builtin: branin}\nheartbeat: {interval: 1ns}\n",
			"symbolic: c.yaml: heartbeat.interval: 1ns is shorter than the shortest allowed, 100ms"},
		{"heartbeat timeout below the minimum", "study: s\nobjective: {builtin: branin}\nheartbeat: {timeout: 100ms}\n",
			"symbolic: c.yaml: heartbeat.timeout: 100ms is shorter than the shortest allowed, 500ms"},
		{"heartbeat interval too long", "study: s\nobjective: {builtin: branin}\nheartbeat: {interval: 25h}\n",
			"symbolic: c.yaml: heartbeat.interval: 25h0m0s is longer than the longest allowed, 24h0m0s"},
		{"trial budget too large", "study: s\nobjective: {builtin: branin}\nbudget: {trials: 100000001}\n",
			"symbolic: c.yaml: budget.trials: 100000001 is more than the limit of 100000000"},
		{"time budget too large", "study: s\nobjective: {builtin: branin}\nbudget: {seconds: 1e300}\n",
			"symbolic: c.yaml: budget.seconds: 1e+300 is more than the limit of 315360000 (ten years)"},
		{"too many attempts", "study: s\nobjective: {builtin: branin}\nmax_attempts: 101\n",
			"symbolic: c.yaml: max_attempts: want int in [0, 100], got int 101"},
		{"study name with a NUL byte", "study: \"a\\0b\"\nobjective: {builtin: branin}\n",
			"symbolic: c.yaml: study: invalid name: study name \"a\\x00b\": it holds the character U+0000; a study name is printable UTF-8 of at most 512 bytes"},
		{"study name with an escape", "study: \"\\e[2J\"\nobjective: {builtin: branin}\n",
			"symbolic: c.yaml: study: invalid name: study name \"\\x1b[2J\": it holds the character U+001B; a study name is printable UTF-8 of at most 512 bytes"},
		{"branin given another space", "study: s\nobjective: {builtin: branin}\nspace: {y: !float {min: 0, max: 1}}\n",
			"symbolic: c.yaml: space: not a space of built-in objective branin: problems: branin: no key x: not a point of the problem"},
		{"branin given too few numbers", "study: s\nobjective: {builtin: branin}\nspace: {x: [!oneof [1, 1]]}\n",
			"symbolic: c.yaml: space: not a space of built-in objective branin: problems: branin: x: want a list of 2 numbers, got [1]: not a point of the problem"},
		{"bad budget", "study: s\nobjective: {builtin: branin}\nbudget: {trials: -1}\n",
			"symbolic: c.yaml: budget.trials: want int in [0, +inf), got int -1"},
		{"bad workers", "study: s\nobjective: {builtin: branin}\nworkers: 0\n",
			"symbolic: c.yaml: workers: want int in [1, 1024], got int 0"},
		{"too many workers", "study: s\nobjective: {builtin: branin}\nworkers: 100000000\n",
			"symbolic: c.yaml: workers: want int in [1, 1024], got int 100000000"},
		{"unknown policy", "study: s\nobjective: {builtin: branin}\nearly_stopping: {name: hyperband}\n",
			"symbolic: c.yaml: early_stopping.name: unknown policy \"hyperband\" (known: none, median, asha)"},
		{"early stopping a builtin that reports no steps", "study: s\nobjective: {builtin: branin}\nearly_stopping: {name: asha}\n",
			"symbolic: c.yaml: early_stopping: built-in objective branin reports no intermediate steps, so no trial could be stopped early; remove early_stopping (or give name: none)"},
		{"bad heartbeat", "study: s\nobjective: {builtin: branin}\nheartbeat: {interval: often}\n",
			"symbolic: c.yaml: heartbeat.interval: want a positive duration such as 2s, got \"often\""},
		{"heartbeat timeout too short", "study: s\nobjective: {builtin: branin}\nheartbeat: {interval: 2s, timeout: 1s}\n",
			"symbolic: c.yaml: heartbeat.timeout: 1s is not longer than the interval 2s; make it several intervals"},
		{"unknown heartbeat key", "study: s\nobjective: {builtin: branin}\nheartbeat: {every: 2s}\n",
			"symbolic: c.yaml: heartbeat.every: unknown field of search.Heartbeat (fields: interval, timeout)"},
		{"bad space", "study: s\nobjective: {builtin: branin}\nspace: {a: !oneof []}\n",
			"symbolic: c.yaml:3:12: space.a: !oneof: no candidates"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, "c.yaml")
			cfg, err := ParseConfig(configRegistryWithSpace(t), "c.yaml", []byte(tt.src))
			if err == nil {
				_ = file
				_, err = cfg.Job("c.yaml", testBuiltins())
			}
			var se *symbolic.Error
			if err == nil || !errors.As(err, &se) || err.Error() != tt.msg {
				t.Fatalf("error = %v\nwant %s", err, tt.msg)
			}
		})
	}
}

func TestConfigSpaceFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "space.yaml"), []byte("a: !oneof [1, 2, 3]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(cfgPath, []byte("study: s\nspace_file: space.yaml\nalgorithm: grid\nobjective: {command: [sh, -c, \"echo '{\\\"v\\\": 1}'\"], metrics: {v: maximize}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(configRegistryWithSpace(t), cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	j, err := cfg.Job(cfgPath, testBuiltins())
	if err != nil {
		t.Fatal(err)
	}
	res, err := j.Run(context.Background(), NewMemStore(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Completed != 3 || res.StopReason != "the algorithm has nothing more to propose" {
		t.Fatalf("grid over 3 programs: %+v", res)
	}
}

// TestConfigFromStudy: the config a study keeps rebuilds the same job
// (what goglove worker does), with the command's path made absolute.
func TestConfigFromStudy(t *testing.T) {
	reg := configRegistryWithSpace(t)
	t.Chdir(t.TempDir())
	if err := os.Mkdir("conf", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("conf", "eval.sh"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := "study: s\nspace: {a: !oneof [1, 2]}\nobjective: {command: [./eval.sh, --fast], metrics: {v: minimize}}\n" +
		"heartbeat: {interval: 300ms, timeout: 3s}\nmax_attempts: 5\n"
	cfg, err := ParseConfig(reg, filepath.Join("conf", "c.yaml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	argv0, err := symbolic.GetPath(cfg.Tree(), "objective.command[0]")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := filepath.Abs(filepath.Join("conf", "eval.sh"))
	if string(argv0.(symbolic.String)) != want {
		t.Errorf("kept command %v, want %s", argv0, want)
	}
	again, err := ConfigFromStudy(reg, StudyInfo{Name: "s", Config: cfg.Tree()})
	if err != nil {
		t.Fatal(err)
	}
	job, err := again.Job("elsewhere/x.yaml", testBuiltins())
	if err != nil {
		t.Fatal(err)
	}
	o := job.Options
	if o.HeartbeatInterval != 300*time.Millisecond || o.HeartbeatTimeout != 3*time.Second || o.MaxAttempts != 5 {
		t.Errorf("options %v, %v, %d; want 300ms, 3s, 5", o.HeartbeatInterval, o.HeartbeatTimeout, o.MaxAttempts)
	}
	if err := sameConfig(cfg.Tree(), again.Tree()); err != nil {
		t.Errorf("the rebuilt config differs: %v", err)
	}
	if _, err := ConfigFromStudy(reg, StudyInfo{Name: "bare"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("a study without config: %v, want ErrNotFound", err)
	}
}
