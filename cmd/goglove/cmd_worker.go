package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/c2602f9e/goglove/experiments"
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
	// NoCache turns the trained-model cache off for the trials.
	NoCache bool
	// Name names the worker in trial records ("": host:pid).
	Name string
	// ExpectCommand, if not "", is the objective command (as the worker
	// prints it, or its sha256: fingerprint) the study must have.
	ExpectCommand string
	// MaxFailures, if not nil, replaces the study config's max_failures
	// (0: the default, -1: no limit).
	MaxFailures *int
	// ProgressEvery is how often a progress line is printed when standard
	// error is not a terminal (0: never).
	ProgressEvery time.Duration
	// progress forces the progress line on (tests).
	progress bool
}

const workerUsage = "goglove worker [--store URL] --study NAME [--trials N] [--workers N] [--max-failures N] [--heartbeat-interval D] [--heartbeat-timeout D] [--json]"

func newWorkerCmd() *cobra.Command {
	var (
		opts        workerOptions
		maxFailures int
	)
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

A worker runs the objective command the study's config names, so
whoever can write the store can run code on the worker's machine (see
the README's Security section). A worker says at start what it will run
and its fingerprint; --expect-command 'CMD ARGS' (as printed) or
--expect-command sha256:HEX refuses a study whose command differs.

--trials N stops this worker after N trials (the study's budget still
applies); --workers N evaluates N trials at a time in this process (at
most 1024). The study's budget is its config's: budget.trials counts
every trial that ended (completed, failed, stopped early or skipped),
budget.completed only completed ones (see goglove search --help).
--max-failures N replaces the config's max_failures (0: its default,
-1: no limit): it counts all the study's failures, so raise it to
continue a study that reached it.
--heartbeat-interval and --heartbeat-timeout override the config's
heartbeat: {interval, timeout}. A command objective's relative path is
kept absolute in the study: give workers elsewhere the same layout.
A study whose config has no objective (neither builtin nor command) is
evaluated with goglove ask and tell: a worker refuses it (exit code 2).
On a terminal a progress line is drawn on standard error; elsewhere it
is printed as a line of its own every 10s (--progress-every; 0: never).

The output is a line saying what this worker did and where the study
stands (--json: one object with "worker", "evaluated", "completed",
"study_ended", "study_completed", "budget", "budget_completed",
"stop_reason"; a budget of 0 is none).`,
		Example: `  goglove search experiments/configs/branin-tpe.yaml --store postgres://db/goglove --create
  goglove worker --store postgres://db/goglove --study branin-tpe
  goglove worker --store sqlite://goglove.db --study branin-tpe --trials 20`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("max-failures") {
				opts.MaxFailures = &maxFailures
			}
			return runWorker(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Store, "store", "", storeFlagHelp)
	f.StringVar(&opts.Study, "study", "", "the study to join (required)")
	f.IntVar(&opts.Trials, "trials", 0, "the most trials this worker evaluates (0: until the study's budget is met)")
	f.IntVar(&opts.Workers, "workers", 0, "trials evaluated in parallel by this worker (default: the config's workers)")
	f.IntVar(&maxFailures, "max-failures", 0, "stop once more of the study's trials than this have failed, replacing the config's max_failures (0: the default, -1: no limit)")
	f.DurationVar(&opts.ProgressEvery, "progress-every", plainProgressEvery, progressFlagHelp)
	f.DurationVar(&opts.HeartbeatInterval, "heartbeat-interval", 0, "how often running trials' heartbeats are recorded (default: the config's, else 2s)")
	f.DurationVar(&opts.HeartbeatTimeout, "heartbeat-timeout", 0, "how old a heartbeat may get before another worker takes the trial over (default: the config's, else 10 intervals)")
	f.StringVar(&opts.Name, "name", "", "the worker's name in trial records (default host:pid; a stopped worker of this host named so is noticed at once, others by their heartbeats)")
	f.StringVar(&opts.ExpectCommand, "expect-command", "", "refuse the study unless its objective command is this one (as the worker prints it at start, or its sha256:… fingerprint)")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object instead of text")
	f.BoolVar(&opts.NoCache, "no-cache", false, noCacheFlagHelp)
	return cmd
}

