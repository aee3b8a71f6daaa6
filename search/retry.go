package search

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// retry calls fn until it succeeds, fails with an error that retrying
// cannot cure (see transient), ctx ends or Options.RetryFor has passed,
// waiting between calls with exponential backoff and jitter. Every store
// call of a runner goes through it, so a worker rides out a database
// that restarts or a network that drops. Retrying is safe: a retried
// result report is a no-op (Store.UpdateTrial), and a proposal whose
// commit was lost leaves a trial nobody beats for, which is reclaimed.
func retry[T, R any](ctx context.Context, r *runner[T], what string, fn func() (R, error)) (R, error) {
	var res R
	err := retryErr(ctx, r, what, func() (err error) {
		res, err = fn()
		return err
	})
	return res, err
}

// retryErr is retry for calls that return only an error.
func retryErr[T any](ctx context.Context, r *runner[T], what string, fn func() error) error {
	return retryFor(ctx, r, what, r.opts.RetryFor, fn)
}

// retryForever is retryErr without the time limit, for what must not be
// lost while the process lives: a finished trial's result. It gives up
// only on an error that retrying cannot cure, or when ctx ends; it says
// every so often that it is still trying.
func retryForever[T any](ctx context.Context, r *runner[T], what string, fn func() error) error {
	return retryFor(ctx, r, what, 0, fn)
}

// retryFor retries fn for up to limit (0: no limit).
func retryFor[T any](ctx context.Context, r *runner[T], what string, limit time.Duration, fn func() error) error {
	start := time.Now()
	wait := 50 * time.Millisecond
	lastNote := start
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !transient(err) || ctx.Err() != nil || limit > 0 && time.Since(start)+wait > limit {
			if err == nil && attempt > 1 {
				r.logf("store: %s succeeded after %d tries (%s)", what, attempt, time.Since(start).Round(time.Millisecond))
			}
			return err
		}
		switch {
		case attempt == 1 && limit > 0:
			r.logf("store: %s failed, retrying for up to %s: %v", what, limit.Round(time.Second), err)
		case attempt == 1:
			r.logf("store: %s failed, keeping it and retrying until the store is back: %v", what, err)
		case attempt%5 == 0 && (limit > 0 || time.Since(lastNote) >= 30*time.Second):
			r.logf("store: %s still failing after %d tries (%s): %v", what, attempt, time.Since(start).Round(time.Second), err)
			lastNote = time.Now()
		}
		d := wait/2 + rand.N(wait/2+1)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// transient reports whether err may go away if the call is made again:
// any error but the store's answers (not found, exists, superseded, data
// it refuses), bad input, the algorithm's own errors and a context's end.
func transient(err error) bool {
	var pe *permanentError
	var se *symbolic.Error
	var spe *space.Error
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrExists), errors.Is(err, ErrSuperseded),
		errors.Is(err, ErrFinished), errors.Is(err, ErrBadMetrics), errors.Is(err, ErrTooManyFailures),
		errors.Is(err, ErrInvalidName), errors.Is(err, ErrBadData), errors.Is(err, ErrWorkerTrial),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &pe), errors.As(err, &se), errors.As(err, &spe):
		return false
	}
	return true
}

// permanentError marks an error retrying cannot cure (an algorithm's).
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }
