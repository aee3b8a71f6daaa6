package search

import (
	"errors"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/symbolic"
)

// TestAskTell drives a study from outside: each Ask rebuilds the
// algorithm from the history (a grid continues where it was), Tell
// records results once, and the budget ends the asking.
func TestAskTell(t *testing.T) {
	ctx := t.Context()
	st := NewMemStore()
	s := testSpace(t, gridSpace)
	opts := &Options{Store: st, Study: "s", Trials: 3, Objectives: []Metric{{Name: "loss", Direction: Minimize}}}
	var asked []string
	for i := range 3 {
		rec, reason, err := Ask(ctx, Searchable[symbolic.Value](s), &algorithms.Grid{}, opts)
		if err != nil || rec == nil {
			t.Fatalf("Ask %d: %v, %v (%s)", i, rec, err, reason)
		}
		if rec.Number != i || rec.State != Running || !rec.Heartbeat.IsZero() {
			t.Fatalf("Ask %d: trial %d, %v, heartbeat %v", i, rec.Number, rec.State, rec.Heartbeat)
		}
		asked = append(asked, rec.DNAText)
	}
	if asked[0] == asked[1] || asked[1] == asked[2] {
		t.Errorf("the grid proposed %v: each Ask should continue it", asked)
	}
	// The budget is taken by the three running trials.
	if rec, reason, err := Ask(ctx, Searchable[symbolic.Value](s), &algorithms.Grid{}, opts); rec != nil || err != nil || reason == "" {
		t.Errorf("Ask with the budget taken: %v, %v, %q", rec, err, reason)
	}
	if _, err := Tell(ctx, st, "s", 0, Metrics{"acc": 1}, ""); !errors.Is(err, ErrBadMetrics) {
		t.Errorf("Tell without the objective: %v, want ErrBadMetrics", err)
	}
	if _, err := Tell(ctx, st, "s", 0, Metrics{"loss": 0.5}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := Tell(ctx, st, "s", 0, Metrics{"loss": 0.5}, ""); err != nil {
		t.Errorf("telling the same result twice: %v", err)
	}
	if _, err := Tell(ctx, st, "s", 0, Metrics{"loss": 0.7}, ""); !errors.Is(err, ErrSuperseded) {
		t.Errorf("telling another result: %v, want ErrSuperseded", err)
	}
	if _, err := Tell(ctx, st, "s", 1, nil, "out of memory"); err != nil {
		t.Fatal(err)
	}
	if _, err := Tell(ctx, st, "s", 9, Metrics{"loss": 1}, ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("Tell of a missing trial: %v, want ErrNotFound", err)
	}
	// Trial 1 failed: it counts toward the budget, taken now by trial 2.
	if rec, reason, err := Ask(ctx, Searchable[symbolic.Value](s), &algorithms.Grid{}, opts); rec != nil || err != nil ||
		reason != "the budget is taken by 1 running trials" {
		t.Errorf("Ask after a failure: %v, %v, %q; want none (the failure spent a trial of the budget)", rec, err, reason)
	}
	if _, err := Tell(ctx, st, "s", 2, Metrics{"loss": 2}, ""); err != nil {
		t.Fatal(err)
	}
	if rec, reason, err := Ask(ctx, Searchable[symbolic.Value](s), &algorithms.Grid{}, opts); rec != nil || err != nil || reason != "the trial budget is spent" {
		t.Errorf("Ask after the budget: %v, %v, %q", rec, err, reason)
	}
	// A budget of completed trials leaves the failure out: one more may
	// start.
	byCompleted := *opts
	byCompleted.Trials, byCompleted.Completed = 0, 3
	rec, _, err := Ask(ctx, Searchable[symbolic.Value](s), &algorithms.Grid{}, &byCompleted)
	if err != nil || rec == nil || rec.Number != 3 {
		t.Fatalf("Ask with a budget of 3 completed, 2 completed and 1 failed: %v, %v", rec, err)
	}
	if _, err := Tell(ctx, st, "s", 3, Metrics{"loss": 3}, ""); err != nil {
		t.Fatal(err)
	}
	if rec, reason, err := Ask(ctx, Searchable[symbolic.Value](s), &algorithms.Grid{}, &byCompleted); rec != nil || err != nil ||
		reason != "the budget of completed trials is spent" {
		t.Errorf("Ask after the budget of completed trials: %v, %v, %q", rec, err, reason)
	}
}
