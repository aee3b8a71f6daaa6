package search

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/symbolic"
)

func TestConfigOverride(t *testing.T) {
	const src = "study: s\nobjective: {builtin: branin}\nbudget: {trials: 200}\nseed: 1\n"
	ptr := func(n int) *int { return &n }
	seed := int64(9)
	tests := []struct {
		name    string
		o       Overrides
		want    map[string]string // key path in the tree: its value
		wantErr string
	}{
		{"nothing", Overrides{}, map[string]string{"budget.trials": "200", "seed": "1"}, ""},
		{"budgets and counts", Overrides{Trials: ptr(7), Completed: ptr(3), MaxFailures: ptr(-1), Workers: ptr(4), Seed: &seed},
			map[string]string{"budget.trials": "7", "budget.completed": "3", "max_failures": "-1", "workers": "4", "seed": "9"}, ""},
		{"heartbeat section created", Overrides{HeartbeatInterval: time.Second, HeartbeatTimeout: 5 * time.Second},
			map[string]string{"heartbeat.interval": "1s", "heartbeat.timeout": "5s"}, ""},
		{"trials over the limit", Overrides{Trials: ptr(MaxTrials + 1)}, nil, "c.yaml: budget.trials: 100000001 is more than the limit"},
		{"no workers", Overrides{Workers: ptr(0)}, nil, "c.yaml: workers: want 1 to 1024"},
		{"timeout not longer than the interval", Overrides{HeartbeatInterval: 2 * time.Second, HeartbeatTimeout: time.Second}, nil,
			"c.yaml: heartbeat.timeout: 1s is not longer than the interval 2s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseConfig(configRegistryWithSpace(t), "c.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			err = cfg.Override("c.yaml", tt.o)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Override: %v, want an error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for path, want := range tt.want {
				v, err := symbolic.GetPath(cfg.Tree(), path)
				if err != nil {
					t.Fatalf("tree %s: %v", path, err)
				}
				if got := strings.TrimSpace(v.String()); strings.Trim(got, `"`) != want {
					t.Errorf("tree %s = %s, want %s", path, got, want)
				}
			}
			// The study keeps the tree: a config read back from it has the
			// values given.
			back, err := ConfigFromStudy(configRegistryWithSpace(t), StudyInfo{Name: "s", Config: cfg.Tree()})
			if err != nil {
				t.Fatal(err)
			}
			if back.Budget != cfg.Budget || back.Seed != cfg.Seed || back.Workers != cfg.Workers || back.MaxFailures != cfg.MaxFailures ||
				back.HeartbeatInterval() != cfg.HeartbeatInterval() || back.HeartbeatTimeout() != cfg.HeartbeatTimeout() {
				t.Errorf("config read back from the tree %+v, want %+v", back, cfg)
			}
		})
	}
}

func TestConfigWithoutObjective(t *testing.T) {
	cfg, err := ParseConfig(configRegistryWithSpace(t), "c.yaml", []byte("study: s\nspace: {a: !oneof [1, 2]}\nobjective: {metrics: {v: minimize}}\n"))
	if err != nil {
		t.Fatalf("a config with metrics and no builtin or command (ask/tell only): %v", err)
	}
	j, err := cfg.Job("c.yaml", testBuiltins())
	if err != nil {
		t.Fatal(err)
	}
	if j.Objective != nil {
		t.Error("Job of a config without objective has an objective")
	}
	if o := j.Options.Objectives; len(o) != 1 || o[0].Name != "v" || o[0].Direction != Minimize {
		t.Errorf("objectives %v, want [v minimize]", o)
	}
	if _, err := j.Run(t.Context(), NewMemStore(), nil); !errors.Is(err, ErrNoObjective) {
		t.Errorf("Run: %v, want ErrNoObjective", err)
	}
	// Without metrics there is nothing to optimize: still refused.
	if _, err := ParseConfig(configRegistryWithSpace(t), "c.yaml", []byte("study: s\nspace: {a: 1}\n")); err == nil ||
		!strings.Contains(err.Error(), "objective.metrics: missing") {
		t.Errorf("config without metrics: %v, want objective.metrics: missing", err)
	}
}
