package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/search"
)

// The tests of this file check enqueued trials: a Waiting trial added
// with AddTrial is nobody's until Propose starts it (Claim).

// waiting returns record(i) as an enqueued trial: waiting, at attempt 0,
// without steps or worker.
func waiting(i int) search.TrialRecord {
	r := record(i)
	r.State, r.Attempt, r.Worker, r.Steps = search.Waiting, 0, "", nil
	return r
}

// claim starts waiting trial n with Propose, as worker, and returns the
// number Propose returned, the change number and the error.
func claim(t *testing.T, s search.Store, study string, n int, worker string, watched bool) (int, int64, error) {
	t.Helper()
	return s.Propose(ctxOf(t), study, -1, func([]search.TrialRecord, int64) (*search.TrialRecord, error) {
		return &search.TrialRecord{Number: n, Claim: true, State: search.Running, Attempt: 1, Worker: worker,
			Created: epoch.Add(time.Hour), Watched: watched}, nil
	})
}

func testWaiting(t *testing.T, s search.Store) {
	mustCreate(t, s, study("s"))
	mustAdd(t, s, "s", record(0))
	n := mustAdd(t, s, "s", waiting(1))
	if got := mustTrials(t, s, "s")[n]; got.State != search.Waiting || got.Attempt != 0 || !got.Heartbeat.IsZero() {
		t.Fatalf("enqueued trial: state %v, attempt %d, heartbeat %v; want waiting, 0, none", got.State, got.Attempt, got.Heartbeat)
	}
	if d := diffRecord(mustTrials(t, s, "s")[n], func() search.TrialRecord { w := waiting(1); w.Number = n; return w }()); d != "" {
		t.Errorf("enqueued trial round trip:\n%s", d)
	}
	// Nobody runs it: no heartbeat, never reclaimed.
	if err := s.Heartbeat(ctxOf(t), "s", n, 0); !errors.Is(err, search.ErrSuperseded) {
		t.Errorf("Heartbeat of a waiting trial: %v, want ErrSuperseded", err)
	}
	if r, err := s.Reclaim(ctxOf(t), "s", search.ReclaimRequest{Worker: "w", Timeout: time.Nanosecond, Dead: []string{""}}); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("Reclaim took %d (%v), want ErrNotFound: a waiting trial is not stale", r.Number, err)
	}
	// Propose sees it among the changes, and starts it with Claim.
	var saw search.State = search.Running
	_, before, err := s.Propose(ctxOf(t), "s", -1, func(ch []search.TrialRecord, _ int64) (*search.TrialRecord, error) {
		for _, r := range ch {
			if r.Number == n {
				saw = r.State
			}
		}
		return nil, nil
	})
	if err != nil || saw != search.Waiting {
		t.Fatalf("Propose saw trial %d as %v (%v), want waiting", n, saw, err)
	}
	got, seq, err := claim(t, s, "s", n, "w1", true)
	if err != nil || got != n || seq <= before {
		t.Fatalf("claim: number %d, seq %d (before %d), %v; want %d and a later change number", got, seq, before, err, n)
	}
	want := waiting(1)
	want.Number, want.State, want.Attempt, want.Worker, want.Created = n, search.Running, 1, "w1", epoch.Add(time.Hour)
	rec := mustTrials(t, s, "s")[n]
	if d := diffRecord(rec, want); d != "" {
		t.Errorf("started trial:\n%s", d)
	}
	if rec.Heartbeat.IsZero() || rec.Seq != seq {
		t.Errorf("started trial: heartbeat %v, seq %d; want a heartbeat and seq %d", rec.Heartbeat, rec.Seq, seq)
	}
	if err := s.Heartbeat(ctxOf(t), "s", n, 1); err != nil {
		t.Errorf("Heartbeat of the started trial: %v", err)
	}
	if len(mustTrials(t, s, "s")) != 2 {
		t.Errorf("starting a waiting trial added a trial")
	}
	// It is started once: a second claim, or one of a trial that never
	// waited, is refused and changes nothing.
	for _, num := range []int{n, 0, 7} {
		if _, _, err := claim(t, s, "s", num, "w2", false); !errors.Is(err, search.ErrSuperseded) {
			t.Errorf("claiming trial %d: %v, want ErrSuperseded", num, err)
		}
	}
	if got := mustTrials(t, s, "s")[n]; got.Worker != "w1" {
		t.Errorf("a refused claim changed the trial: worker %q", got.Worker)
	}
	// Unwatched, a started trial has no heartbeat.
	m := mustAdd(t, s, "s", waiting(2))
	if _, _, err := claim(t, s, "s", m, "ask", false); err != nil {
		t.Fatal(err)
	}
	if got := mustTrials(t, s, "s")[m]; got.State != search.Running || !got.Heartbeat.IsZero() {
		t.Errorf("unwatched start: state %v, heartbeat %v; want running without one", got.State, got.Heartbeat)
	}
	// Started by goglove ask --lease, it keeps the lease.
	l := mustAdd(t, s, "s", waiting(3))
	if _, _, err := s.Propose(ctxOf(t), "s", -1, func([]search.TrialRecord, int64) (*search.TrialRecord, error) {
		return &search.TrialRecord{Number: l, Claim: true, State: search.Running, Attempt: 1, Worker: "ask",
			Created: epoch.Add(time.Hour), Watched: true, Lease: 5 * time.Minute}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := mustTrials(t, s, "s")[l]; got.Lease != 5*time.Minute || got.Heartbeat.IsZero() {
		t.Errorf("a waiting trial started with a lease of 5m: lease %v, heartbeat %v", got.Lease, got.Heartbeat)
	}
}
