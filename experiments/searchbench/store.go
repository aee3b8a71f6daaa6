package searchbench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/algorithms/problems"
	"github.com/c2602f9e/goglove/internal/stats"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
)

// StoreOptions are the options of Store. Trials, Reps and Workers must be
// at least 1, Delay 0 or more.
type StoreOptions struct {
	// Trials is the number of trials of each overhead run; each scaling
	// run has a third as many (at least 1).
	Trials int
	// Reps is the number of times each measurement is repeated; the
	// median is reported.
	Reps int
	// Delay is the time each trial of a scaling run takes.
	Delay time.Duration
	// Workers is the number of workers of the scaling runs.
	Workers int
	// Progress, if not nil, hears one line after each run, e.g.
	// "overhead run 1 of 3: 0.412 ms per trial".
	Progress func(line string)
}

// StoreFigures are what Store measures, medians over the repetitions,
// not rounded.
type StoreFigures struct {
	// OverheadMSPerTrial is a store's cost per trial, in ms, with a
	// trivial objective and one worker.
	OverheadMSPerTrial float64
	// OneWorkerPerS and WorkersPerS are the trials per second of
	// trials taking Delay with one worker and with Workers workers;
	// Speedup is WorkersPerS / OneWorkerPerS.
	OneWorkerPerS, WorkersPerS, Speedup float64
}

// Store measures a store: its overhead per trial (random search over
// branin's box with a trivial objective, one worker), then how workers
// sharing a study on it scale, each worker a search.Run of its own with
// its own store handle from open (as separate processes would have), but
// one for an in-memory store. open is called once, and Workers-1 times
// more unless it returns a *search.MemStore. Each run is a study of its
// own, named bench-store-STAMP-KIND-REP.
func Store(ctx context.Context, open func() (search.Store, error), opts StoreOptions) (*StoreFigures, error) {
	progress := func(format string, args ...any) {
		if opts.Progress != nil {
			opts.Progress(fmt.Sprintf(format, args...))
		}
	}
	shared, err := open()
	if err != nil {
		return nil, err
	}
	defer shared.Close()
	stamp := time.Now().UnixNano()
	study := func(kind string, rep int) string { return fmt.Sprintf("bench-store-%d-%s-%d", stamp, kind, rep) }

	var overhead, one, many []float64
	for rep := range opts.Reps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d, err := StoreRun(ctx, []search.Store{shared}, study("overhead", rep), opts.Trials, 0, 1)
		if err != nil {
			return nil, err
		}
		overhead = append(overhead, d.Seconds()*1000/float64(opts.Trials))
		progress("overhead run %d of %d: %.3f ms per trial", rep+1, opts.Reps, overhead[rep])
	}
	stores := []search.Store{shared}
	if _, mem := shared.(*search.MemStore); !mem {
		for range opts.Workers - 1 {
			st, err := open()
			if err != nil {
				return nil, err
			}
			defer st.Close()
			stores = append(stores, st)
		}
	}
	scaleTrials := max(1, opts.Trials/3)
	for rep := range opts.Reps {
		d, err := StoreRun(ctx, stores[:1], study("one", rep), scaleTrials, opts.Delay, 1)
		if err != nil {
			return nil, err
		}
		one = append(one, float64(scaleTrials)/d.Seconds())
		d, err = StoreRun(ctx, stores, study("many", rep), scaleTrials, opts.Delay, opts.Workers)
		if err != nil {
			return nil, err
		}
		many = append(many, float64(scaleTrials)/d.Seconds())
		progress("scaling run %d of %d: %.1f trials/s with 1 worker, %.1f with %d", rep+1, opts.Reps, one[rep], many[rep], opts.Workers)
	}
	return &StoreFigures{
		OverheadMSPerTrial: stats.Median(overhead),
		OneWorkerPerS:      stats.Median(one),
		WorkersPerS:        stats.Median(many),
		Speedup:            stats.Median(many) / stats.Median(one),
	}, nil
}

// StoreRun runs one study of random search over branin's box with n
// workers, each a search.Run of its own on stores[i % len(stores)], each
// trial taking delay, until trials trials completed, and returns the time
// until the last trial ended.
func StoreRun(ctx context.Context, stores []search.Store, study string, trials int, delay time.Duration, n int) (time.Duration, error) {
	p := problems.Branin()
	objective := func(ctx context.Context, t *search.Trial[symbolic.Value]) (search.Metrics, error) {
		if delay > 0 {
			time.Sleep(delay)
		}
		return search.Metrics{"value": 1}, nil
	}
	objectives := []search.Metric{{Name: "value", Direction: search.Minimize}}
	if err := search.OpenStudy(ctx, &search.Options{Store: stores[0], Study: study, Objectives: objectives}); err != nil {
		return 0, err
	}
	start := time.Now()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for w := range n {
		wg.Go(func() {
			_, err := search.Run(ctx, search.Searchable[symbolic.Value](p.Space()), &algorithms.Random{Seed: uint64(w)}, objective,
				&search.Options{Store: stores[w%len(stores)], Study: study, Trials: trials, Objectives: objectives,
					Worker: fmt.Sprintf("bench-%d", w)})
			if err != nil {
				mu.Lock()
				first = err
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if first != nil {
		return 0, first
	}
	// The time until the budget was met: the last trial's end. (Workers
	// notice it within a poll interval, and the first to see it returns
	// at once, the others up to a poll later: not throughput.)
	recs, err := stores[0].Trials(ctx, study)
	if err != nil {
		return 0, err
	}
	var last time.Time
	for _, t := range recs {
		if t.State == search.Completed && t.Finished.After(last) {
			last = t.Finished
		}
	}
	return last.Sub(start), nil
}
