package search

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
)

// Objective evaluates a trial's program and returns its final metrics. It
// may report intermediate metrics with t.Report and end early when
// t.ShouldStop says so. It must honour ctx.
type Objective[T any] func(ctx context.Context, t *Trial[T]) (Metrics, error)

// Run searches s with algo, evaluating objective on opts.Workers trials at
// a time, until the budget is spent, the algorithm is done or ctx is
// cancelled. An objective that panics, returns an error, or returns NaN
// or an infinity makes a failed trial; the search goes on. When ctx is
// cancelled (Ctrl-C), Run returns what was found, with Interrupted set.
//
// The error is non-nil only when the search could not go on: a failing
// store, an algorithm that cannot be set up, too many failed trials.
func Run[T any](ctx context.Context, s Searchable[T], algo algorithms.Algorithm, objective Objective[T], opts *Options) (*Result, error) {
	if objective == nil {
		return nil, errNoObjective
	}
	r, err := newRunner(ctx, s, algo, opts)
	if err != nil {
		return nil, err
	}
	defer r.close()
	// The time budget stops new trials (see runner.stopReason); trials
	// running when it is spent finish.
	runCtx := ctx
	var (
		wg       sync.WaitGroup
		errMu    sync.Mutex
		firstErr error
	)
	for range r.opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				t, err := r.next(runCtx)
				if err != nil {
					errMu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					errMu.Unlock()
					return
				}
				if t == nil {
					return
				}
				evaluate(runCtx, t, objective)
				errMu.Lock()
				stop := firstErr != nil
				errMu.Unlock()
				if stop {
					return
				}
			}
		}()
	}
	wg.Wait()
	// The summary's reads retry like every other store call: a connection
	// dropped after the last trial must not fail a search whose trials
	// all ended.
	res, err := retry(context.WithoutCancel(ctx), r, "summarize", func() (*Result, error) {
		return Summarize(context.WithoutCancel(ctx), r.opts.Store, r.opts.Study)
	})
	if err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(r.start)
	res.Interrupted = ctx.Err() != nil
	r.mu.Lock()
	res.StopReason = r.stopReason()
	r.mu.Unlock()
	switch {
	case res.Interrupted:
		res.StopReason = "interrupted"
	case firstErr != nil:
		res.StopReason = firstErr.Error()
	}
	return res, firstErr
}

// evaluate runs the objective on one trial and records the outcome.
func evaluate[T any](ctx context.Context, t *Trial[T], objective Objective[T]) {
	m, err := callObjective(ctx, t, objective)
	if t.Done() {
		return // the objective gave feedback itself
	}
	switch {
	case err != nil && ctx.Err() != nil:
		t.release() // interrupted: left to be taken over, not failed
	case err != nil:
		_ = t.Fail(ctx, err)
	default:
		_ = t.Finish(ctx, m)
	}
}

// callObjective calls the objective, turning a panic into an error that
// names where it happened.
func callObjective[T any](ctx context.Context, t *Trial[T], objective Objective[T]) (m Metrics, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("objective panicked: %v (at %s)", p, panicSite(debug.Stack()))
		}
	}()
	return objective(ctx, t)
}

// panicSite returns the first frame of a stack trace outside the runtime
// and this package, as "file:line".
func panicSite(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i := 1; i+1 < len(lines); i += 2 {
		fn, loc := strings.TrimSpace(lines[i]), strings.TrimSpace(lines[i+1])
		if strings.HasPrefix(fn, "runtime") || strings.HasPrefix(fn, "panic(") || strings.Contains(fn, "goglove/search.") {
			continue
		}
		if j := strings.LastIndex(loc, " +"); j > 0 {
			loc = loc[:j]
		}
		return loc
	}
	return "unknown"
}

var errNoObjective = errors.New("search: no objective")