// workerJSON is what worker --json prints.
type workerJSON struct {
	Study          string  `json:"study"`
	Worker         string  `json:"worker"`
	Evaluated      int     `json:"evaluated"`
	Completed      int     `json:"completed"`
	StudyEnded     int     `json:"study_ended"`
	StudyCompleted int     `json:"study_completed"`
	Budget         int     `json:"budget"`
	BudgetComplete int     `json:"budget_completed"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
	StopReason     string  `json:"stop_reason"`
}

// runWorker joins the study and evaluates trials until the budget is met.
func runWorker(ctx context.Context, opts workerOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkArgCount("worker", args, 0, workerUsage); err != nil {
		return err
	}
	if opts.Trials < 0 || opts.Trials > search.MaxTrials {
		return usageErrorf("worker: --trials is %d, want 0 (no limit) to %d", opts.Trials, search.MaxTrials)
	}
	if opts.Workers < 0 || opts.Workers > search.MaxWorkers {
		return usageErrorf("worker: --workers is %d, want 0 (the config's) to %d", opts.Workers, search.MaxWorkers)
	}
	if opts.ProgressEvery < 0 {
		return usageErrorf("worker: --progress-every is %s, want 0 (never) or more", opts.ProgressEvery)
	}
	if opts.MaxFailures != nil && *opts.MaxFailures < -1 {
		return usageErrorf("worker: --max-failures is %d, want -1 (no limit), 0 (the default) or more", *opts.MaxFailures)
	}
	if opts.NoCache {
		disableModelCache()
	}
	store, job, err := joinStudy(ctx, "worker", workerUsage, opts.joinOptions)
	if err != nil {
		return err
	}
	defer store.Close()
	if job.Objective == nil {
		return usageErrorf("worker: study %s has no objective (its config gives neither objective.builtin nor objective.command): its trials are evaluated with goglove ask and goglove tell only", opts.Study)
	}
	if err := checkExpectedCommand(job.Config, opts.Study, opts.ExpectCommand); err != nil {
		return err
	}
	o := &job.Options
	o.Limit = opts.Trials
	if opts.MaxFailures != nil {
		o.MaxFailures = *opts.MaxFailures
	}
	if opts.Workers > 0 {
		o.Workers = opts.Workers
	}
	o.Worker = opts.Name
	if o.Worker == "" {
		o.Worker = search.WorkerName()
	}
	o.Logf = func(format string, args ...any) { note(stderr, format, args...) }
	if text, fp := objectiveDescription(job.Config); fp != "" {
		note(stderr, "worker %s: study %s runs, for each trial, the command %s (%s) from the study's config", o.Worker, opts.Study, text, fp)
	} else {
		note(stderr, "worker %s: study %s runs %s", o.Worker, opts.Study, text)
	}
	var (
		counts    sync.Mutex
		evaluated int
	)
	progress := progressFor(stderr, opts.progress, opts.ProgressEvery, o.Objectives[0].Name, budgets{o.Trials, o.Completed})
	onProgress := func(search.Progress) {}
	if progress != nil {
		onProgress = progress.update
	}
	noteNoTimeout(stderr, job)
	// algorithm: {name: darts}: the supernet phase (resumed from its
	// checkpoint when another process ran it), before the trials.
	if err := experiments.RunDarts(ctx, job, o.Logf); err != nil {
		return err
	}
	start := time.Now()
	objective := progress.track(job.Objective)
	job.Objective = func(ctx context.Context, t *search.Trial[symbolic.Value]) (search.Metrics, error) {
		m, err := objective(ctx, t)
		counts.Lock()
		evaluated++
		counts.Unlock()
		return m, err
	}
	res, runErr := job.Run(ctx, store, onProgress)
	progress.stop()
	if res == nil {
		return runErr
	}
	completed := keptCompleted(ctx, store, opts.Study, o.Worker, start)
	out := workerJSON{Study: res.Study, Worker: o.Worker, Evaluated: evaluated, Completed: completed,
		StudyEnded: res.Completed + res.Failed + res.Skipped + res.EarlyStopped, StudyCompleted: res.Completed,
		Budget: o.Trials, BudgetComplete: o.Completed, ElapsedSeconds: time.Since(start).Seconds(), StopReason: res.StopReason}
	if opts.JSON {
		if err := writeJSON(stdout, out); err != nil {
			return err
		}
	} else {
		var budget []string
		if o.Trials > 0 {
			budget = append(budget, fmt.Sprintf("%d trials", o.Trials))
		}
		if o.Completed > 0 {
			budget = append(budget, fmt.Sprintf("%d completed", o.Completed))
		}
		budgetText := "no budget"
		if len(budget) > 0 {
			budgetText = "budget " + strings.Join(budget, ", ")
		}
		fmt.Fprintf(stdout, "worker %s: evaluated %d trials (%d completed) of study %s in %.1fs; the study has %d ended, %d completed (%s): %s\n",
			terminalText(out.Worker), evaluated, completed, out.Study, out.ElapsedSeconds, out.StudyEnded, res.Completed, budgetText, res.StopReason)
	}
	if errors.Is(runErr, search.ErrTooManyFailures) {
		return failureLimitError(runErr, res)
	}
	if runErr != nil {
		return runErr
	}
	if res.Interrupted {
		return fmt.Errorf("worker: interrupted after %d trials", evaluated)
	}
	return nil
}

// keptCompleted counts the trials of the study that the store keeps as
// completed by this worker since start: a result the store rejected (its
// attempt had been taken over by another worker) does not count.
func keptCompleted(ctx context.Context, store search.Store, study, worker string, start time.Time) int {
	trials, err := store.Trials(context.WithoutCancel(ctx), study)
	if err != nil {
		return 0
	}
	n := 0
	for _, t := range trials {
		if t.State == search.Completed && t.Worker == worker && !t.Finished.Before(start) {
			n++
		}
	}
	return n
}
