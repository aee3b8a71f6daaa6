package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
)

// Ask proposes one trial of a study for code outside any worker to
// evaluate (goglove ask): the algorithm is rebuilt from the study's
// history, proposes under the store's proposal lock, and the trial is
// recorded as running, unwatched (no heartbeat, never taken over; see
// AskLease for a trial that is), until Tell records its result. When no
// trial can start, Ask returns nil and the reason: the budget is spent,
// the algorithm is done, or the budget is taken by trials still running.
// It is AskLease without a lease.
func Ask[T any](ctx context.Context, s Searchable[T], algo algorithms.Algorithm, opts *Options) (*TrialRecord, string, error) {
	return AskLease(ctx, s, algo, opts, 0)
}

// MaxLease is the longest lease AskLease gives.
const MaxLease = 7 * 24 * time.Hour

// AskLease is Ask with a lease (goglove ask --lease): if lease is
// positive, the trial handed out is the asker's for that long after each
// sign of life (Ask itself, then each TellStep), and stale after it
// (TrialRecord.Lease): a worker, or the next AskLease, takes it over as
// it takes over a stopped worker's trial (a new attempt, or failed as
// abandoned at opts.MaxAttempts). An AskLease first takes over such a
// stale trial of the study, if there is one, and hands it out with its
// own lease; the result of the old attempt is then refused.
// A lease must be at most MaxLease.
func AskLease[T any](ctx context.Context, s Searchable[T], algo algorithms.Algorithm, opts *Options, lease time.Duration) (*TrialRecord, string, error) {
	if lease < 0 || lease > MaxLease {
		return nil, "", fmt.Errorf("search: lease %v, want one from 0 (none) to %v", lease, MaxLease)
	}
	o := opts.withDefaults()
	if opts == nil || opts.Worker == "" {
		host, _ := os.Hostname()
		o.Worker = "ask@" + host // not host:pid: the asking process ends at once
	}
	r, err := newRunner(ctx, s, algo, &o)
	if err != nil {
		return nil, "", err
	}
	defer r.close()
	r.unwatched = true
	if lease > 0 {
		r.lease = lease
		rec, err := o.Store.Reclaim(ctx, o.Study, ReclaimRequest{Worker: o.Worker, Timeout: o.HeartbeatTimeout,
			MaxAttempts: o.MaxAttempts, Lease: lease})
		switch {
		case err == nil:
			return &rec, "", nil
		case !errors.Is(err, ErrNotFound):
			return nil, "", err
		}
	}
	t, outcome, err := r.propose(ctx)
	if err != nil {
		return nil, "", err
	}
	if t == nil {
		r.mu.Lock()
		defer r.mu.Unlock()
		reason := r.stopReason()
		if outcome == proposeWait || outcome == proposeReclaim {
			reason = fmt.Sprintf("the budget is taken by %d running trials", r.view.count[Running])
		}
		if reason == "" {
			reason = "the program of the proposed DNA did not decode"
		}
		return nil, reason, nil
	}
	rec := t.rec
	return &rec, "", nil
}

// Tell records the result of a running trial of a study (one Ask handed
// out): its metrics, which must hold every objective as a finite number
// (else ErrBadMetrics), or, if failure is not "", that it failed for that
// reason. Telling a trial's result again is a no-op; telling another
// result of an ended trial is ErrSuperseded; telling a trial a worker
// runs is ErrWorkerTrial. It is TellWith without options.
func Tell(ctx context.Context, st Store, study string, number int, m Metrics, failure string) (TrialRecord, error) {
	return TellWith(ctx, st, study, number, m, failure, nil)
}

// TellOptions refine TellWith. The zero value (and nil) is Tell.
type TellOptions struct {
	// Attempt, if not 0, is the attempt Ask handed out
	// (TrialRecord.Attempt): a trial at another attempt is ErrSuperseded.
	Attempt int
	// Force records the result of a trial a worker runs (one with a
	// heartbeat), which is otherwise ErrWorkerTrial: the worker's own
	// result is then refused (ErrSuperseded), and the worker stops it.
	Force bool
	// EarlyStopped records the metrics as those of a trial stopped early
	// (state EarlyStopped, as after TellStep said stop) instead of
	// completed.
	EarlyStopped bool
}

// TellWith is Tell with options: the attempt Ask handed out, which the
// trial must still be at, and whether a trial a worker runs may be told.
// Metrics are checked with CheckMetrics (every metric, not only the
// objectives, must be finite and well named); a failure reason is kept
// as every store can keep it (invalid UTF-8 replaced, NUL bytes removed).
func TellWith(ctx context.Context, st Store, study string, number int, m Metrics, failure string, opts *TellOptions) (TrialRecord, error) {
	var o TellOptions
	if opts != nil {
		o = *opts
	}
	info, trials, err := tellTarget(ctx, st, study, number, o.Attempt, o.Force)
	if err != nil {
		if number >= 0 && number < len(trials) {
			return trials[number], err
		}
		return TrialRecord{}, err
	}
	t := trials[number]
	if failure != "" {
		t.State, t.Metrics, t.Error = Failed, nil, storableText(failure)
	} else {
		if _, err := rewards(info.Objectives, m); err != nil {
			return t, err
		}
		t.State, t.Metrics, t.Error = Completed, copyMetrics(m), ""
		if o.EarlyStopped {
			t.State = EarlyStopped
		}
	}
	if trials[number].State == Running {
		t.Finished = time.Now()
	}
	if err := st.UpdateTrial(ctx, study, t); err != nil {
		if errors.Is(err, ErrSuperseded) {
			return trials[number], fmt.Errorf("%w: it already ended (%s)", ErrSuperseded, trials[number].State)
		}
		return t, err
	}
	return t, nil
}

// tellTarget finds trial number of study for Tell and TellStep: the
// study, and its trials (trials[number] is the trial). The trial must be
// at attempt (if not 0) and, unless force, not run by a worker (it has
// a heartbeat and no lease): else the error is ErrSuperseded or ErrWorkerTrial.
func tellTarget(ctx context.Context, st Store, study string, number, attempt int, force bool) (StudyInfo, []TrialRecord, error) {
	info, err := st.Study(ctx, study)
	if err != nil {
		return StudyInfo{}, nil, err
	}
	trials, err := st.Trials(ctx, study)
	if err != nil {
		return StudyInfo{}, nil, err
	}
	if number < 0 || number >= len(trials) || trials[number].Number != number {
		return StudyInfo{}, nil, fmt.Errorf("%w: trial %d of study %q (it has trials 0 to %d)", ErrNotFound, number, study, len(trials)-1)
	}
	t := trials[number]
	if attempt != 0 && attempt != t.Attempt {
		return info, trials, fmt.Errorf("%w: trial %d is at attempt %d, not %d", ErrSuperseded, number, t.Attempt, attempt)
	}
	if t.State == Running && !t.Heartbeat.IsZero() && t.Lease == 0 && !force {
		return info, trials, fmt.Errorf("%w: trial %d is run by worker %s (attempt %d), not handed out by ask; force to replace its result",
			ErrWorkerTrial, number, quoteName(t.Worker), t.Attempt)
	}
	return info, trials, nil
}
