package search

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/symbolic"
)

// TestConfigSizeLimit: a config (or space file) over MaxConfigBytes is
// refused before it is parsed, naming the file; one at the limit is read.
func TestConfigSizeLimit(t *testing.T) {
	reg := configRegistryWithSpace(t)
	head := "study: s\nobjective: {builtin: branin}\n"
	pad := func(n int) []byte { // a valid config of exactly n bytes
		return []byte(head + "#" + strings.Repeat("x", n-len(head)-2) + "\n")
	}
	if _, err := ParseConfig(reg, "c.yaml", pad(MaxConfigBytes)); err != nil {
		t.Errorf("a config of MaxConfigBytes: %v", err)
	}
	var se *symbolic.Error
	_, err := ParseConfig(reg, "c.yaml", pad(MaxConfigBytes+1))
	if !errors.As(err, &se) || !errors.Is(err, symbolic.ErrLimit) || !strings.Contains(err.Error(), "c.yaml: the file has more than 1048576 bytes") {
		t.Errorf("a config over MaxConfigBytes: %v", err)
	}
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, pad(3*MaxConfigBytes), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(reg, big); !errors.Is(err, symbolic.ErrLimit) || !strings.Contains(err.Error(), "big.yaml: the file has more than 1048576 bytes") {
		t.Errorf("LoadConfig of a large file: %v", err)
	}
	spaceFile := filepath.Join(dir, "space.yaml")
	if err := os.WriteFile(spaceFile, []byte("a: !oneof ["+strings.Repeat("1, ", MaxConfigBytes/3)+"1]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := "study: s\nspace_file: space.yaml\nobjective: {command: [x], metrics: {v: min}}\n"
	if _, err := ParseConfig(reg, filepath.Join(dir, "c.yaml"), []byte(src)); !errors.Is(err, symbolic.ErrLimit) || !strings.Contains(err.Error(), "space.yaml") {
		t.Errorf("a large space file: %v", err)
	}
}

// TestRunRefusesTooManyWorkers: the Go API bounds Workers as the config
// does, before any goroutine starts.
func TestRunRefusesTooManyWorkers(t *testing.T) {
	s := testSpace(t, gridSpace)
	_, err := Run(t.Context(), Searchable[symbolic.Value](s), &algorithms.Random{},
		func(context.Context, *Trial[symbolic.Value]) (Metrics, error) { return Metrics{"reward": 1}, nil },
		&Options{Workers: MaxWorkers + 1, Trials: 1})
	if err == nil || !strings.Contains(err.Error(), "more than MaxWorkers") {
		t.Errorf("Run with MaxWorkers+1 workers: %v", err)
	}
}

// TestReportRefusesBadMetrics: a step's metrics that no store could keep
// (NaN, which JSON cannot hold) are refused, not retried, and the trial's
// final metrics are checked the same way.
func TestReportRefusesBadMetrics(t *testing.T) {
	st := NewMemStore()
	s := testSpace(t, gridSpace)
	var reportErr error
	_, err := Run(t.Context(), Searchable[symbolic.Value](s), &algorithms.Random{},
		func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
			reportErr = tr.Report(ctx, 1, Metrics{"reward": math.NaN()})
			return Metrics{"reward": 1, "bad\x00name": 2}, nil
		},
		&Options{Store: st, Study: "s", Trials: 1, MaxFailures: -1, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(reportErr, ErrBadMetrics) {
		t.Errorf("Report(NaN) = %v, want ErrBadMetrics", reportErr)
	}
	trials, err := st.Trials(t.Context(), "s")
	if err != nil || len(trials) != 1 {
		t.Fatalf("Trials: %v, %v", trials, err)
	}
	if tr := trials[0]; tr.State != Failed || len(tr.Steps) != 0 || !strings.Contains(tr.Error, "metric name") {
		t.Errorf("trial: %v, steps %v, error %q; want failed for the metric name, no steps", tr.State, tr.Steps, tr.Error)
	}
}

// TestConfigLimitsAreTheConstants: the schema's max tags for workers and
// max_attempts are the documented constants, and every bound is
// inclusive.
func TestConfigLimitsAreTheConstants(t *testing.T) {
	reg := configRegistryWithSpace(t)
	base := "study: s\nobjective: {builtin: branin}\n"
	for _, tc := range []struct {
		key        string
		atLimit    string
		overLimit  string
		underLimit string
	}{
		{"workers", strconv.Itoa(MaxWorkers), strconv.Itoa(MaxWorkers + 1), ""},
		{"max_attempts", strconv.Itoa(MaxAttemptsLimit), strconv.Itoa(MaxAttemptsLimit + 1), ""},
		{"budget", "{trials: " + strconv.Itoa(MaxTrials) + ", seconds: " + strconv.Itoa(MaxBudgetSeconds) + "}",
			"{trials: " + strconv.Itoa(MaxTrials+1) + "}", ""},
		{"heartbeat", "{interval: " + MinHeartbeatInterval.String() + ", timeout: " + MaxHeartbeat.String() + "}",
			"{interval: " + MaxHeartbeat.String() + ", timeout: " + (MaxHeartbeat + time.Second).String() + "}",
			"{interval: " + (MinHeartbeatInterval - 1).String() + "}"},
		{"heartbeat", "{timeout: " + MinHeartbeatTimeout.String() + ", interval: " + MinHeartbeatInterval.String() + "}", "",
			"{timeout: " + (MinHeartbeatTimeout - 1).String() + "}"},
	} {
		t.Run(tc.key, func(t *testing.T) {
			if _, err := ParseConfig(reg, "c.yaml", []byte(base+tc.key+": "+tc.atLimit+"\n")); err != nil {
				t.Errorf("%s: %s at the limit: %v", tc.key, tc.atLimit, err)
			}
			for _, bad := range []string{tc.overLimit, tc.underLimit} {
				if bad == "" {
					continue
				}
				if _, err := ParseConfig(reg, "c.yaml", []byte(base+tc.key+": "+bad+"\n")); !errors.Is(err, symbolic.ErrRange) {
					t.Errorf("%s: %s: %v, want a range error", tc.key, bad, err)
				}
			}
		})
	}
}
