package search

import (
	"context"
	"errors"
	"fmt"
	"maps"
)

// TellStepOptions refine TellStep. The zero value (and nil) records the
// step without asking a stopping policy.
type TellStepOptions struct {
	// Attempt, if not 0, is the attempt Ask handed out: a trial at
	// another attempt is ErrSuperseded.
	Attempt int
	// Stopping, if not nil, is a new instance of the study's stopping
	// policy (algorithms.NewStoppingPolicy of its config's
	// early_stopping), not used before: TellStep gives it the study's
	// steps and asks it about this one.
	Stopping StoppingPolicy
}

// TellStep records an intermediate step of a running trial Ask handed
// out (goglove tell --step): metrics measured at step, which must pass
// CheckMetrics (else ErrBadMetrics). It renews the trial's lease, if
// it has one (AskLease). Telling the trial's last step again,
// with the same metrics, records nothing (a retried call). Telling a
// trial that ended is ErrSuperseded, a trial a worker runs
// ErrWorkerTrial.
//
// stop reports whether opts.Stopping stops the trial: the policy is given
// every other trial's steps and end, in trial number order, as a worker
// catching up with the study gives them, then this trial's steps, this
// one last; stop is true if it stops the trial at any of them. The client
// should then end the trial, telling its last metrics as early-stopped
// (TellOptions.EarlyStopped). stop is false without a policy, and for a
// step whose metrics lack the study's primary objective.
func TellStep(ctx context.Context, st Store, study string, number, step int, m Metrics, opts *TellStepOptions) (rec TrialRecord, stop bool, err error) {
	var o TellStepOptions
	if opts != nil {
		o = *opts
	}
	if step < 0 {
		return TrialRecord{}, false, fmt.Errorf("search: trial %d: step %d, want an integer from 0", number, step)
	}
	if err := CheckMetrics(m); err != nil {
		return TrialRecord{}, false, fmt.Errorf("trial %d, step %d: %w", number, step, err)
	}
	info, trials, err := tellTarget(ctx, st, study, number, o.Attempt, false)
	if err != nil {
		return TrialRecord{}, false, err
	}
	t := trials[number]
	if t.State.Done() {
		return t, false, fmt.Errorf("%w: trial %d already ended (%s)", ErrSuperseded, number, t.State)
	}
	if n := len(t.Steps); n == 0 || t.Steps[n-1].Step != step || !maps.Equal(t.Steps[n-1].Metrics, m) {
		t.Steps = append(t.Steps, Step{Step: step, Metrics: copyMetrics(m)})
		if err := st.UpdateTrial(ctx, study, t); err != nil {
			if errors.Is(err, ErrSuperseded) {
				return trials[number], false, fmt.Errorf("%w: trial %d changed (it ended, or was handed out again)", ErrSuperseded, number)
			}
			return trials[number], false, err
		}
	}
	if t.Lease > 0 {
		// The step is a sign of life: it renews the asker's lease.
		if err := st.Heartbeat(ctx, study, number, t.Attempt); err != nil {
			return t, false, err
		}
	}
	if o.Stopping == nil || len(info.Objectives) == 0 {
		return t, false, nil
	}
	trials[number] = t
	return t, replayStops(o.Stopping, info.Objectives[0], trials, number), nil
}

// replayStops gives policy the steps of trials, each other trial's then
// its end, in number order, and last the steps of trial number; it
// reports whether the policy stopped that trial at any of them.
func replayStops(policy StoppingPolicy, primary Metric, trials []TrialRecord, number int) bool {
	objectives := []Metric{primary}
	feed := func(t TrialRecord) (stop bool) {
		for _, s := range t.Steps {
			if rw, err := rewards(objectives, s.Metrics); err == nil && policy.ShouldStop(t.Number, s.Step, rw[0]) {
				stop = true
			}
		}
		return stop
	}
	for _, t := range trials {
		if t.Number == number {
			continue
		}
		feed(t)
		if t.State.Done() {
			policy.Finish(t.Number, t.State == Completed)
		}
	}
	return feed(trials[number])
}
