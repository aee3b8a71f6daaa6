package search

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/c2602f9e/goglove/symbolic"
)

func TestParseStepLine(t *testing.T) {
	tests := []struct {
		name string
		line string
		ok   bool
		want Step
		err  string
	}{
		{"a report", `{"step": 3, "metrics": {"value": 2.5, "loss": -1e-3}}`, true, Step{3, Metrics{"value": 2.5, "loss": -0.001}}, ""},
		{"metrics first, spaces", ` {"metrics": {"value": 1}, "step": 0} `, true, Step{0, Metrics{"value": 1}}, ""},
		{"final metrics", `{"value": 1.5}`, false, Step{}, ""},
		{"a metric named step", `{"step": 3, "value": 1}`, false, Step{}, ""},
		{"a log line", `epoch 3: loss 0.5`, false, Step{}, ""},
		{"not json", `{"step": 3, "metrics": {`, false, Step{}, ""},
		{"metrics not an object", `{"step": 3, "metrics": 1}`, false, Step{}, ""},
		{"an array", `[{"metrics": {}}]`, false, Step{}, ""},
		{"invalid UTF-8", "{\"step\": 1, \"metrics\": {\"\xff\": 1}}", false, Step{}, ""},
		{"another key", `{"step": 1, "metrics": {"value": 1}, "epoch": 1}`, true, Step{}, `has key "epoch"; want only step and metrics`},
		{"no step", `{"metrics": {"value": 1}}`, true, Step{}, "has no step"},
		{"fractional step", `{"step": 1.5, "metrics": {"value": 1}}`, true, Step{}, "step 1.5 is not an integer from 0"},
		{"negative step", `{"step": -1, "metrics": {"value": 1}}`, true, Step{}, "step -1 is not an integer from 0"},
		{"string step", `{"step": "1", "metrics": {"value": 1}}`, true, Step{}, `step "1" is not an integer from 0`},
		{"no metrics", `{"step": 1, "metrics": {}}`, true, Step{}, "step 1 report: metrics: no metrics"},
		{"null metric", `{"step": 1, "metrics": {"value": null}}`, true, Step{}, `metric "value" is null, want a number`},
		{"overflow", `{"step": 1, "metrics": {"value": 1e999}}`, true, Step{}, "not a finite number"},
		{"nested metric", `{"step": 1, "metrics": {"value": {"a": 1}}}`, true, Step{}, `metric "value" is not a number`},
		{"duplicate metric", `{"step": 1, "metrics": {"a": 1, "a": 2}}`, true, Step{}, `metric "a" is given twice`},
		{"lone surrogate", `{"step": 1, "metrics": {"\ud800": 1}}`, true, Step{}, "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok, err := parseStepLine([]byte(tt.line))
			if ok != tt.ok {
				t.Fatalf("ok %v, want %v (step %v, err %v)", ok, tt.ok, s, err)
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Step != tt.want.Step || !sameMetrics(s.Metrics, tt.want.Metrics) {
				t.Fatalf("step %v, want %v", s, tt.want)
			}
		})
	}
}

func TestParseCommandOutputStepLast(t *testing.T) {
	out := "{\"step\": 1, \"metrics\": {\"value\": 1}}\n{\"value\": 0.5}\n"
	if m, err := parseCommandOutput([]byte(out), false); err != nil || !sameMetrics(m, Metrics{"value": 0.5}) {
		t.Fatalf("steps then metrics: %v, %v", m, err)
	}
	out = "{\"value\": 0.5}\n{\"step\": 1, \"metrics\": {\"value\": 1}}\n"
	if _, err := parseCommandOutput([]byte(out), false); err == nil || !strings.Contains(err.Error(), "is a step report") {
		t.Fatalf("a step report last: err %v", err)
	}
}

func TestLineWriter(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   []string
	}{
		{"lines", []string{"a\nbc\n"}, []string{"a", "bc"}},
		{"split across writes", []string{"a", "b\nc", "d\n", "e"}, []string{"ab", "cd"}},
		{"empty lines", []string{"\n\nx\n"}, []string{"", "", "x"}},
		{"at the limit", []string{"12345678\n"}, []string{"12345678"}},
		{"too long in one write", []string{"123456789\nok\n"}, []string{"ok"}},
		{"too long across writes", []string{"12345", "6789", "0\nok\n"}, []string{"ok"}},
		{"no newline: not handed out", []string{"tail"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			w := &lineWriter{max: 8, fn: func(l []byte) { got = append(got, string(l)) }}
			for _, p := range tt.writes {
				if n, err := w.Write([]byte(p)); n != len(p) || err != nil {
					t.Fatalf("Write: %d, %v", n, err)
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Fatalf("lines (-want +got):\n%s", d)
			}
		})
	}
}

