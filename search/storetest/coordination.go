package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/search"
)

// The tests of this file check the coordination contract: proposals
// serialized per study, attempts, heartbeats and reclaiming.

// propose adds a watched trial with Propose and returns its number and
// the change number after it.
func propose(t *testing.T, s search.Store, study string, since int64, i int) (int, int64) {
	t.Helper()
	n, seq, err := s.Propose(ctxOf(t), study, since, func([]search.TrialRecord, int64) (*search.TrialRecord, error) {
		r := record(i)
		r.Watched = true
		return &r, nil
	})
	if err != nil {
		t.Fatalf("Propose: %v", err)
	}
	return n, seq
}

func testEndedTrialsDoNotChange(t *testing.T, s search.Store) {
	mustCreate(t, s, study("s"))
	mustAdd(t, s, "s", record(0))
	done := finished(record(0))
	if err := s.UpdateTrial(ctxOf(t), "s", done); err != nil {
		t.Fatal(err)
	}
	// The same result again (a retried report) is a no-op.
	if err := s.UpdateTrial(ctxOf(t), "s", done); err != nil {
		t.Errorf("reporting the same result twice: %v, want nil", err)
	}
	for name, change := range map[string]func(*search.TrialRecord){
		"other metrics": func(r *search.TrialRecord) { r.Metrics = search.Metrics{"acc": 0.1} },
		"other state":   func(r *search.TrialRecord) { r.State, r.Metrics = search.Failed, nil },
		"running again": func(r *search.TrialRecord) { r.State = search.Running },
	} {
		r := done
		change(&r)
		if err := s.UpdateTrial(ctxOf(t), "s", r); !errors.Is(err, search.ErrSuperseded) {
			t.Errorf("%s after completion: %v, want ErrSuperseded", name, err)
		}
	}
	if d := diffRecord(mustTrials(t, s, "s")[0], done); d != "" {
		t.Errorf("an ended trial changed:\n%s", d)
	}
}

func testSupersededAttempt(t *testing.T, s search.Store) {
	mustCreate(t, s, study("s"))
	mustAdd(t, s, "s", record(0))
	r := finished(record(0))
	r.Attempt = 2
	if err := s.UpdateTrial(ctxOf(t), "s", r); !errors.Is(err, search.ErrSuperseded) {
		t.Errorf("update with attempt 2 of a trial at attempt 1: %v, want ErrSuperseded", err)
	}
	if got := mustTrials(t, s, "s")[0]; got.State != search.Running {
		t.Errorf("the rejected update changed the trial: state %v", got.State)
	}
}

