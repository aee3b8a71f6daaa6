package search

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/symbolic"
)

// tellPolicy records what it is given and stops trial stopTrial at
// step stopStep or later.
type tellPolicy struct {
	calls               []string
	stopTrial, stopStep int
}

func (p *tellPolicy) ShouldStop(trial, step int, reward float64) bool {
	p.calls = append(p.calls, fmt.Sprintf("%d@%d=%g", trial, step, reward))
	return trial == p.stopTrial && step >= p.stopStep
}

func (p *tellPolicy) Finish(trial int, completed bool) {
	p.calls = append(p.calls, fmt.Sprintf("end %d %v", trial, completed))
}

// TestTellStep: TellStep records a step once however often it is told,
// gives a fresh policy every other trial's steps and ends in number
// order and the trial's own steps last, and refuses ended trials, other
// attempts and bad metrics.
func TestTellStep(t *testing.T) {
	ctx := t.Context()
	st := NewMemStore()
	s := testSpace(t, gridSpace)
	opts := &Options{Store: st, Study: "s", Trials: 3, Objectives: []Metric{{Name: "loss", Direction: Minimize}}}
	for i := range 3 {
		if rec, reason, err := Ask(ctx, Searchable[symbolic.Value](s), &algorithms.Grid{}, opts); err != nil || rec == nil {
			t.Fatalf("Ask %d: %v %s", i, err, reason)
		}
	}
	tell := func(n, step int, loss float64) {
		t.Helper()
		if _, _, err := TellStep(ctx, st, "s", n, step, Metrics{"loss": loss}, nil); err != nil {
			t.Fatal(err)
		}
	}
	tell(0, 1, 3)
	tell(0, 1, 3) // a retry: recorded once
	tell(2, 1, 5)
	tell(0, 2, 2)
	if _, err := TellWith(ctx, st, "s", 0, Metrics{"loss": 2}, "", &TellOptions{EarlyStopped: true}); err != nil {
		t.Fatal(err)
	}
	p := &tellPolicy{stopTrial: 1, stopStep: 2}
	rec, stop, err := TellStep(ctx, st, "s", 1, 1, Metrics{"loss": 4, "acc": 0.5}, &TellStepOptions{Attempt: 1, Stopping: p})
	if err != nil || stop || len(rec.Steps) != 1 {
		t.Fatalf("step 1 of trial 1: %v, stop %v, steps %v", err, stop, rec.Steps)
	}
	// Trial 0 ended early-stopped (not completed); trial 2 still runs.
	if got, want := strings.Join(p.calls, ", "), "0@1=-3, 0@2=-2, end 0 false, 2@1=-5, 1@1=-4"; got != want {
		t.Errorf("the policy was given %s, want %s", got, want)
	}
	p = &tellPolicy{stopTrial: 1, stopStep: 2}
	if _, stop, err := TellStep(ctx, st, "s", 1, 2, Metrics{"loss": 4}, &TellStepOptions{Stopping: p}); err != nil || !stop {
		t.Errorf("step 2 of trial 1: %v, stop %v; want stop", err, stop)
	}
	// A policy that stopped the trial at an earlier step still does.
	p = &tellPolicy{stopTrial: 1, stopStep: 2}
	if _, stop, err := TellStep(ctx, st, "s", 1, 1, Metrics{"acc": 1}, &TellStepOptions{Stopping: p}); err != nil || !stop {
		t.Errorf("step 1 again, after step 2: %v, stop %v; want stop", err, stop)
	}
	trials, _ := st.Trials(ctx, "s")
	if got := len(trials[0].Steps); got != 2 || trials[0].State != EarlyStopped {
		t.Errorf("trial 0: %v with %d steps, want early_stopped with 2", trials[0].State, got)
	}
	for _, tc := range []struct {
		name   string
		number int
		step   int
		m      Metrics
		opts   *TellStepOptions
		want   error
	}{
		{"an ended trial", 0, 3, Metrics{"loss": 1}, nil, ErrSuperseded},
		{"another attempt", 2, 3, Metrics{"loss": 1}, &TellStepOptions{Attempt: 2}, ErrSuperseded},
		{"a missing trial", 9, 3, Metrics{"loss": 1}, nil, ErrNotFound},
		{"not finite", 2, 3, Metrics{"loss": math.Inf(1)}, nil, ErrBadMetrics},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := TellStep(ctx, st, "s", tc.number, tc.step, tc.m, tc.opts); !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
		})
	}
	if _, _, err := TellStep(ctx, st, "s", 2, -1, Metrics{"loss": 1}, nil); err == nil {
		t.Error("a negative step was recorded")
	}
}
