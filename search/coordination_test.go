package search

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/symbolic"
)

const gridSpace = "a: !oneof [0, 1, 2, 3, 4, 5, 6, 7]\nb: !oneof [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n"

// TestRunnersShareStudy runs three searches on one study at once, as
// three workers would: proposals are serialized through the store, so
// the grid's points are handed out once each, and the study ends with
// exactly its budget of trials, all completed.
func TestRunnersShareStudy(t *testing.T) {
	ctx := t.Context()
	st := NewMemStore()
	s := testSpace(t, gridSpace)
	obj := func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
		time.Sleep(time.Millisecond)
		a, _ := symbolic.GetPath(tr.Program, "a")
		return Metrics{"reward": float64(a.(symbolic.Int))}, nil
	}
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			_, err := Run(ctx, Searchable[symbolic.Value](s), &algorithms.Grid{}, obj,
				&Options{Store: st, Study: "s", Trials: 50, Workers: 2, Worker: fmt.Sprintf("w%d", w)})
			if err != nil {
				t.Errorf("worker %d: %v", w, err)
			}
		})
	}
	wg.Wait()
	trials, err := st.Trials(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	workers := map[string]bool{}
	completed := 0
	for _, tr := range trials {
		if tr.State == Completed {
			completed++
		}
		if seen[tr.DNAText] {
			t.Errorf("DNA %s proposed twice", tr.DNAText)
		}
		seen[tr.DNAText] = true
		workers[tr.Worker] = true
	}
	if completed != 50 || len(trials) != 50 {
		t.Errorf("%d trials, %d completed; want 50, 50", len(trials), completed)
	}
	if len(workers) < 2 {
		t.Errorf("only workers %v ran trials", workers)
	}
	// The grid went through its first 50 points in order.
	ref := &algorithms.Grid{}
	_ = ref.Setup(s.Spec())
	for i, tr := range trials {
		want, _ := ref.Propose(ctx)
		if got := s.Spec().Format(want); got != tr.DNAText {
			t.Fatalf("trial %d is %s, want grid point %s", i, tr.DNAText, got)
		}
	}
}

// fastBeats are heartbeat settings for tests.
func fastBeats(o *Options) *Options {
	o.HeartbeatInterval, o.HeartbeatTimeout = 10*time.Millisecond, 80*time.Millisecond
	return o
}

// TestStaleTrialIsReclaimed leaves a trial running under a worker that
// never beats: a search on the study takes it over once its heartbeat
// is older than the timeout (the default, 20s), and completes it. Fake
// time (testing/synctest) makes the wait exact and instant.
func TestStaleTrialIsReclaimed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := t.Context()
		st := NewMemStore()
		s := testSpace(t, xySpace)
		if err := st.CreateStudy(ctx, StudyInfo{Name: "s", Objectives: []Metric{{Name: "reward", Direction: Maximize}}}); err != nil {
			t.Fatal(err)
		}
		d := s.Spec().Random(rand.New(rand.NewPCG(1, 2)))
		if _, _, err := st.Propose(ctx, "s", -1, func([]TrialRecord, int64) (*TrialRecord, error) {
			return &TrialRecord{DNA: d, DNAText: s.Spec().Format(d), State: Running, Attempt: 1, Worker: "elsewhere:1", Watched: true}, nil
		}); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		var reclaimedAt time.Duration
		res, err := Run(ctx, Searchable[symbolic.Value](s), &randomAlgo{seed: 1}, func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
			if tr.Number == 0 {
				reclaimedAt = time.Since(start)
			}
			x, _ := xy(t, tr.Program)
			return Metrics{"reward": x}, nil
		}, &Options{Store: st, Study: "s", Trials: 3})
		if err != nil {
			t.Fatal(err)
		}
		trials, _ := st.Trials(ctx, "s")
		if res.Completed != 3 || trials[0].State != Completed || trials[0].Attempt != 2 {
			t.Fatalf("completed %d; trial 0 %v at attempt %d: want 3 completed, trial 0 completed at attempt 2",
				res.Completed, trials[0].State, trials[0].Attempt)
		}
		// Stale once its heartbeat is older than 20s; looked for at least
		// every heartbeat interval (2s) after that.
		if reclaimedAt <= 20*time.Second || reclaimedAt > 22*time.Second {
			t.Errorf("the stale trial was taken over after %v; want after the 20s timeout, within one 2s interval", reclaimedAt)
		}
	})
}

