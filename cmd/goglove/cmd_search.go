package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/experiments"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/spf13/cobra"
)

// searchOptions are the flags of "goglove search". A nil override keeps
// the config's value; the zero value runs the config as it is, in memory,
// printing text.
type searchOptions struct {
	// Trials, if not nil, replaces budget.trials (0: no limit).
	Trials *int
	// Completed, if not nil, replaces budget.completed (0: no limit).
	Completed *int
	// MaxFailures, if not nil, replaces max_failures (0: the default,
	// -1: no limit).
	MaxFailures *int
	// Seed, if not nil, replaces seed.
	Seed *int64
	// Workers, if not nil, replaces workers.
	Workers *int
	// Store is the URL of the store that keeps the study; "" means
	// mem://.
	Store string
	// JSON prints one JSON object instead of text.
	JSON bool
	// NoCache turns the trained-model cache off for the trials.
	NoCache bool
	// Create only creates (or checks) the study, for workers to run.
	Create bool
	// Heartbeat overrides (0: the config's).
	HeartbeatInterval, HeartbeatTimeout time.Duration
	// ProgressEvery is how often a progress line is printed when standard
	// error is not a terminal (0: never).
	ProgressEvery time.Duration
	// progress forces the progress line on, as if standard error were a
	// terminal (for tests).
	progress bool
}

const searchUsage = "goglove search [--trials N] [--completed N] [--max-failures N] [--seed S] [--workers N] [--store URL] [--create] [--json] CONFIG"

