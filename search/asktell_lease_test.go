package search

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/symbolic"
)

// TestAskLease: in fake time, a trial asked with a lease stays the
// asker's while TellStep renews the lease; once the lease runs out the
// next ask with a lease hands it out again (attempt 2), the old
// attempt's result is refused, and at the attempt limit it fails as
// abandoned. An ask without a lease never takes a trial over.
func TestAskLease(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := t.Context()
		st := NewMemStore()
		s := testSpace(t, gridSpace)
		opts := &Options{Store: st, Study: "s", Trials: 2, MaxAttempts: 2, Objectives: []Metric{{Name: "loss", Direction: Minimize}}}
		const lease = 10 * time.Minute
		ask := func(lease time.Duration) (*TrialRecord, string) {
			t.Helper()
			rec, reason, err := AskLease(ctx, Searchable[symbolic.Value](s), &algorithms.Grid{}, opts, lease)
			if err != nil {
				t.Fatal(err)
			}
			return rec, reason
		}
		step := func(n, attempt, step int) error {
			_, _, err := TellStep(ctx, st, "s", n, step, Metrics{"loss": 1}, &TellStepOptions{Attempt: attempt})
			return err
		}
		rec, _ := ask(lease)
		if rec == nil || rec.Number != 0 || rec.Lease != lease {
			t.Fatalf("ask with a lease: %+v", rec)
		}
		if stored, _ := st.Trials(ctx, "s"); stored[0].Lease != lease || stored[0].Heartbeat.IsZero() {
			t.Fatalf("stored: lease %v, heartbeat %v; want %v and one", stored[0].Lease, stored[0].Heartbeat, lease)
		}
		// Steps renew the lease: after 27 minutes, trial 0 is still the
		// asker's, and an ask proposes trial 1.
		for i := range 3 {
			time.Sleep(9 * time.Minute)
			if err := step(0, 1, i); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}
		if rec, _ := ask(lease); rec == nil || rec.Number != 1 || rec.Attempt != 1 {
			t.Fatalf("ask within the lease of trial 0: %+v, want a new trial 1", rec)
		}
		if _, err := Tell(ctx, st, "s", 1, Metrics{"loss": 2}, ""); err != nil {
			t.Fatalf("Tell of a leased trial: %v", err)
		}
		time.Sleep(lease + time.Second)
		// An ask without a lease takes nothing over: the budget is taken.
		if rec, reason := ask(0); rec != nil || reason != "the budget is taken by 1 running trials" {
			t.Fatalf("ask without a lease: %+v %q", rec, reason)
		}
		rec, _ = ask(time.Minute)
		if rec == nil || rec.Number != 0 || rec.Attempt != 2 || rec.Lease != time.Minute || len(rec.Steps) != 0 {
			t.Fatalf("ask after the lease ran out: %+v, want trial 0 again at attempt 2 with a lease of 1m", rec)
		}
		if _, err := TellWith(ctx, st, "s", 0, Metrics{"loss": 1}, "", &TellOptions{Attempt: 1}); !errors.Is(err, ErrSuperseded) {
			t.Errorf("the old attempt's result: %v, want ErrSuperseded", err)
		}
		if err := step(0, 1, 5); !errors.Is(err, ErrSuperseded) {
			t.Errorf("the old attempt's step: %v, want ErrSuperseded", err)
		}
		// Attempt 2 runs out too: at the limit of 2 attempts it fails.
		time.Sleep(2 * time.Minute)
		if rec, reason := ask(time.Minute); rec != nil || reason != "the trial budget is spent" {
			t.Fatalf("ask after attempt 2 ran out: %+v %q", rec, reason)
		}
		trials, _ := st.Trials(ctx, "s")
		if trials[0].State != Failed || trials[0].Error != AbandonedError(2) {
			t.Errorf("trial 0: %v %q, want failed, %q", trials[0].State, trials[0].Error, AbandonedError(2))
		}
	})
}

// TestAskLeaseWorker: a worker takes over a trial whose lease ran out,
// as it takes over a stopped worker's, and evaluates it.
func TestAskLeaseWorker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := t.Context()
		st := NewMemStore()
		s := testSpace(t, gridSpace)
		opts := &Options{Store: st, Study: "s", Trials: 1, Objectives: []Metric{{Name: "loss", Direction: Minimize}},
			HeartbeatInterval: time.Second, HeartbeatTimeout: 5 * time.Second}
		rec, _, err := AskLease(ctx, Searchable[symbolic.Value](s), &algorithms.Grid{}, opts, time.Minute)
		if err != nil || rec == nil {
			t.Fatalf("ask: %v %v", rec, err)
		}
		start := time.Now()
		res, err := Run(ctx, Searchable[symbolic.Value](s), &algorithms.Grid{}, func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
			return Metrics{"loss": 3}, nil
		}, opts)
		if err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < time.Minute-time.Second || waited > time.Minute+10*time.Second {
			t.Errorf("the worker took the trial over after %v, want about the lease, 1m", waited)
		}
		trials, _ := st.Trials(ctx, "s")
		if len(trials) != 1 || trials[0].State != Completed || trials[0].Attempt != 2 || trials[0].Lease != 0 {
			t.Errorf("trial 0: %v attempt %d lease %v, want completed at attempt 2 by the worker, without a lease (result %+v)",
				trials[0].State, trials[0].Attempt, trials[0].Lease, res)
		}
	})
}
