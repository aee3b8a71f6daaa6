package search

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/c2602f9e/goglove/symbolic"
)

// downStore is a store whose every call fails, as a database that is
// down does, between two instants of the (fake) clock.
type downStore struct {
	Store
	from, until time.Time
}

func (d *downStore) down() error {
	if now := time.Now(); !now.Before(d.from) && now.Before(d.until) {
		return errDropped
	}
	return nil
}

func (d *downStore) Study(ctx context.Context, name string) (StudyInfo, error) {
	if err := d.down(); err != nil {
		return StudyInfo{}, err
	}
	return d.Store.Study(ctx, name)
}

func (d *downStore) Trials(ctx context.Context, study string) ([]TrialRecord, error) {
	if err := d.down(); err != nil {
		return nil, err
	}
	return d.Store.Trials(ctx, study)
}

func (d *downStore) Propose(ctx context.Context, study string, since int64, fn func([]TrialRecord, int64) (*TrialRecord, error)) (int, int64, error) {
	if err := d.down(); err != nil {
		return -1, 0, err
	}
	return d.Store.Propose(ctx, study, since, fn)
}

func (d *downStore) UpdateTrial(ctx context.Context, study string, t TrialRecord) error {
	if err := d.down(); err != nil {
		return err
	}
	return d.Store.UpdateTrial(ctx, study, t)
}

func (d *downStore) Heartbeat(ctx context.Context, study string, number, attempt int) error {
	if err := d.down(); err != nil {
		return err
	}
	return d.Store.Heartbeat(ctx, study, number, attempt)
}

func (d *downStore) Reclaim(ctx context.Context, study string, req ReclaimRequest) (TrialRecord, error) {
	if err := d.down(); err != nil {
		return TrialRecord{}, err
	}
	return d.Store.Reclaim(ctx, study, req)
}

// TestResultKeptThroughLongOutage: the database goes down while a trial
// runs and stays down for five minutes, longer than the two minutes
// (the default RetryFor) other store calls are retried for. The
// finished result is kept and retried until the database is back, with
// a line saying so; nothing is run twice. Fake time (testing/synctest)
// makes the five minutes instant.
func TestResultKeptThroughLongOutage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mem := NewMemStore()
		start := time.Now()
		st := &downStore{Store: mem, from: start.Add(time.Second), until: start.Add(5*time.Minute + time.Second)}
		s := testSpace(t, xySpace)
		var (
			mu    sync.Mutex
			notes []string
			calls int
		)
		res, err := Run(t.Context(), Searchable[symbolic.Value](s), &randomAlgo{seed: 4},
			func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
				mu.Lock()
				calls++
				mu.Unlock()
				time.Sleep(2 * time.Second) // the database goes down meanwhile
				return Metrics{"reward": 1}, nil
			}, &Options{Store: st, Study: "s", Trials: 2, Logf: func(format string, args ...any) {
				mu.Lock()
				notes = append(notes, fmt.Sprintf(format, args...))
				mu.Unlock()
			}})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		trials, _ := mem.Trials(t.Context(), "s")
		if res.Completed != 2 || len(trials) != 2 || calls != 2 {
			t.Errorf("%d completed of %d trials, %d evaluations; want 2 of 2, 2 evaluations", res.Completed, len(trials), calls)
		}
		if el := time.Since(start); el < 5*time.Minute {
			t.Errorf("the search ended after %v, before the database was back", el)
		}
		all := strings.Join(notes, "\n")
		for _, want := range []string{"keeping it and retrying until the store is back", "recording the result of trial 0 succeeded"} {
			if !strings.Contains(all, want) {
				t.Errorf("no note %q in:\n%s", want, all)
			}
		}
	})
}

// TestInterruptedOutageGivesUp: once the search is interrupted, a result
// the store cannot take is retried for RetryFor more, then given up with
// a line saying the trial will run again, so that Ctrl-C ends a worker
// whose database is gone.
func TestInterruptedOutageGivesUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mem := NewMemStore()
		start := time.Now()
		st := &downStore{Store: mem, from: start.Add(time.Second), until: start.Add(time.Hour)}
		s := testSpace(t, xySpace)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var (
			mu    sync.Mutex
			notes []string
		)
		go func() {
			time.Sleep(10 * time.Second)
			cancel()
		}()
		_, _ = Run(ctx, Searchable[symbolic.Value](s), &randomAlgo{seed: 4},
			func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
				time.Sleep(2 * time.Second)
				return Metrics{"reward": 1}, nil
			}, &Options{Store: st, Study: "s", Trials: 2, RetryFor: time.Minute, Logf: func(format string, args ...any) {
				mu.Lock()
				notes = append(notes, fmt.Sprintf(format, args...))
				mu.Unlock()
			}})
		el := time.Since(start)
		if el < 70*time.Second || el > 3*time.Minute {
			t.Errorf("the interrupted search ended after %v; want about the interrupt (10s) plus RetryFor (1m) plus the summary's retries", el)
		}
		if all := strings.Join(notes, "\n"); !strings.Contains(all, "trial 0: its result could not be recorded, so it will be run again") {
			t.Errorf("no note on the lost result in:\n%s", all)
		}
	})
}

// TestSummaryRetried: a search whose trials all ended is not failed by a
// store that drops its connections just then: Run's closing summary is
// retried like every other call.
func TestSummaryRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mem := NewMemStore()
		start := time.Now()
		// Two trials of 2s each: the outage starts as the last one ends.
		st := &downStore{Store: mem, from: start.Add(4 * time.Second), until: start.Add(20 * time.Second)}
		s := testSpace(t, xySpace)
		res, err := Run(t.Context(), Searchable[symbolic.Value](s), &randomAlgo{seed: 5},
			func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
				time.Sleep(2 * time.Second)
				return Metrics{"reward": 1}, nil
			}, &Options{Store: st, Study: "s", Trials: 2})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if res.Completed != 2 {
			t.Errorf("%d completed, want 2", res.Completed)
		}
	})
}
