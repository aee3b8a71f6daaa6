package search

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/c2602f9e/goglove/space"
)

// Trial is one evaluation of a search: the DNA the algorithm proposed, the
// program it decodes to, and the feedback handle. Give each trial exactly
// one of Finish, Fail or Skip; Sample records a trial the loop body
// leaves without feedback as failed. A Trial is safe for concurrent use.
type Trial[T any] struct {
	// Number is the trial's number in its study, from 0.
	Number int
	// DNA is the proposed DNA.
	DNA space.DNA
	// Program is the decoded program.
	Program T

	r    *runner[T]
	mu   sync.Mutex
	rec  TrialRecord
	done bool
	stop bool
	lost atomic.Bool // another worker took the trial over
}

// supersede marks the trial as taken over by another worker. It takes
// no lock, so the runner may call it holding its own.
func (t *Trial[T]) supersede() { t.lost.Store(true) }

// DNAText returns the DNA's numbers form, e.g. [0, 1, 0.5].
func (t *Trial[T]) DNAText() string { return t.rec.DNAText }

// Study returns the name of the trial's study.
func (t *Trial[T]) Study() string { return t.r.opts.Study }

// Report records metrics measured at an intermediate step (an epoch, a
// budget rung) and asks the stopping policy about the trial; see
// ShouldStop. Steps should increase. Metrics CheckMetrics refuses (NaN,
// an infinity, a name that is not valid UTF-8) are not recorded:
// ErrBadMetrics.
func (t *Trial[T]) Report(ctx context.Context, step int, m Metrics) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return fmt.Errorf("%w: trial %d", ErrFinished, t.Number)
	}
	if err := CheckMetrics(m); err != nil {
		return fmt.Errorf("trial %d, step %d: %w", t.Number, step, err)
	}
	t.rec.Steps = append(t.rec.Steps, Step{Step: step, Metrics: copyMetrics(m)})
	rec := t.rec
	if err := retryErr(ctx, t.r, "report", func() error {
		return t.r.opts.Store.UpdateTrial(ctx, t.r.opts.Study, rec)
	}); err != nil {
		if errors.Is(err, ErrSuperseded) {
			t.lost.Store(true)
		}
		return err
	}
	if t.r.opts.Stopping == nil {
		return nil
	}
	rw, err := rewards(t.r.opts.Objectives[:1], m)
	if err != nil {
		return nil // the primary metric is not reported at this step
	}
	t.r.mu.Lock()
	stop := t.r.opts.Stopping.ShouldStop(t.Number, step, rw[0])
	t.r.mu.Unlock()
	t.stop = t.stop || stop
	return nil
}

// ShouldStop reports whether the stopping policy stopped the trial: the
// body should end it now, with Finish (recorded as early-stopped) or Skip.
func (t *Trial[T]) ShouldStop() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stop || t.lost.Load()
}

// Finish ends the trial with its final metrics, which must hold every
// objective metric as a finite number (else the trial is recorded as
// failed and ErrBadMetrics returned). A trial stopped early is recorded
// as early-stopped.
func (t *Trial[T]) Finish(ctx context.Context, m Metrics) error {
	t.mu.Lock()
	state := Completed
	if t.stop {
		state = EarlyStopped
	}
	t.mu.Unlock()
	if m == nil {
		m = Metrics{} // checked like any metrics: the objectives are missing
	}
	return t.finish(ctx, state, copyMetrics(m), "")
}

// Fail ends the trial as failed, with err as the reason.
func (t *Trial[T]) Fail(ctx context.Context, err error) error {
	reason := "failed"
	if err != nil {
		reason = err.Error()
	}
	return t.finish(ctx, Failed, nil, reason)
}

// Skip ends the trial without a measurement (the algorithm learns nothing
// from it), with the reason given.
func (t *Trial[T]) Skip(ctx context.Context, reason string) error {
	return t.finish(ctx, Skipped, nil, reason)
}

// Done reports whether the trial has been given its feedback.
func (t *Trial[T]) Done() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.done
}

func (t *Trial[T]) finish(ctx context.Context, state State, m Metrics, reason string) error {
	t.mu.Lock()
	if t.done {
		t.mu.Unlock()
		return fmt.Errorf("%w: trial %d", ErrFinished, t.Number)
	}
	t.done = true
	t.mu.Unlock()
	return t.r.finish(ctx, t, state, m, reason)
}

// release gives the trial up without a result, as a search that is
// interrupted does: it stays running in the store, its heartbeats stop,
// and a worker takes it over (at once when the worker is a process of
// this host that has exited, as when the search is run again; else once
// its heartbeat is older than the timeout).
func (t *Trial[T]) release() {
	t.mu.Lock()
	if t.done {
		t.mu.Unlock()
		return
	}
	t.done = true
	t.mu.Unlock()
	r := t.r
	r.mu.Lock()
	delete(r.active, t.Number)
	close(r.wake)
	r.wake = make(chan struct{})
	r.mu.Unlock()
}

// Inner returns options for a search nested in this trial (for example an
// architecture search inside a hardware-configuration trial): the
// caller's options o for the inner search (nil: all defaults) with its
// budget (Trials, Completed, Duration), failure limit (MaxFailures),
// Workers, Limit and Stopping kept as given, completed from this trial's
// search: the same store, the objectives, heartbeats, retries, worker
// name and Logf unless o sets them, and a study named after this trial,
// "OUTER/trial-N/NAME", so that inner studies are recorded under it. The
// outer search's budgets, early stopping and Progress never pass to the
// inner one.
func (t *Trial[T]) Inner(name string, o *Options) *Options {
	var in Options
	if o != nil {
		in = *o
	}
	outer := t.r.opts
	in.Study = InnerStudyName(outer.Study, t.Number, name)
	if in.Store == nil {
		in.Store = outer.Store
	}
	if len(in.Objectives) == 0 {
		in.Objectives = outer.Objectives
	}
	if in.Worker == "" {
		in.Worker = outer.Worker
	}
	if in.HeartbeatInterval == 0 && in.HeartbeatTimeout == 0 {
		in.HeartbeatInterval, in.HeartbeatTimeout = outer.HeartbeatInterval, outer.HeartbeatTimeout
	}
	if in.MaxAttempts == 0 {
		in.MaxAttempts = outer.MaxAttempts
	}
	if in.RetryFor == 0 {
		in.RetryFor = outer.RetryFor
	}
	if in.Logf == nil {
		in.Logf = outer.Logf
	}
	return &in
}

// Elapsed returns the time since the trial was created.
func (t *Trial[T]) Elapsed() time.Duration { return time.Since(t.rec.Created) }

func copyMetrics(m Metrics) Metrics {
	if m == nil {
		return nil
	}
	c := make(Metrics, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
