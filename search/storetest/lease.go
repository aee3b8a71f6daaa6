package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/search"
)

// testLease checks leases (TrialRecord.Lease): Propose keeps a watched
// trial's, AddTrial and UpdateTrial none; Reclaim takes a leased trial
// once its heartbeat is older than its lease, whatever the request's
// timeout, and gives the new attempt the request's lease; Heartbeat
// renews it; CopyStudy keeps it.
func testLease(t *testing.T, s search.Store) {
	const lease = 500 * time.Millisecond
	mustCreate(t, s, study("s"))
	proposeLease := func(i int, watched bool, lease time.Duration) {
		t.Helper()
		_, _, err := s.Propose(ctxOf(t), "s", -1, func([]search.TrialRecord, int64) (*search.TrialRecord, error) {
			r := record(i)
			r.Watched, r.Lease = watched, lease
			return &r, nil
		})
		if err != nil {
			t.Fatalf("Propose: %v", err)
		}
	}
	proposeLease(0, true, lease)
	proposeLease(1, true, 0)
	proposeLease(2, false, time.Hour) // unwatched: no lease
	added := record(3)
	added.Lease = time.Hour
	mustAdd(t, s, "s", added) // no heartbeat: no lease
	rs := mustTrials(t, s, "s")
	for i, want := range []time.Duration{lease, 0, 0, 0} {
		if rs[i].Lease != want {
			t.Errorf("trial %d: lease %v, want %v", i, rs[i].Lease, want)
		}
	}
	// UpdateTrial leaves the lease.
	up := rs[0]
	up.Steps, up.Lease = []search.Step{{Step: 1, Metrics: search.Metrics{"acc": 0.5}}}, 0
	if err := s.UpdateTrial(ctxOf(t), "s", up); err != nil {
		t.Fatal(err)
	}
	if got := mustTrials(t, s, "s")[0]; got.Lease != lease || len(got.Steps) != 1 {
		t.Errorf("after UpdateTrial: lease %v, %d steps; want %v and 1", got.Lease, len(got.Steps), lease)
	}
	req := search.ReclaimRequest{Worker: "w2", Timeout: time.Hour, Lease: 2 * time.Hour}
	reclaim := func(what string) (search.TrialRecord, error) {
		t.Helper()
		r, err := s.Reclaim(ctxOf(t), "s", req)
		if err != nil && !errors.Is(err, search.ErrNotFound) {
			t.Fatalf("Reclaim %s: %v", what, err)
		}
		return r, err
	}
	if _, err := reclaim("at once"); err == nil {
		t.Fatal("Reclaim took a trial within its lease")
	}
	// Heartbeats renew the lease.
	for range 2 {
		time.Sleep(lease * 3 / 5)
		if err := s.Heartbeat(ctxOf(t), "s", 0, 1); err != nil {
			t.Fatalf("Heartbeat: %v", err)
		}
	}
	if _, err := reclaim("within the renewed lease"); err == nil {
		t.Fatal("Reclaim took a trial whose lease was renewed")
	}
	time.Sleep(lease * 6 / 5)
	r, err := reclaim("once the lease passed")
	if err != nil || r.Number != 0 || r.Attempt != 2 || r.Worker != "w2" || r.Lease != 2*time.Hour || r.Heartbeat.IsZero() {
		t.Fatalf("Reclaim once the lease passed: trial %d attempt %d worker %q lease %v, %v; want trial 0, attempt 2, w2, lease 2h",
			r.Number, r.Attempt, r.Worker, r.Lease, err)
	}
	if _, err := reclaim("again"); err == nil {
		t.Error("Reclaim took a trial within the new attempt's lease, or one without a lease within the timeout")
	}
	if err := s.CopyStudy(ctxOf(t), "s", "c"); err != nil {
		t.Fatal(err)
	}
	if got := mustTrials(t, s, "c")[0]; got.Lease != 2*time.Hour {
		t.Errorf("copied trial: lease %v, want 2h", got.Lease)
	}
	// A worker taking a leased trial over has no lease.
	r, err = s.Reclaim(ctxOf(t), "c", search.ReclaimRequest{Worker: "w3", Timeout: time.Hour, Dead: []string{"w2"}})
	if err != nil || r.Number != 0 || r.Lease != 0 {
		t.Errorf("Reclaim by a worker: trial %d lease %v, %v; want trial 0 without a lease", r.Number, r.Lease, err)
	}
}
