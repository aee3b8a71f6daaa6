package search

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

// stopAll stops every trial at its first step.
type stopAll struct{}

func (stopAll) ShouldStop(trial, step int, reward float64) bool { return true }
func (stopAll) Finish(trial int, completed bool)                {}

// budgetObjective returns an objective that ends every trial the way
// outcome says for its number: "fail", "stop" (reports a step, and ends
// early if the policy says so), "skip" or "complete".
func budgetObjective(outcome func(n int) string, calls *atomic.Int64) Objective[symbolic.Value] {
	return func(ctx context.Context, t *Trial[symbolic.Value]) (Metrics, error) {
		calls.Add(1)
		switch outcome(t.Number) {
		case "fail":
			return nil, errors.New("broken")
		case "skip":
			return nil, t.Skip(ctx, "not worth it")
		case "stop":
			if err := t.Report(ctx, 1, Metrics{"reward": 0}); err != nil {
				return nil, err
			}
		}
		return Metrics{"reward": float64(t.Number)}, nil
	}
}

// TestBudgets checks what each budget counts: Trials every trial that
// ended (failed, early-stopped and skipped ones too), Completed only the
// completed ones; with several workers, never a trial more.
func TestBudgets(t *testing.T) {
	always := func(o string) func(int) string { return func(int) string { return o } }
	alternate := func(o string) func(int) string {
		return func(n int) string {
			if n%2 == 1 {
				return o
			}
			return "complete"
		}
	}
	tests := []struct {
		name    string
		opts    Options
		outcome func(int) string
		// want counts by state: completed, failed, skipped, early-stopped
		want   [4]int
		reason string
		err    error
	}{
		{"trials, all fail", Options{Trials: 2}, always("fail"), [4]int{0, 2, 0, 0}, "the trial budget is spent", nil},
		{"trials, all fail, 4 workers", Options{Trials: 10, Workers: 4}, always("fail"), [4]int{0, 10, 0, 0}, "the trial budget is spent", nil},
		{"trials, half fail", Options{Trials: 6}, alternate("fail"), [4]int{3, 3, 0, 0}, "the trial budget is spent", nil},
		{"trials, all skipped", Options{Trials: 4}, always("skip"), [4]int{0, 0, 4, 0}, "the trial budget is spent", nil},
		{"trials, all stopped early", Options{Trials: 5, Stopping: stopAll{}}, always("stop"), [4]int{0, 0, 0, 5}, "the trial budget is spent", nil},
		{"trials, many early-stopped, 3 workers", Options{Trials: 12, Workers: 3, Stopping: stopAll{}}, alternate("stop"), [4]int{6, 0, 0, 6}, "the trial budget is spent", nil},
		{"completed, half fail", Options{Completed: 3}, alternate("fail"), [4]int{3, 2, 0, 0}, "the budget of completed trials is spent", nil},
		{"completed, half stopped early", Options{Completed: 3, Stopping: stopAll{}}, alternate("stop"), [4]int{3, 0, 0, 2}, "the budget of completed trials is spent", nil},
		{"completed reached first", Options{Trials: 10, Completed: 2}, alternate("fail"), [4]int{2, 1, 0, 0}, "the budget of completed trials is spent", nil},
		{"trials reached first", Options{Trials: 3, Completed: 10}, alternate("fail"), [4]int{2, 1, 0, 0}, "the trial budget is spent", nil},
		{"completed, all fail: the default limit", Options{Completed: 2}, always("fail"), [4]int{0, 101, 0, 0}, ErrTooManyFailures.Error(), ErrTooManyFailures},
		{"completed, all fail: a limit", Options{Completed: 2, MaxFailures: 4}, always("fail"), [4]int{0, 5, 0, 0}, ErrTooManyFailures.Error(), ErrTooManyFailures},
		{"trials, a limit below it", Options{Trials: 20, MaxFailures: 2}, always("fail"), [4]int{0, 3, 0, 0}, ErrTooManyFailures.Error(), ErrTooManyFailures},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int64
			opts := tc.opts
			opts.Store = NewMemStore()
			res, err := Run(t.Context(), Searchable[symbolic.Value](testSpace(t, xySpace)), &randomAlgo{seed: 11},
				budgetObjective(tc.outcome, &calls), &opts)
			if !errors.Is(err, tc.err) || tc.err == nil && err != nil {
				t.Fatalf("Run: %v, want %v", err, tc.err)
			}
			got := [4]int{res.Completed, res.Failed, res.Skipped, res.EarlyStopped}
			if got != tc.want || !strings.HasPrefix(res.StopReason, tc.reason) {
				t.Errorf("completed, failed, skipped, early-stopped = %v (%s); want %v (%s)", got, res.StopReason, tc.want, tc.reason)
			}
			if n := got[0] + got[1] + got[2] + got[3]; int(calls.Load()) != n {
				t.Errorf("the objective ran %d times for %d trials", calls.Load(), n)
			}
		})
	}
}