func newSearchCmd() *cobra.Command {
	var (
		opts                           searchOptions
		trials, completed, maxFailures int
		seed                           int64
		workers                        int
	)
	cmd := &cobra.Command{
		Use:   "search [flags] CONFIG",
		Short: "Run the search a YAML config describes",
		Long:  searchLong,
		Example: `  goglove search experiments/configs/branin-tpe.yaml
  goglove search experiments/configs/ackley-cmaes.yaml --trials 500 --seed 3 --json
  goglove search config.yaml --workers 4 --store mem://
  goglove search config.yaml --store postgres://db.example/goglove --create`,
		Args: cobra.ArbitraryArgs, // runSearch checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			if f.Changed("trials") {
				opts.Trials = &trials
			}
			if f.Changed("completed") {
				opts.Completed = &completed
			}
			if f.Changed("max-failures") {
				opts.MaxFailures = &maxFailures
			}
			if f.Changed("seed") {
				opts.Seed = &seed
			}
			if f.Changed("workers") {
				opts.Workers = &workers
			}
			return runSearch(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.IntVar(&trials, "trials", 0, "budget in trials that ended, however they ended, replacing the config's budget.trials (0: no limit)")
	f.IntVar(&completed, "completed", 0, "budget in completed trials only, replacing the config's budget.completed (0: no limit)")
	f.IntVar(&maxFailures, "max-failures", 0, "stop once more of the study's trials than this have failed, replacing the config's max_failures (0: the default, -1: no limit)")
	f.Int64Var(&seed, "seed", 0, "seed of the algorithm, replacing the config's seed")
	f.IntVar(&workers, "workers", 0, "trials evaluated in parallel, replacing the config's workers")
	f.StringVar(&opts.Store, "store", "", storeFlagHelp)
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object instead of text")
	f.BoolVar(&opts.NoCache, "no-cache", false, noCacheFlagHelp)
	f.BoolVar(&opts.Create, "create", false, "create the study (or check the existing one) and exit without evaluating trials; goglove worker runs it")
	f.DurationVar(&opts.HeartbeatInterval, "heartbeat-interval", 0, "how often running trials' heartbeats are recorded (default: the config's heartbeat.interval, else 2s)")
	f.DurationVar(&opts.ProgressEvery, "progress-every", plainProgressEvery, progressFlagHelp)
	f.DurationVar(&opts.HeartbeatTimeout, "heartbeat-timeout", 0, "how old a heartbeat may get before a worker takes the trial over (default: the config's, else 10 intervals)")
	return cmd
}

// runSearch runs the search config named by args[0] and prints its
// result.
func runSearch(ctx context.Context, opts searchOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkArgCount("search", args, 1, searchUsage); err != nil {
		return err
	}
	if err := checkSearchFlags(opts); err != nil {
		return err
	}
	file := args[0]
	if opts.NoCache {
		disableModelCache()
	}
	job, err := loadJob(file, opts)
	if err != nil {
		return err
	}
	if job.Objective == nil && !opts.Create {
		return usageErrorf("search: %s: objective: neither builtin nor command, so no trial can be evaluated here; create the study with --create and evaluate its trials with goglove ask and goglove tell", file)
	}
	store, err := openStore(ctx, opts.Store, newRegistry())
	if err != nil {
		return err
	}
	defer store.Close()
	if opts.Create {
		return createStudy(ctx, store, job, opts, stdout)
	}
	job.Options.Logf = func(format string, args ...any) { note(stderr, format, args...) }

	metric := "reward" // search.Options' default objective
	if len(job.Options.Objectives) > 0 {
		metric = job.Options.Objectives[0].Name
	}
	progress := progressFor(stderr, opts.progress, opts.ProgressEvery, metric, budgets{job.Options.Trials, job.Options.Completed})
	var onProgress func(search.Progress)
	if progress != nil {
		onProgress = progress.update
	}
	noteNoTimeout(stderr, job)
	// algorithm: {name: darts}: the supernet phase, before the trials.
	if err := experiments.RunDarts(ctx, job, job.Options.Logf); err != nil {
		return err
	}
	job.Objective = progress.track(job.Objective)
	res, runErr := job.Run(ctx, store, onProgress)
	progress.stop()
	if res == nil {
		if errors.Is(runErr, search.ErrExists) {
			return badInput(runErr) // a study of that name with another config
		}
		return runErr
	}
	trials, err := store.Trials(context.WithoutCancel(ctx), res.Study)
	if err != nil {
		return errors.Join(runErr, err)
	}
	if opts.JSON {
		err = printSearchJSON(stdout, res)
	} else {
		var winners map[int][]search.InnerWinner
		if winners, err = bestWinners(context.WithoutCancel(ctx), store, res); err == nil {
			err = printSearchText(stdout, res, winners)
		}
	}
	if err != nil {
		return errors.Join(runErr, err)
	}
	if n, last := failures(trials); n > 0 {
		note(stderr, "%d of %d trials failed; the last, trial %d: %s", n, len(trials), last.Number, last.Error)
	}
	switch {
	case errors.Is(runErr, search.ErrTooManyFailures):
		return failureLimitError(runErr, res)
	case runErr != nil:
		return runErr
	case res.Interrupted:
		return fmt.Errorf("interrupted after %d trials; the result printed is what was found", res.Completed+res.Failed+res.Skipped+res.EarlyStopped)
	case res.Completed == 0 && res.Failed > 0:
		return fmt.Errorf("search: no trial completed: all %d failed", res.Failed)
	}
	return nil
}

// failureLimitError says how to go on with a study that reached its
// failure limit.
func failureLimitError(err error, res *search.Result) error {
	return fmt.Errorf("%w; after fixing what failed, raise the limit (--max-failures %d allows as many again, -1 none) or delete the study (goglove studies rm %s)",
		err, 2*res.Failed, res.Study)
}

// checkSearchFlags rejects flag values no config could hold.
func checkSearchFlags(opts searchOptions) error {
	switch {
	case opts.Trials != nil && (*opts.Trials < 0 || *opts.Trials > search.MaxTrials):
		return usageErrorf("search: --trials is %d, want 0 (no limit) to %d", *opts.Trials, search.MaxTrials)
	case opts.Completed != nil && (*opts.Completed < 0 || *opts.Completed > search.MaxTrials):
		return usageErrorf("search: --completed is %d, want 0 (no limit) to %d", *opts.Completed, search.MaxTrials)
	case opts.MaxFailures != nil && *opts.MaxFailures < -1:
		return usageErrorf("search: --max-failures is %d, want -1 (no limit), 0 (the default) or more", *opts.MaxFailures)
	case opts.Seed != nil && *opts.Seed < 0:
		return usageErrorf("search: --seed is %d, want 0 or more", *opts.Seed)
	case opts.Workers != nil && (*opts.Workers < 1 || *opts.Workers > search.MaxWorkers):
		return usageErrorf("search: --workers is %d, want 1 to %d", *opts.Workers, search.MaxWorkers)
	case opts.ProgressEvery < 0:
		return usageErrorf("search: --progress-every is %s, want 0 (never) or more", opts.ProgressEvery)
	}
	return checkHeartbeatFlags("search", opts.HeartbeatInterval, opts.HeartbeatTimeout)
}

// loadJob reads the config file, applies the flags that override it and
// resolves it into a job. Every error is bad input naming the file.
func loadJob(file string, opts searchOptions) (*search.Job, error) {
	data, err := readInputMax(file, search.MaxConfigBytes) // ParseConfig refuses more
	if err != nil {
		return nil, err
	}
	cfg, err := search.ParseConfig(newRegistry(), file, data)
	if err != nil {
		return nil, badInput(inFile(err, file))
	}
	// The flags replace the config's values in the config the study keeps
	// too, so that workers joining it (--create) run with them.
	if err := cfg.Override(file, search.Overrides{Trials: opts.Trials, Completed: opts.Completed,
		MaxFailures: opts.MaxFailures, Seed: opts.Seed, Workers: opts.Workers,
		HeartbeatInterval: opts.HeartbeatInterval, HeartbeatTimeout: opts.HeartbeatTimeout}); err != nil {
		return nil, badInput(inFile(err, file))
	}
	job, err := cfg.Job(file, newBuiltins())
	if err != nil {
		return nil, badInput(inFile(err, file))
	}
	// An algorithm that cannot search the space (grid on a continuous
	// one) is a bad config too: find out before the search starts. The
	// job's algorithm is not touched; a twin built from the same section
	// is set up instead.
	if twin, err := algorithms.New(cfg.Algorithm, uint64(cfg.Seed)); err == nil {
		if err := twin.Setup(job.Space.Spec()); err != nil {
			return nil, &symbolic.Error{File: file, Path: symbolic.MustParsePath("algorithm"), Err: err,
				Msg: algorithmName(cfg.Algorithm) + " cannot search this space: " + err.Error()}
		}
	}
	return job, nil
}

// algorithmName returns the name in a config's algorithm section.
func algorithmName(section symbolic.Value) string {
	switch s := section.(type) {
	case symbolic.String:
		return string(s)
	case *symbolic.Dict:
		if v, ok := s.Get("name"); ok {
			if n, ok := v.(symbolic.String); ok {
				return string(n)
			}
		}
	}
	return "random"
}

// failures counts the failed trials, leaving out those an interrupt
// stopped (their reason starts with "interrupted: "), and returns the last
// of them.
func failures(trials []search.TrialRecord) (n int, last search.TrialRecord) {
	for _, t := range trials {
		if t.State == search.Failed && !strings.HasPrefix(t.Error, "interrupted: ") {
			n, last = n+1, t
		}
	}
	return n, last
}

// searchJSON is what search --json prints; the JSON names are part of the
// command's output format.
type searchJSON struct {
	Study          string          `json:"study"`
	Objectives     []objectiveJSON `json:"objectives"`
	Best           *trialJSON      `json:"best"`
	Pareto         *[]trialJSON    `json:"pareto,omitempty"`
	Completed      int             `json:"completed"`
	Failed         int             `json:"failed"`
	Skipped        int             `json:"skipped"`
	EarlyStopped   int             `json:"early_stopped"`
	ElapsedSeconds float64         `json:"elapsed_seconds"`
	Interrupted    bool            `json:"interrupted"`
	StopReason     string          `json:"stop_reason"`
}

type objectiveJSON struct {
	Name      string `json:"name"`
	Direction string `json:"direction"`
}

// trialJSON is one trial in search --json.
type trialJSON struct {
	Number  int                `json:"number"`
	DNA     json.RawMessage    `json:"dna"`
	Program json.RawMessage    `json:"program"`
	Metrics map[string]float64 `json:"metrics"`
}

func toTrialJSON(t *search.TrialRecord) (trialJSON, error) {
	out := trialJSON{Number: t.Number, Metrics: t.Metrics}
	var err error
	if out.DNA, err = dnaJSON(t); err != nil {
		return out, err
	}
	out.Program, err = programJSON(t)
	return out, err
}

// resultTrialsJSON converts a result's best trial and, with several
// objectives, its Pareto front (best primary metric first) with conv.
func resultTrialsJSON[T any](res *search.Result, conv func(*search.TrialRecord) (T, error)) (best *T, pareto *[]T, err error) {
	if res.Best != nil {
		b, err := conv(res.Best)
		if err != nil {
			return nil, nil, err
		}
		best = &b
	}
	if len(res.Objectives) > 1 {
		front := []T{}
		sorted := paretoByPrimary(res)
		for i := range sorted {
			t, err := conv(&sorted[i])
			if err != nil {
				return nil, nil, err
			}
			front = append(front, t)
		}
		pareto = &front
	}
	return best, pareto, nil
}

// printSearchJSON writes search --json.
func printSearchJSON(w io.Writer, res *search.Result) error {
	out := searchJSON{
		Study:          res.Study,
		Completed:      res.Completed,
		Failed:         res.Failed,
		Skipped:        res.Skipped,
		EarlyStopped:   res.EarlyStopped,
		ElapsedSeconds: res.Elapsed.Seconds(),
		Interrupted:    res.Interrupted,
		StopReason:     res.StopReason,
	}
	out.Objectives = objectivesJSON(res.Objectives)
	var err error
	if out.Best, out.Pareto, err = resultTrialsJSON(res, toTrialJSON); err != nil {
		return err
	}
	return writeJSON(w, out)
}

// printSearchText writes the text form of a search's result: a summary
// line, then the best trial or, for several objectives, the Pareto front
// as a YAML list, each trial with the winners of the inner searches it
// ran (winners, by trial number; a nested search's).
func printSearchText(w io.Writer, res *search.Result, winners map[int][]search.InnerWinner) error {
	var b strings.Builder
	fmt.Fprintf(&b, "study %s: %d completed, %d failed, %d skipped, %d stopped early in %s (%s)\n",
		terminalText(res.Study), res.Completed, res.Failed, res.Skipped, res.EarlyStopped, formatElapsed(res.Elapsed), res.StopReason)
	if err := writeBestTextInner(&b, res, winners); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeBestText writes the best trial or, for several objectives, the
// Pareto front as a YAML list.
func writeBestText(b *strings.Builder, res *search.Result) error {
	return writeBestTextInner(b, res, nil)
}

// writeBestTextInner is writeBestText with, under each trial, the
// winners of the inner searches it ran (winners by trial number).
func writeBestTextInner(b *strings.Builder, res *search.Result, winners map[int][]search.InnerWinner) error {
	switch {
	case res.Best == nil:
		b.WriteString("no trial completed\n")
	case len(res.Objectives) > 1:
		front := paretoByPrimary(res)
		fmt.Fprintf(b, "pareto front of %s: %d trials, best %s first\n", objectivesText(res.Objectives), len(front), res.Objectives[0].Name)
		for i := range front {
			if err := writeTrialText(b, "- ", "  ", res.Objectives, &front[i]); err != nil {
				return err
			}
			if err := writeWinnersText(b, "  ", winners[front[i].Number]); err != nil {
				return err
			}
		}
	default:
		fmt.Fprintf(b, "best by %s:\n", objectivesText(res.Objectives))
		if err := writeTrialText(b, "  ", "  ", res.Objectives, res.Best); err != nil {
			return err
		}
		return writeWinnersText(b, "  ", winners[res.Best.Number])
	}
	return nil
}

// writeWinnersText writes the winners of a trial's inner searches as a
// YAML list under "inner:", each with its study, trial, DNA, metrics and
// program.
func writeWinnersText(b *strings.Builder, indent string, winners []search.InnerWinner) error {
	if len(winners) == 0 {
		return nil
	}
	b.WriteString(indent + "inner:\n")
	for _, w := range winners {
		fmt.Fprintf(b, "%s- study: %s\n", indent, terminalText(w.Study))
		if err := writeTrialText(b, indent+"  ", indent+"  ", nil, &w.Trial); err != nil {
			return err
		}
	}
	return nil
}

// paretoByPrimary returns the Pareto front sorted by the primary
// objective, best first, then by trial number.
func paretoByPrimary(res *search.Result) []search.TrialRecord {
	front := slices.Clone(res.Pareto)
	o := res.Objectives[0]
	slices.SortStableFunc(front, func(a, b search.TrialRecord) int {
		x, y := a.Metrics[o.Name], b.Metrics[o.Name]
		if o.Direction == search.Maximize {
			x, y = y, x
		}
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return a.Number - b.Number
	})
	return front
}

// objectivesText lists objectives as "loss (minimize), size (minimize)".
func objectivesText(objectives []search.Metric) string {
	parts := make([]string, len(objectives))
	for i, o := range objectives {
		parts[i] = terminalText(o.Name) + " (" + o.Direction.String() + ")"
	}
	return strings.Join(parts, ", ")
}

// writeTrialText writes one trial as a YAML mapping: its first line
// starts with first, the others with indent; the DNA is the numbers form
// the trial keeps.
func writeTrialText(b *strings.Builder, first, indent string, objectives []search.Metric, t *search.TrialRecord) error {
	fmt.Fprintf(b, "%strial: %d\n%sdna: %s\n%smetrics: %s\n", first, t.Number,
		indent, terminalText(t.DNAText), indent, metricsText(objectives, t.Metrics))
	if t.Program == nil {
		return nil
	}
	y, err := symbolic.EncodeYAML(t.Program)
	if err != nil {
		return err
	}
	b.WriteString(indent + "program:\n")
	for line := range strings.Lines(string(y)) {
		b.WriteString(indent + "  " + line)
	}
	if !strings.HasSuffix(string(y), "\n") {
		b.WriteByte('\n')
	}
	return nil
}

// metricsText formats metrics as a YAML flow map, the objectives first in
// their order, then the others by name: {value: 0.397887, regret: 1.2e-06}.
func metricsText(objectives []search.Metric, m search.Metrics) string {
	var names []string
	for _, o := range objectives {
		if _, ok := m[o.Name]; ok {
			names = append(names, o.Name)
		}
	}
	var rest []string
	for k := range m {
		if !slices.Contains(names, k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	parts := make([]string, 0, len(m))
	for _, k := range append(names, rest...) {
		parts = append(parts, terminalText(k)+": "+formatMetric(m[k], 7))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// formatElapsed formats a duration with about three digits: "344µs",
// "12.35ms", "1.23s", "2m5s".
func formatElapsed(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(10 * time.Microsecond).String()
	case d < time.Minute:
		return d.Round(10 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