// TestTakenOverTrialStops has another worker take over a trial while its
// objective runs: the objective learns it from ShouldStop, its result is
// rejected, and the study still ends with its budget, the trial's result
// coming from a later attempt. It runs in fake time (testing/synctest).
func TestTakenOverTrialStops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := t.Context()
		st := NewMemStore()
		s := testSpace(t, xySpace)
		var stopped atomic.Int32
		obj := func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
			if tr.Number == 0 && tr.rec.Attempt == 1 {
				// Another worker takes the trial over, as if this one had
				// missed its heartbeats.
				if _, err := st.Reclaim(ctx, "s", ReclaimRequest{Worker: "thief:1", Timeout: time.Hour, Dead: []string{"me"}}); err != nil {
					return nil, err
				}
				deadline := time.Now().Add(5 * time.Second)
				for !tr.ShouldStop() && time.Now().Before(deadline) {
					time.Sleep(5 * time.Millisecond)
				}
				if tr.ShouldStop() {
					stopped.Add(1)
				}
			}
			return Metrics{"reward": 1}, nil
		}
		res, err := Run(ctx, Searchable[symbolic.Value](s), &randomAlgo{seed: 1}, obj,
			fastBeats(&Options{Store: st, Study: "s", Trials: 2, Worker: "me"}))
		if err != nil {
			t.Fatal(err)
		}
		if stopped.Load() != 1 {
			t.Errorf("the objective of the taken-over trial was not told to stop")
		}
		trials, _ := st.Trials(ctx, "s")
		if res.Completed != 2 || trials[0].State != Completed || trials[0].Attempt != 3 || trials[0].Worker != "me" {
			t.Errorf("completed %d; trial 0: %v, attempt %d, worker %q; want 2 completed, trial 0 completed by me at attempt 3",
				res.Completed, trials[0].State, trials[0].Attempt, trials[0].Worker)
		}
	})
}

// flakyStore fails every third call of the writing methods with an error
// that looks like a dropped connection; UpdateTrial fails after it has
// written, as when the reply is lost.
type flakyStore struct {
	Store
	calls atomic.Int64
}

var errDropped = errors.New("connection reset by peer")

func (f *flakyStore) fail() bool { return f.calls.Add(1)%3 == 0 }

func (f *flakyStore) Propose(ctx context.Context, study string, since int64, fn func([]TrialRecord, int64) (*TrialRecord, error)) (int, int64, error) {
	if f.fail() {
		return -1, 0, errDropped
	}
	return f.Store.Propose(ctx, study, since, fn)
}

func (f *flakyStore) UpdateTrial(ctx context.Context, study string, t TrialRecord) error {
	err := f.Store.UpdateTrial(ctx, study, t)
	if err == nil && f.fail() {
		return errDropped
	}
	return err
}

