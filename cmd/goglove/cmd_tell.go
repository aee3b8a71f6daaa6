package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/c2602f9e/goglove/search"
	"github.com/spf13/cobra"
)

// tellOptions are the flags of "goglove tell".
type tellOptions struct {
	Store   string
	Study   string
	Trial   int
	Metrics string
	Fail    string
	// Attempt is the attempt ask handed out (0: not given).
	Attempt int
	// Force tells a trial a worker runs.
	Force bool
}

const tellUsage = `goglove tell [--store URL] --study NAME --trial N [--attempt A] (--metrics '{"loss": 0.3}' | --fail REASON)`

func newTellCmd() *cobra.Command {
	opts := tellOptions{Trial: -1}
	cmd := &cobra.Command{
		Use:   "tell [--store URL] --study NAME --trial N [--attempt A] (--metrics JSON | --fail REASON)",
		Short: "Report the result of a trial goglove ask handed out",
		Long: `Tell records the result of trial N of the study NAME: its metrics as a
JSON object, which must hold every objective metric of the study as a
finite number (null is refused, as is a name with control characters),
or with --fail that it failed, and why. Telling the same result again is
a no-op (exit 0), so a script may retry; telling another result of a
trial that already ended is refused (exit 1).

--attempt A is the attempt ask printed: a trial at another attempt is
refused (exit 1). A trial a worker runs (goglove worker, goglove search:
it has a heartbeat) is not one ask handed out, and telling it is refused
(exit 2) unless --force is given: the worker's own result is then
refused, and the worker stops the trial.`,
		Example: `  goglove tell --store sqlite://goglove.db --study branin-tpe --trial 12 --metrics '{"value": 0.41}'
  goglove tell --store sqlite://goglove.db --study branin-tpe --trial 13 --fail "diverged"`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTell(cmd.Context(), opts, args, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Store, "store", "", storeFlagHelp)
	f.StringVar(&opts.Study, "study", "", "the study (required)")
	f.IntVar(&opts.Trial, "trial", -1, "the trial's number (required)")
	f.StringVar(&opts.Metrics, "metrics", "", `the trial's metrics as a JSON object, e.g. '{"loss": 0.3}'`)
	f.StringVar(&opts.Fail, "fail", "", "report the trial as failed, with this reason")
	f.IntVar(&opts.Attempt, "attempt", 0, "the attempt ask printed; the trial must still be at it")
	f.BoolVar(&opts.Force, "force", false, "tell a trial a worker runs, replacing the result the worker would report")
	return cmd
}

func runTell(ctx context.Context, opts tellOptions, args []string, stdout io.Writer) error {
	if err := checkArgCount("tell", args, 0, tellUsage); err != nil {
		return err
	}
	if err := checkStudyFlag("tell", opts.Study, tellUsage); err != nil {
		return err
	}
	switch {
	case opts.Attempt < 0:
		return usageErrorf("tell: --attempt is %d, want the attempt ask printed (1 or more)", opts.Attempt)
	case opts.Trial < 0:
		return usageErrorf("tell: missing --trial N; usage: %s", tellUsage)
	case (opts.Metrics == "") == (opts.Fail == ""):
		return usageErrorf("tell: give --metrics or --fail, one of them; usage: %s", tellUsage)
	}
	var m search.Metrics
	if opts.Metrics != "" {
		err := json.Unmarshal([]byte(opts.Metrics), &m)
		if err == nil && m == nil {
			err = errors.New("null")
		}
		if err == nil {
			err = search.CheckMetrics(m)
		}
		if err != nil {
			return usageErrorf(`tell: --metrics: want a JSON object of numbers such as {"loss": 0.3}, got %q: %w`, opts.Metrics, err)
		}
	}
	store, err := openExistingStore(ctx, "tell", opts.Store, tellUsage)
	if err != nil {
		return err
	}
	defer store.Close()
	rec, err := search.TellWith(ctx, store, opts.Study, opts.Trial, m, opts.Fail,
		&search.TellOptions{Attempt: opts.Attempt, Force: opts.Force})
	switch {
	case errors.Is(err, search.ErrNotFound), errors.Is(err, search.ErrBadMetrics), errors.Is(err, search.ErrWorkerTrial):
		return badInput(fmt.Errorf("tell: %w", err))
	case err != nil:
		return fmt.Errorf("tell: trial %d: %w", opts.Trial, err)
	}
	_, err = fmt.Fprintf(stdout, "trial %d of study %s: %s\n", rec.Number, opts.Study, rec.State)
	return err
}
