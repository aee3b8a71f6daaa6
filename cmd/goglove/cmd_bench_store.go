package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/experiments/searchbench"
	"github.com/c2602f9e/goglove/internal/stats"
	"github.com/c2602f9e/goglove/search"
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
	progress := func(line string) {
		if !opts.JSON || isTerminal(stderr) {
			note(stderr, "%s", line)
		}
	}
	m, err := searchbench.Store(ctx, open, searchbench.StoreOptions{Trials: opts.Trials, Reps: opts.Reps,
		Delay: opts.Delay, Workers: opts.Workers, Progress: progress})
	if err != nil {
		return err
	}
	fig.OverheadMSPerTrial = stats.RoundSig(m.OverheadMSPerTrial, 3)
	fig.OneWorkerPerS = stats.RoundSig(m.OneWorkerPerS, 3)
	fig.WorkersPerS = stats.RoundSig(m.WorkersPerS, 3)
	fig.Speedup = stats.RoundSig(m.Speedup, 3)
	if opts.JSON {
		return writeJSON(stdout, fig)
	}
	_, err = fmt.Fprintf(stdout, "store %s: %.3f ms per trial of overhead (trivial objective, %d trials, median of %d)\n"+
		"%s trials: %.1f trials/s with 1 worker, %.1f with %d workers: %.2fx\n",
		fig.Store, fig.OverheadMSPerTrial, opts.Trials, opts.Reps, opts.Delay, fig.OneWorkerPerS, fig.WorkersPerS, opts.Workers, fig.Speedup)
	return err
}