func testProposeChanges(t *testing.T, s search.Store) {
	mustCreate(t, s, study("s"))
	mustCreate(t, s, study("other"))
	mustAdd(t, s, "other", record(9))
	var seen []int
	collect := func(since int64) (int64, []int) {
		seen = nil
		_, seq, err := s.Propose(ctxOf(t), "s", since, func(ch []search.TrialRecord, seq int64) (*search.TrialRecord, error) {
			for _, r := range ch {
				seen = append(seen, r.Number)
			}
			return nil, nil
		})
		if err != nil {
			t.Fatalf("Propose: %v", err)
		}
		return seq, seen
	}
	seq0, got := collect(-1)
	if len(got) != 0 {
		t.Fatalf("changes of an empty study: %v", got)
	}
	n0, seq1 := propose(t, s, "s", seq0, 0)
	n1, seq2 := propose(t, s, "s", seq1, 1)
	if n0 != 0 || n1 != 1 || !(seq0 < seq1 && seq1 < seq2) {
		t.Fatalf("numbers %d, %d and change numbers %d, %d, %d: want 0, 1 and increasing", n0, n1, seq0, seq1, seq2)
	}
	if _, got = collect(seq0); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("changes since %d: %v, want [0 1]", seq0, got)
	}
	if seq, got := collect(seq2); len(got) != 0 || seq != seq2 {
		t.Errorf("changes since the last: %v (change number %d), want none (%d)", got, seq, seq2)
	}
	// An update is a change; a heartbeat is not.
	if err := s.Heartbeat(ctxOf(t), "s", 0, 1); err != nil {
		t.Fatal(err)
	}
	if _, got = collect(seq2); len(got) != 0 {
		t.Errorf("a heartbeat showed as a change: %v", got)
	}
	rs := mustTrials(t, s, "s")
	if rs[0].Heartbeat.IsZero() {
		t.Errorf("a watched trial has no heartbeat")
	}
	if err := s.UpdateTrial(ctxOf(t), "s", finished(rs[0])); err != nil {
		t.Fatal(err)
	}
	seq3, got := collect(seq2)
	if !slices.Equal(got, []int{0}) || seq3 <= seq2 {
		t.Errorf("changes after an update: %v (change number %d after %d), want [0]", got, seq3, seq2)
	}
	// An error from fn aborts: nothing is added.
	boom := errors.New("boom")
	if _, _, err := s.Propose(ctxOf(t), "s", seq3, func([]search.TrialRecord, int64) (*search.TrialRecord, error) {
		return nil, boom
	}); !errors.Is(err, boom) {
		t.Errorf("Propose with a failing fn: %v, want its error", err)
	}
	if _, _, err := s.Propose(ctxOf(t), "nope", -1, func([]search.TrialRecord, int64) (*search.TrialRecord, error) {
		t.Error("fn called for a missing study")
		return nil, nil
	}); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("Propose on a missing study: %v, want ErrNotFound", err)
	}
	if n := len(mustTrials(t, s, "s")); n != 2 {
		t.Errorf("%d trials, want 2", n)
	}
	// Unwatched proposals have no heartbeat.
	n, _, err := s.Propose(ctxOf(t), "s", -1, func([]search.TrialRecord, int64) (*search.TrialRecord, error) {
		r := record(3)
		return &r, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := mustTrials(t, s, "s")[n]; !r.Heartbeat.IsZero() {
		t.Errorf("an unwatched trial has heartbeat %v", r.Heartbeat)
	}
}

// testConcurrentPropose checks that proposals are serialized: each fn
// sees every trial added before its own.
func testConcurrentPropose(t *testing.T, s search.Store) {
	mustCreate(t, s, study("s"))
	ProposeConcurrently(t, []search.Store{s}, "s", 6, 8)
}

// ProposeConcurrently proposes trials to study from goroutines (workers
// of them, each proposing each trials) spread over the given stores,
// which may be several handles on one database. Each goroutine keeps its
// own view of the study from the changes Propose gives it, and the test
// checks that every proposal saw all the trials numbered before it: the
// proposals were serialized.
func ProposeConcurrently(t *testing.T, stores []search.Store, study string, workers, each int) {
	t.Helper()
	var wg sync.WaitGroup
	for w := range workers {
		s := stores[w%len(stores)]
		wg.Go(func() {
			known := map[int]bool{}
			since := int64(-1)
			for i := range each {
				var view int
				n, seq, err := s.Propose(ctxOf(t), study, since, func(ch []search.TrialRecord, _ int64) (*search.TrialRecord, error) {
					for _, r := range ch {
						known[r.Number] = true
					}
					view = len(known)
					r := record(w*each + i)
					r.Watched = true
					return &r, nil
				})
				if err != nil {
					t.Errorf("Propose: %v", err)
					return
				}
				known[n] = true
				since = seq
				if n != view {
					t.Errorf("trial %d was proposed seeing %d trials: proposals were not serialized", n, view)
				}
			}
		})
	}
	wg.Wait()
	rs := mustTrials(t, stores[0], study)
	if len(rs) != workers*each {
		t.Fatalf("%d trials, want %d", len(rs), workers*each)
	}
	for i, r := range rs {
		if r.Number != i {
			t.Fatalf("trial %d has number %d", i, r.Number)
		}
	}
}

func testHeartbeat(t *testing.T, s search.Store) {
	mustCreate(t, s, study("s"))
	propose(t, s, "s", -1, 0)
	before := mustTrials(t, s, "s")[0].Heartbeat
	time.Sleep(2 * time.Millisecond)
	if err := s.Heartbeat(ctxOf(t), "s", 0, 1); err != nil {
		t.Fatalf("Heartbeat: %v", err)
	}
	if after := mustTrials(t, s, "s")[0].Heartbeat; !after.After(before) {
		t.Errorf("heartbeat %v did not move past %v", after, before)
	}
	if err := s.Heartbeat(ctxOf(t), "s", 0, 2); !errors.Is(err, search.ErrSuperseded) {
		t.Errorf("Heartbeat of attempt 2: %v, want ErrSuperseded", err)
	}
	if err := s.Heartbeat(ctxOf(t), "s", 5, 1); !errors.Is(err, search.ErrNotFound) && !errors.Is(err, search.ErrSuperseded) {
		t.Errorf("Heartbeat of a missing trial: %v, want ErrNotFound or ErrSuperseded", err)
	}
	if err := s.UpdateTrial(ctxOf(t), "s", finished(mustTrials(t, s, "s")[0])); err != nil {
		t.Fatal(err)
	}
	if err := s.Heartbeat(ctxOf(t), "s", 0, 1); !errors.Is(err, search.ErrSuperseded) {
		t.Errorf("Heartbeat of an ended trial: %v, want ErrSuperseded", err)
	}
}

func testReclaim(t *testing.T, s search.Store) {
	mustCreate(t, s, study("s"))
	mustAdd(t, s, "s", record(0)) // unwatched: never reclaimed
	propose(t, s, "s", -1, 1)
	propose(t, s, "s", -1, 2)
	req := search.ReclaimRequest{Worker: "w2", Timeout: time.Hour, MaxAttempts: 3}
	if _, err := s.Reclaim(ctxOf(t), "s", req); !errors.Is(err, search.ErrNotFound) {
		t.Fatalf("Reclaim with nothing stale: %v, want ErrNotFound", err)
	}
	// A dead worker's trials are stale at once.
	req.Dead = []string{record(2).Worker}
	r, err := s.Reclaim(ctxOf(t), "s", req)
	if err != nil {
		t.Fatalf("Reclaim of a dead worker's trial: %v", err)
	}
	if r.Number != 1 || r.Attempt != 2 || r.Worker != "w2" || r.State != search.Running || len(r.Steps) != 0 || r.Heartbeat.IsZero() {
		t.Errorf("reclaimed trial %d attempt %d worker %q state %v steps %v heartbeat %v: want trial 1, attempt 2, w2, running, no steps, a heartbeat",
			r.Number, r.Attempt, r.Worker, r.State, r.Steps, r.Heartbeat)
	}
	// The old attempt can neither beat nor report.
	if err := s.Heartbeat(ctxOf(t), "s", 1, 1); !errors.Is(err, search.ErrSuperseded) {
		t.Errorf("Heartbeat of the superseded attempt: %v, want ErrSuperseded", err)
	}
	old := finished(record(1))
	old.Number = 1
	if err := s.UpdateTrial(ctxOf(t), "s", old); !errors.Is(err, search.ErrSuperseded) {
		t.Errorf("result of the superseded attempt: %v, want ErrSuperseded", err)
	}
	// The new attempt reports.
	r.State, r.Metrics = search.Completed, search.Metrics{"acc": 1}
	if err := s.UpdateTrial(ctxOf(t), "s", r); err != nil {
		t.Errorf("result of the new attempt: %v", err)
	}
	// A heartbeat older than the timeout is stale.
	req.Dead = nil
	req.Timeout = 20 * time.Millisecond
	time.Sleep(60 * time.Millisecond)
	r, err = s.Reclaim(ctxOf(t), "s", req)
	if err != nil || r.Number != 2 || r.Attempt != 2 {
		t.Fatalf("Reclaim after the timeout: trial %d attempt %d, %v; want trial 2 attempt 2", r.Number, r.Attempt, err)
	}
	if rs := mustTrials(t, s, "s"); rs[0].Attempt != 1 || rs[0].State != search.Running {
		t.Errorf("the unwatched trial changed: attempt %d, %v", rs[0].Attempt, rs[0].State)
	}
}

func testReclaimLimit(t *testing.T, s search.Store) {
	mustCreate(t, s, study("s"))
	propose(t, s, "s", -1, 0)
	req := search.ReclaimRequest{Worker: "w", Timeout: time.Hour, MaxAttempts: 2, Dead: []string{record(0).Worker}}
	r, err := s.Reclaim(ctxOf(t), "s", req)
	if err != nil || r.Attempt != 2 {
		t.Fatalf("first Reclaim: attempt %d, %v", r.Attempt, err)
	}
	req.Dead = []string{"w"}
	if _, err := s.Reclaim(ctxOf(t), "s", req); !errors.Is(err, search.ErrNotFound) {
		t.Fatalf("Reclaim at the attempt limit: %v, want ErrNotFound", err)
	}
	got := mustTrials(t, s, "s")[0]
	if got.State != search.Failed || got.Error != search.AbandonedError(2) || got.Finished.IsZero() {
		t.Errorf("trial at the attempt limit: %v %q finished %v; want failed %q", got.State, got.Error, got.Finished, search.AbandonedError(2))
	}
}

func testConcurrentReclaim(t *testing.T, s search.Store) {
	mustCreate(t, s, study("s"))
	for i := range 3 {
		propose(t, s, "s", -1, i)
	}
	ReclaimConcurrently(t, []search.Store{s}, "s", 6, 3)
}

// ReclaimConcurrently has workers goroutines, spread over the given
// stores, reclaim the trials of study (all running, watched, of worker
// record(i).Worker and attempt 1) at once, and checks that each of the
// want trials went to exactly one of them.
func ReclaimConcurrently(t *testing.T, stores []search.Store, study string, workers, want int) {
	t.Helper()
	var (
		mu  sync.Mutex
		got []int
		wg  sync.WaitGroup
	)
	for w := range workers {
		s := stores[w%len(stores)]
		wg.Go(func() {
			for {
				r, err := s.Reclaim(ctxOf(t), study, search.ReclaimRequest{Worker: fmt.Sprintf("w%d", w), Timeout: time.Hour,
					Dead: []string{record(0).Worker}})
				if errors.Is(err, search.ErrNotFound) {
					return
				}
				if err != nil {
					t.Errorf("Reclaim: %v", err)
					return
				}
				mu.Lock()
				got = append(got, r.Number)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.Sort(got)
	if len(got) != want {
		t.Fatalf("reclaimed %v: want each of %d trials once", got, want)
	}
	for i, n := range got {
		if n != i {
			t.Fatalf("reclaimed %v: want each of %d trials once", got, want)
		}
	}
}
