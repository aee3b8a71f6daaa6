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
// recorded as running, unwatched (no heartbeat, never taken over), until
// Tell records its result. When no trial can start, Ask returns nil and
// the reason: the budget is spent, the algorithm is done, or the budget
// is taken by trials still running.
func Ask[T any](ctx context.Context, s Searchable[T], algo algorithms.Algorithm, opts *Options) (*TrialRecord, string, error) {
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
// result of an ended trial is ErrSuperseded.
func Tell(ctx context.Context, st Store, study string, number int, m Metrics, failure string) (TrialRecord, error) {
	info, err := st.Study(ctx, study)
	if err != nil {
		return TrialRecord{}, err
	}
	trials, err := st.Trials(ctx, study)
	if err != nil {
		return TrialRecord{}, err
	}
	if number < 0 || number >= len(trials) || trials[number].Number != number {
		return TrialRecord{}, fmt.Errorf("%w: trial %d of study %q (it has trials 0 to %d)", ErrNotFound, number, study, len(trials)-1)
	}
	t := trials[number]
	if failure != "" {
		t.State, t.Metrics, t.Error = Failed, nil, failure
	} else {
		if _, err := rewards(info.Objectives, m); err != nil {
			return t, err
		}
		t.State, t.Metrics, t.Error = Completed, copyMetrics(m), ""
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
