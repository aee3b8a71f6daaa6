package search

import (
	"errors"
	"math"
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

// TestTellGuards: Tell refuses a trial a worker runs (it has a
// heartbeat) unless forced, a trial no longer at the attempt Ask handed
// out, and metrics that are null, not finite or badly named; nothing is
// stored when it refuses.
func TestTellGuards(t *testing.T) {
	ctx := t.Context()
	st := NewMemStore()
	if err := st.CreateStudy(ctx, StudyInfo{Name: "s", Objectives: []Metric{{Name: "loss", Direction: Minimize}}}); err != nil {
		t.Fatal(err)
	}
	worker, err := st.AddTrial(ctx, "s", TrialRecord{DNAText: "[0]", Attempt: 1, Worker: "host:1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Heartbeat(ctx, "s", worker, 1); err != nil { // a worker watches it
		t.Fatal(err)
	}
	asked, err := st.AddTrial(ctx, "s", TrialRecord{DNAText: "[1]", Attempt: 1, Worker: "ask@host"})
	if err != nil {
		t.Fatal(err)
	}
	refused := []struct {
		name    string
		number  int
		metrics Metrics
		failure string
		opts    *TellOptions
		want    error
	}{
		{"a worker's trial", worker, Metrics{"loss": 0.1}, "", nil, ErrWorkerTrial},
		{"a worker's trial, failed", worker, nil, "bogus", nil, ErrWorkerTrial},
		{"another attempt", asked, Metrics{"loss": 0.1}, "", &TellOptions{Attempt: 2}, ErrSuperseded},
		{"NaN", asked, Metrics{"loss": math.NaN()}, "", nil, ErrBadMetrics},
		{"an infinity among the others", asked, Metrics{"loss": 1, "size": math.Inf(-1)}, "", nil, ErrBadMetrics},
		{"a name that is not UTF-8", asked, Metrics{"loss": 1, "a\xff": 2}, "", nil, ErrBadMetrics},
		{"a name with an escape", asked, Metrics{"loss": 1, "\x1b[2J": 2}, "", nil, ErrBadMetrics},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := TellWith(ctx, st, "s", tc.number, tc.metrics, tc.failure, tc.opts); !errors.Is(err, tc.want) {
				t.Errorf("TellWith: %v, want %v", err, tc.want)
			}
		})
	}
	trials, err := st.Trials(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range trials {
		if tr.State != Running || tr.Metrics != nil {
			t.Fatalf("a refused tell changed trial %d: %v %v", tr.Number, tr.State, tr.Metrics)
		}
	}
	if _, err := TellWith(ctx, st, "s", asked, Metrics{"loss": 0.3}, "", &TellOptions{Attempt: 1}); err != nil {
		t.Errorf("TellWith at the attempt ask handed out: %v", err)
	}
	rec, err := TellWith(ctx, st, "s", worker, nil, "stuck\x00\xff", &TellOptions{Force: true})
	if err != nil || rec.State != Failed || rec.Error != "stuck\uFFFD" {
		t.Errorf("TellWith --force: %v, %v %q; want failed, the reason without NUL and with U+FFFD", err, rec.State, rec.Error)
	}
	// The worker's own report is now refused.
	trials, _ = st.Trials(ctx, "s")
	late := trials[worker]
	late.State, late.Metrics, late.Error = Completed, Metrics{"loss": 9}, ""
	if err := st.UpdateTrial(ctx, "s", late); !errors.Is(err, ErrSuperseded) {
		t.Errorf("the worker's report after a forced tell: %v, want ErrSuperseded", err)
	}
}
