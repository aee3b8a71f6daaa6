package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/algorithms/problems"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/spf13/cobra"
)

// benchStoreOptions are the flags of "goglove bench store".
type benchStoreOptions struct {
	Store   string
	Trials  int
	Reps    int
	Delay   time.Duration
	Workers int
	JSON    bool
}

const benchStoreUsage = "goglove bench store [--store URL] [--trials N] [--reps N] [--delay D] [--workers N] [--json]"

func newBenchStoreCmd() *cobra.Command {
	var opts benchStoreOptions
	cmd := &cobra.Command{
		Use:   "store [flags]",
		Short: "Measure a store's cost per trial and how workers scale on it",
		Long: `Store measures what a durable study costs, on the store --store names
(default: a new SQLite file in a temporary directory, removed after):

  - overhead: random search over branin's two floats with an objective
    that returns at once, one worker, --trials trials: the time per trial
    of proposing under the study's lock, recording, heartbeats and
    feedback, the median of --reps runs;
  - scaling: random search with an objective that sleeps --delay (20ms),
    a third of --trials trials, first with one worker, then with --workers
    workers, each a search of its own with its own connection to the
    store, as separate processes would be: trials per second until the
    budget was met (the last trial's end), and their ratio.

Each run is a new study named bench-store-…; with a database store, those
studies stay in it. With --json it prints one object:

    {"store": "sqlite", "overhead_ms_per_trial": ..., "one_worker_per_s": ...,
     "workers_per_s": ..., "workers": 4, "speedup": ..., "delay_ms": 20,
     "trials": ..., "reps": ...}`,
		Example: `  goglove bench store
  goglove bench store --store postgres://postgres@127.0.0.1:5432/test --json`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBenchStore(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Store, "store", "", "URL of the store to measure (default: a temporary SQLite file)")
	f.IntVar(&opts.Trials, "trials", 300, "trials of each search")
	f.IntVar(&opts.Reps, "reps", 3, "repetitions of each measurement (the median is reported)")
	f.DurationVar(&opts.Delay, "delay", 20*time.Millisecond, "how long the objective of the scaling runs takes")
	f.IntVar(&opts.Workers, "workers", 4, "workers of the second scaling run")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object instead of text")
	return cmd
}

// storeFigures is what bench store reports.
type storeFigures struct {
	Store              string  `json:"store"`
	OverheadMSPerTrial float64 `json:"overhead_ms_per_trial"`
	OneWorkerPerS      float64 `json:"one_worker_per_s"`
	WorkersPerS        float64 `json:"workers_per_s"`
	Workers            int     `json:"workers"`
	Speedup            float64 `json:"speedup"`
	DelayMS            float64 `json:"delay_ms"`
	Trials             int     `json:"trials"`
	Reps               int     `json:"reps"`
}

func runBenchStore(ctx context.Context, opts benchStoreOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkArgCount("bench store", args, 0, benchStoreUsage); err != nil {
		return err
	}
	if opts.Trials < 1 || opts.Reps < 1 || opts.Workers < 1 || opts.Delay < 0 {
		return usageErrorf("bench store: --trials, --reps and --workers must be at least 1, --delay 0 or more")
	}
	url := opts.Store
	if url == "" {
		dir, err := os.MkdirTemp("", "goglove-bench-store-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		url = "sqlite://" + filepath.Join(dir, "bench.db")
	}
	scheme, _, _ := strings.Cut(url, "://")
	fig := storeFigures{Store: strings.ToLower(scheme), Workers: opts.Workers, DelayMS: float64(opts.Delay) / 1e6,
		Trials: opts.Trials, Reps: opts.Reps}
	open := func() (search.Store, error) { return openStore(ctx, url, newRegistry()) }
	shared, err := open()
	if err != nil {
		return err
	}
	defer shared.Close()
	stamp := time.Now().UnixNano()
	study := func(kind string, rep int) string { return fmt.Sprintf("bench-store-%d-%s-%d", stamp, kind, rep) }
	progress := func(format string, args ...any) {
		if !opts.JSON || isTerminal(stderr) {
			note(stderr, format, args...)
		}
	}

	var overhead, one, many []float64
	for rep := range opts.Reps {
		if err := ctx.Err(); err != nil {
			return err
		}
		d, err := benchStoreRun(ctx, []search.Store{shared}, study("overhead", rep), opts.Trials, 0, 1)
		if err != nil {
			return err
		}
		overhead = append(overhead, d.Seconds()*1000/float64(opts.Trials))
		progress("overhead run %d of %d: %.3f ms per trial", rep+1, opts.Reps, overhead[rep])
	}
	// The scaling runs use a worker's own store handle each (as separate
	// processes would), opened once; an in-memory store has one.
	stores := []search.Store{shared}
	if scheme != "mem" {
		for range opts.Workers - 1 {
			st, err := open()
			if err != nil {
				return err
			}
			defer st.Close()
			stores = append(stores, st)
		}
	}
	scaleTrials := max(1, opts.Trials/3)
	for rep := range opts.Reps {
		d, err := benchStoreRun(ctx, stores[:1], study("one", rep), scaleTrials, opts.Delay, 1)
		if err != nil {
			return err
		}
		one = append(one, float64(scaleTrials)/d.Seconds())
		d, err = benchStoreRun(ctx, stores, study("many", rep), scaleTrials, opts.Delay, opts.Workers)
		if err != nil {
			return err
		}
		many = append(many, float64(scaleTrials)/d.Seconds())
		progress("scaling run %d of %d: %.1f trials/s with 1 worker, %.1f with %d", rep+1, opts.Reps, one[rep], many[rep], opts.Workers)
	}
	fig.OverheadMSPerTrial = roundSig(median(overhead), 3)
	fig.OneWorkerPerS = roundSig(median(one), 3)
	fig.WorkersPerS = roundSig(median(many), 3)
	fig.Speedup = roundSig(median(many)/median(one), 3)
	if opts.JSON {
		return writeJSON(stdout, fig)
	}
	_, err = fmt.Fprintf(stdout, "store %s: %.3f ms per trial of overhead (trivial objective, %d trials, median of %d)\n"+
		"%s trials: %.1f trials/s with 1 worker, %.1f with %d workers: %.2fx\n",
		fig.Store, fig.OverheadMSPerTrial, opts.Trials, opts.Reps, opts.Delay, fig.OneWorkerPerS, fig.WorkersPerS, opts.Workers, fig.Speedup)
	return err
}

// benchStoreRun runs one study of random search over branin's box with n
// workers, each a search.Run of its own on stores[i % len(stores)], until
// trials trials completed, and returns the time until the last trial
// ended.
func benchStoreRun(ctx context.Context, stores []search.Store, study string, trials int, delay time.Duration, n int) (time.Duration, error) {
	var p *problems.Problem
	for _, q := range problems.All() {
		if q.Name == "branin" {
			p = q
		}
	}
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