// TestFlakyStore: a store that drops a third of its calls costs time,
// not results: every trial is recorded once, and the study ends with
// its budget.
func TestFlakyStore(t *testing.T) {
	ctx := t.Context()
	mem := NewMemStore()
	st := &flakyStore{Store: mem}
	s := testSpace(t, xySpace)
	var logged atomic.Int32
	res, err := Run(ctx, Searchable[symbolic.Value](s), &randomAlgo{seed: 2}, func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
		x, _ := xy(t, tr.Program)
		if err := tr.Report(ctx, 1, Metrics{"reward": x / 2}); err != nil {
			return nil, err
		}
		return Metrics{"reward": x}, nil
	}, &Options{Store: st, Study: "s", Trials: 20, Workers: 2, Logf: func(string, ...any) { logged.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	trials, _ := mem.Trials(ctx, "s")
	if res.Completed != 20 || len(trials) != 20 {
		t.Errorf("%d completed of %d trials, want 20 of 20", res.Completed, len(trials))
	}
	if logged.Load() == 0 {
		t.Errorf("the retries were not logged")
	}
}

// TestInterruptedTrialIsTakenOver: a search interrupted mid-trial leaves
// the trial running, not failed; running the search again takes it over
// at once (its worker, this process's earlier run, no longer runs it).
func TestInterruptedTrialIsTakenOver(t *testing.T) {
	st := NewMemStore()
	s := testSpace(t, xySpace)
	ctx, cancel := context.WithCancel(t.Context())
	_, err := Run(ctx, Searchable[symbolic.Value](s), &randomAlgo{seed: 3}, func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
		if tr.Number == 2 {
			cancel()
			<-ctx.Done()
			return nil, ctx.Err()
		}
		return Metrics{"reward": 1}, nil
	}, &Options{Store: st, Study: "s", Trials: 5})
	if err != nil {
		t.Fatal(err)
	}
	trials, _ := st.Trials(t.Context(), "s")
	if len(trials) != 3 || trials[2].State != Running {
		t.Fatalf("after the interrupt: %d trials, the last %v; want 3, the last running", len(trials), trials[len(trials)-1].State)
	}
	start := time.Now()
	res, err := Run(t.Context(), Searchable[symbolic.Value](s), &randomAlgo{seed: 3}, func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
		return Metrics{"reward": 1}, nil
	}, &Options{Store: st, Study: "s", Trials: 5})
	if err != nil {
		t.Fatal(err)
	}
	trials, _ = st.Trials(t.Context(), "s")
	if res.Completed != 5 || len(trials) != 5 || trials[2].State != Completed || trials[2].Attempt != 2 {
		t.Errorf("resumed: %d completed of %d trials, trial 2 %v at attempt %d; want 5 of 5, trial 2 completed at attempt 2",
			res.Completed, len(trials), trials[2].State, trials[2].Attempt)
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("taking the interrupted trial over took %v", el)
	}
}

// recordingPolicy records what a stopping policy is told, and never stops.
type recordingPolicy struct {
	steps    map[int][]int
	finished map[int]bool
}

func (p *recordingPolicy) ShouldStop(trial, step int, reward float64) bool {
	p.steps[trial] = append(p.steps[trial], step)
	return false
}
func (p *recordingPolicy) Finish(trial int, completed bool) { p.finished[trial] = completed }

// TestStoppingPolicySeesEveryWorker: a worker's early-stopping policy is
// told the steps and ends of the trials other workers ran, once each, so
// that it compares a trial with the whole study.
func TestStoppingPolicySeesEveryWorker(t *testing.T) {
	st := NewMemStore()
	s := testSpace(t, xySpace)
	obj := func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
		for step := range 3 {
			if err := tr.Report(ctx, step, Metrics{"reward": float64(step)}); err != nil {
				return nil, err
			}
		}
		return Metrics{"reward": 1}, nil
	}
	first := &recordingPolicy{steps: map[int][]int{}, finished: map[int]bool{}}
	if _, err := Run(t.Context(), Searchable[symbolic.Value](s), &randomAlgo{seed: 1}, obj,
		&Options{Store: st, Study: "s", Trials: 4, Stopping: first, Worker: "a"}); err != nil {
		t.Fatal(err)
	}
	second := &recordingPolicy{steps: map[int][]int{}, finished: map[int]bool{}}
	if _, err := Run(t.Context(), Searchable[symbolic.Value](s), &randomAlgo{seed: 2}, obj,
		&Options{Store: st, Study: "s", Trials: 7, Stopping: second, Worker: "b"}); err != nil {
		t.Fatal(err)
	}
	for n := range 7 {
		if got := second.steps[n]; len(got) != 3 || got[0] != 0 || got[2] != 2 {
			t.Errorf("trial %d: the second worker's policy was told steps %v, want [0 1 2]", n, got)
		}
		if !second.finished[n] {
			t.Errorf("trial %d: the second worker's policy was not told it completed", n)
		}
	}
	if len(first.finished) != 4 {
		t.Errorf("the first worker's policy was told of %d ends, want its 4", len(first.finished))
	}
}
