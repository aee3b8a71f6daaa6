package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/spf13/cobra"
)

// workerOptions are the flags of "goglove worker".
type workerOptions struct {
	joinOptions
	// Trials is the most trials this worker evaluates (0: no limit).
	Trials int
	// Workers is the number of trials evaluated in parallel (0: the
	// config's workers).
	Workers int
	JSON    bool
	// Name names the worker in trial records ("": host:pid).
	Name string
	// progress forces the progress line on (tests).
	progress bool
}

const workerUsage = "goglove worker [--store URL] --study NAME [--trials N] [--workers N] [--heartbeat-interval D] [--heartbeat-timeout D] [--json]"

func newWorkerCmd() *cobra.Command {
	var opts workerOptions
	cmd := &cobra.Command{
		Use:   "worker [--store URL] --study NAME [flags]",
		Short: "Join a study and evaluate its trials until its budget is met",
		Long: `Worker joins the study NAME kept in the store --store names and evaluates
its trials until the study's budget is met, then exits with code 0. It
needs nothing else: the space, algorithm, objective, metrics and budget
come from the config the study keeps (the one goglove search started it
with; "goglove search CONFIG --create" makes the study without running
trials). Start any number of workers, on any number of machines, against
one PostgreSQL database (postgres://…), or several on one machine against
one SQLite file (sqlite://PATH).

Workers coordinate through the database: proposals are made one at a time
under the study's lock, after catching up with every other worker's
trials, so the algorithm sees the whole study; each running trial has a
heartbeat, and a trial whose heartbeat is older than the timeout (its
worker was killed, or lost its machine) is taken over by another worker,
as a new attempt, up to max_attempts times (then it fails). A result of
an attempt that was taken over is rejected; a result reported twice is
kept once. A worker that loses its database retries with backoff for up
to two minutes.

--trials N stops this worker after N trials (the study's budget still
applies); --workers N evaluates N trials at a time in this process.
--heartbeat-interval and --heartbeat-timeout override the config's
heartbeat: {interval, timeout}. A command objective's relative path is
kept absolute in the study: give workers elsewhere the same layout.

The output is a line saying what this worker did and where the study
stands (--json: one object with "worker", "evaluated", "completed",
"study_completed", "budget", "stop_reason").`,
		Example: `  goglove search experiments/configs/branin-tpe.yaml --store postgres://db/goglove --create
  goglove worker --store postgres://db/goglove --study branin-tpe
  goglove worker --store sqlite://goglove.db --study branin-tpe --trials 20`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runWorker(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Store, "store", "", storeFlagHelp)
	f.StringVar(&opts.Study, "study", "", "the study to join (required)")
	f.IntVar(&opts.Trials, "trials", 0, "the most trials this worker evaluates (0: until the study's budget is met)")
	f.IntVar(&opts.Workers, "workers", 0, "trials evaluated in parallel by this worker (default: the config's workers)")
	f.DurationVar(&opts.HeartbeatInterval, "heartbeat-interval", 0, "how often running trials' heartbeats are recorded (default: the config's, else 2s)")
	f.DurationVar(&opts.HeartbeatTimeout, "heartbeat-timeout", 0, "how old a heartbeat may get before another worker takes the trial over (default: the config's, else 10 intervals)")
	f.StringVar(&opts.Name, "name", "", "the worker's name in trial records (default host:pid; a stopped worker of this host named so is noticed at once, others by their heartbeats)")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object instead of text")
	return cmd
}

// workerJSON is what worker --json prints.
type workerJSON struct {
	Study          string  `json:"study"`
	Worker         string  `json:"worker"`
	Evaluated      int     `json:"evaluated"`
	Completed      int     `json:"completed"`
	StudyCompleted int     `json:"study_completed"`
	Budget         int     `json:"budget"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
	StopReason     string  `json:"stop_reason"`
}

// runWorker joins the study and evaluates trials until the budget is met.
func runWorker(ctx context.Context, opts workerOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkArgCount("worker", args, 0, workerUsage); err != nil {
		return err
	}
	if opts.Trials < 0 || opts.Workers < 0 {
		return usageErrorf("worker: --trials and --workers must be 0 or more")
	}
	store, job, err := joinStudy(ctx, "worker", workerUsage, opts.joinOptions)
	if err != nil {
		return err
	}
	defer store.Close()
	o := &job.Options
	o.Limit = opts.Trials
	if opts.Workers > 0 {
		o.Workers = opts.Workers
	}
	o.Worker = opts.Name
	if o.Worker == "" {
		o.Worker = search.WorkerName()
	}
	o.Logf = func(format string, args ...any) { note(stderr, format, args...) }
	var (
		counts               sync.Mutex
		evaluated, completed int
	)
	var progress *progressLine
	onProgress := func(search.Progress) {}
	if opts.progress || isTerminal(stderr) {
		progress = startProgress(stderr, o.Objectives[0].Name, o.Trials)
		onProgress = progress.update
	}
	noteNoTimeout(stderr, job)
	objective := progress.track(job.Objective)
	job.Objective = func(ctx context.Context, t *search.Trial[symbolic.Value]) (search.Metrics, error) {
		m, err := objective(ctx, t)
		counts.Lock()
		evaluated++
		if err == nil {
			completed++
		}
		counts.Unlock()
		return m, err
	}
	start := time.Now()
	res, runErr := job.Run(ctx, store, onProgress)
	progress.stop()
	if res == nil {
		return runErr
	}
	out := workerJSON{Study: res.Study, Worker: o.Worker, Evaluated: evaluated, Completed: completed,
		StudyCompleted: res.Completed, Budget: o.Trials, ElapsedSeconds: time.Since(start).Seconds(), StopReason: res.StopReason}
	if opts.JSON {
		if err := writeJSON(stdout, out); err != nil {
			return err
		}
	} else {
		budget := "no budget"
		if o.Trials > 0 {
			budget = fmt.Sprintf("budget %d", o.Trials)
		}
		fmt.Fprintf(stdout, "worker %s: evaluated %d trials (%d completed) of study %s in %.1fs; the study has %d completed (%s): %s\n",
			out.Worker, evaluated, completed, out.Study, out.ElapsedSeconds, res.Completed, budget, res.StopReason)
	}
	if runErr != nil {
		return runErr
	}
	if res.Interrupted {
		return fmt.Errorf("worker: interrupted after %d trials", evaluated)
	}
	return nil
}