func sameMetrics(a, b Metrics) bool {
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

// checkStepLines is FuzzCommandOutput's property of step reports: every
// line read as a valid report has a step from 0 and metrics CheckMetrics
// accepts, which print back as the same report; and output whose last
// line is a report has no final metrics.
func checkStepLines(t *testing.T, out []byte, truncated bool) {
	lines := bytes.Split(out, []byte("\n"))
	for _, line := range lines {
		s, ok, err := parseStepLine(line)
		if !ok || err != nil {
			if !ok && err != nil {
				t.Fatalf("line %q: not a report, yet error %v", line, err)
			}
			if err != nil && (strings.Contains(err.Error(), "\n") || s.Metrics != nil) {
				t.Fatalf("line %q: error %q with step %v", line, err, s)
			}
			continue
		}
		if s.Step < 0 || len(s.Metrics) == 0 || CheckMetrics(s.Metrics) != nil {
			t.Fatalf("line %q: accepted step %v", line, s)
		}
		again, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		back, ok, err := parseStepLine(again)
		if !ok || err != nil || back.Step != s.Step || !sameMetrics(back.Metrics, s.Metrics) {
			t.Fatalf("step %v printed as %s reads back as %v, %v, %v", s, again, back, ok, err)
		}
	}
	if line, whole := lastOutputLine(out, truncated); whole {
		if _, ok, _ := parseStepLine(line); ok {
			if m, err := parseCommandOutput(out, truncated); err == nil {
				t.Fatalf("last line %q is a step report, yet metrics %v", line, m)
			}
		}
	}
}

// stopAt is a stopping policy that stops every trial at step at.
type stopAt struct{ at int }

func (p stopAt) ShouldStop(trial, step int, reward float64) bool { return step >= p.at }
func (p stopAt) Finish(trial int, completed bool)                {}

// TestCommandObjectiveSteps: step reports are recorded as they arrive;
// a stopping policy that stops the trial ends the command at once (also
// one that ignores SIGTERM) and the trial ends early-stopped with the
// last step's metrics; a malformed report fails the trial.
func TestCommandObjectiveSteps(t *testing.T) {
	ctx := context.Background()
	s := testSpace(t, "x: !oneof [1, 2, 3]\n")
	const report = `read p; for i in 1 2 3 4; do echo "{\"step\": $i, \"metrics\": {\"value\": $i}}"; sleep 0.02; done; `
	tests := []struct {
		name    string
		script  string
		policy  StoppingPolicy
		state   State
		steps   int
		metrics Metrics
		reason  string
	}{
		{"no policy: every step recorded", report + `echo '{"value": 0.5}'`, nil, Completed, 4, Metrics{"value": 0.5}, ""},
		{"a policy that never stops", report + `echo '{"value": 0.5}'`, stopAt{100}, Completed, 4, Metrics{"value": 0.5}, ""},
		{"stopped at step 2", `read p; echo '{"step": 1, "metrics": {"value": 1}}'; echo '{"step": 2, "metrics": {"value": 2, "loss": 3}}'; sleep 30`,
			stopAt{2}, EarlyStopped, 2, Metrics{"value": 2, "loss": 3}, ""},
		{"stopped, ignoring SIGTERM", `trap '' TERM; read p; echo '{"step": 2, "metrics": {"value": 2}}'; sleep 30; sleep 30`,
			stopAt{2}, EarlyStopped, 1, Metrics{"value": 2}, ""},
		{"a step report last", report, nil, Failed, 4, nil, "the last line of output is a step report"},
		{"a malformed report", `read p; echo '{"step": 1, "metrics": {"value": 1}}'; echo '{"step": 2, "metrics": {"value": null}}'; sleep 30`,
			nil, Failed, 1, nil, `sh: step 2 report: metrics: metric "value" is null, want a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj, err := commandObjective([]string{"sh", "-c", tt.script}, 0, 300*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			st := NewMemStore()
			start := time.Now()
			if _, err := Run(ctx, Searchable[symbolic.Value](s), &onceAlgo{randomAlgo{seed: 1}}, obj,
				&Options{Store: st, Objectives: []Metric{{Name: "value"}}, Stopping: tt.policy}); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("took %v", d)
			}
			trials, _ := st.Trials(ctx, "default")
			got := trials[0]
			if got.State != tt.state || !strings.Contains(got.Error, tt.reason) || len(got.Steps) != tt.steps || !sameMetrics(got.Metrics, tt.metrics) {
				t.Fatalf("state %v reason %q, %d steps, metrics %v; want %v containing %q, %d steps, %v",
					got.State, got.Error, len(got.Steps), got.Metrics, tt.state, tt.reason, tt.steps, tt.metrics)
			}
		})
	}
}