// TestContinueAfterFailureLimit: a study that reached its failure limit
// stops at once when searched again, and continues with a raised limit
// (or none).
func TestContinueAfterFailureLimit(t *testing.T) {
	ctx := t.Context()
	st := NewMemStore()
	s := Searchable[symbolic.Value](testSpace(t, xySpace))
	var calls atomic.Int64
	run := func(maxFailures int, outcome string) (*Result, error) {
		return Run(ctx, s, &randomAlgo{seed: 12}, budgetObjective(func(int) string { return outcome }, &calls),
			&Options{Store: st, Study: "s", Completed: 3, MaxFailures: maxFailures})
	}
	if _, err := run(4, "fail"); !errors.Is(err, ErrTooManyFailures) || err.Error() != "search: too many failed trials: 5 failed (limit 4)" {
		t.Fatalf("first run: %v, want 5 failed (limit 4)", err)
	}
	before := calls.Load()
	if _, err := run(4, "complete"); !errors.Is(err, ErrTooManyFailures) || calls.Load() != before {
		t.Fatalf("run again with the same limit: %v after %d more trials; want ErrTooManyFailures at once", err, calls.Load()-before)
	}
	if res, err := run(6, "fail"); !errors.Is(err, ErrTooManyFailures) || res.Failed != 7 {
		t.Fatalf("a limit raised to 6: %v, %d failed; want 7 failed", err, res.Failed)
	}
	res, err := run(-1, "complete")
	if err != nil || res.Completed != 3 || res.Failed != 7 {
		t.Fatalf("no limit: %v, %d completed, %d failed; want 3 and 7", err, res.Completed, res.Failed)
	}
}

func TestMaxFailuresDefault(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		want int
	}{
		{"no budget", Options{}, 100},
		{"trials only", Options{Trials: 40}, -1},
		{"completed", Options{Completed: 5}, 100},
		{"large completed", Options{Completed: 40}, 400},
		{"both", Options{Trials: 1000, Completed: 20}, 200},
		{"time only", Options{Duration: 1}, 100},
		{"set", Options{Trials: 40, MaxFailures: 7}, 7},
		{"no limit", Options{Completed: 5, MaxFailures: -1}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.opts.withDefaults().MaxFailures; got != tc.want {
				t.Errorf("MaxFailures = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestConfigBudgets(t *testing.T) {
	tests := []struct {
		name, src                  string
		trials, completed, maxFail int
		err                        string
	}{
		{"trials", "budget: {trials: 7}\n", 7, 0, 0, ""},
		{"completed", "budget: {completed: 4}\nmax_failures: 30\n", 0, 4, 30, ""},
		{"both, no failure limit", "budget: {trials: 9, completed: 4}\nmax_failures: -1\n", 9, 4, -1, ""},
		{"negative completed", "budget: {completed: -1}\n", 0, 0, 0, "symbolic: c.yaml: budget.completed: want int in [0, +inf), got int -1"},
		{"bad max_failures", "max_failures: -2\n", 0, 0, 0, "symbolic: c.yaml: max_failures: want int in [-1, +inf), got int -2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseConfig(configRegistryWithSpace(t), "c.yaml", []byte("study: s\nobjective: {builtin: branin}\n"+tc.src))
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			j, err := cfg.Job("c.yaml", testBuiltins())
			if err != nil {
				t.Fatal(err)
			}
			if o := j.Options; o.Trials != tc.trials || o.Completed != tc.completed || o.MaxFailures != tc.maxFail {
				t.Errorf("Trials, Completed, MaxFailures = %d, %d, %d; want %d, %d, %d", o.Trials, o.Completed, o.MaxFailures, tc.trials, tc.completed, tc.maxFail)
			}
		})
	}
}
