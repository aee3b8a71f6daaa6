package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/c2602f9e/goglove/algorithms"
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
	// Step, from 0, records the metrics as an intermediate step (-1:
	// not given, the metrics are the final ones).
	Step int
	// EarlyStopped records the final metrics as early-stopped.
	EarlyStopped bool
	JSON         bool
}

const tellUsage = `goglove tell [--store URL] --study NAME --trial N [--attempt A] [--json] ([--step S | --early-stopped] --metrics '{"loss": 0.3}' | --fail REASON)`

func newTellCmd() *cobra.Command {
	opts := tellOptions{Trial: -1, Step: -1}
	cmd := &cobra.Command{
		Use:   "tell [--store URL] --study NAME --trial N [--attempt A] [--json] ([--step S | --early-stopped] --metrics JSON | --fail REASON)",
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
refused, and the worker stops the trial.

--step S records the metrics as those of intermediate step S (an
integer from 0; epochs, say) of the running trial, and asks the study's
early_stopping policy about it: the policy is given every trial's steps,
as a worker catching up with the study would, and this step last. The
output ends with "stop" if the policy stops the trial, else "continue";
the exit code is 0 either way (1 or 2 for errors as above). After
"stop", end the trial with its last metrics and --early-stopped, which
records it as early-stopped instead of completed. Telling the last step
again with the same metrics records nothing. A step of a trial that
ended is refused (exit 1).

--json prints one object: {"study": ..., "trial": N, "attempt": A,
"state": "running"|"completed"|..., and with --step "step": S and
"should_stop": true|false}.`,
		Example: `  goglove tell --store sqlite://goglove.db --study branin-tpe --trial 12 --metrics '{"value": 0.41}'
  goglove tell --store sqlite://goglove.db --study mlp --trial 4 --step 3 --metrics '{"val_loss": 0.8}' --json
  goglove tell --store sqlite://goglove.db --study mlp --trial 4 --early-stopped --metrics '{"val_loss": 0.8}'
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
	f.IntVar(&opts.Step, "step", -1, "record the metrics as intermediate step S (from 0) and say whether early stopping stops the trial")
	f.BoolVar(&opts.EarlyStopped, "early-stopped", false, "record the final metrics as those of a trial stopped early")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object")
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
	case opts.Step < -1:
		return usageErrorf("tell: --step is %d, want an integer from 0", opts.Step)
	case opts.Step >= 0 && opts.Fail != "":
		return usageErrorf("tell: --step records metrics; give --metrics, not --fail; usage: %s", tellUsage)
	case opts.Step >= 0 && (opts.EarlyStopped || opts.Force):
		return usageErrorf("tell: --step records an intermediate step; --early-stopped and --force are for a trial's result; usage: %s", tellUsage)
	case opts.EarlyStopped && opts.Fail != "":
		return usageErrorf("tell: --early-stopped records metrics; give --metrics, not --fail; usage: %s", tellUsage)
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
	if opts.Step >= 0 {
		return tellStep(ctx, store, opts, m, stdout)
	}
	rec, err := search.TellWith(ctx, store, opts.Study, opts.Trial, m, opts.Fail,
		&search.TellOptions{Attempt: opts.Attempt, Force: opts.Force, EarlyStopped: opts.EarlyStopped})
	if err := tellError(opts, err); err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(stdout, tellJSON{Study: opts.Study, Trial: rec.Number, Attempt: rec.Attempt, State: rec.State.String()})
	}
	_, err = fmt.Fprintf(stdout, "trial %d of study %s: %s\n", rec.Number, terminalText(opts.Study), rec.State)
	return err
}

// tellJSON is what tell --json prints; the names are part of the
// command's output format. Step and ShouldStop are given with --step.
type tellJSON struct {
	Study      string `json:"study"`
	Trial      int    `json:"trial"`
	Attempt    int    `json:"attempt"`
	State      string `json:"state"`
	Step       *int   `json:"step,omitempty"`
	ShouldStop *bool  `json:"should_stop,omitempty"`
}

// tellStep records an intermediate step and says whether the study's
// early-stopping policy stops the trial.
func tellStep(ctx context.Context, store search.Store, opts tellOptions, m search.Metrics, stdout io.Writer) error {
	info, err := store.Study(ctx, opts.Study)
	if err := tellError(opts, err); err != nil {
		return err
	}
	var policy search.StoppingPolicy
	if info.Config != nil {
		// A study without a config (made with the library) has no
		// early_stopping to ask: every step continues.
		cfg, err := search.ConfigFromStudy(newRegistry(), info)
		if err != nil {
			return badInput(fmt.Errorf("tell: %w", err))
		}
		if policy, err = algorithms.NewStoppingPolicy(cfg.EarlyStopping); err != nil {
			return badInput(fmt.Errorf("tell: the config of study %s: %w", terminalText(opts.Study), err))
		}
	}
	rec, stop, err := search.TellStep(ctx, store, opts.Study, opts.Trial, opts.Step, m,
		&search.TellStepOptions{Attempt: opts.Attempt, Stopping: policy})
	if err := tellError(opts, err); err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(stdout, tellJSON{Study: opts.Study, Trial: rec.Number, Attempt: rec.Attempt, State: rec.State.String(),
			Step: &opts.Step, ShouldStop: &stop})
	}
	answer := "continue"
	if stop {
		answer = "stop"
	}
	_, err = fmt.Fprintf(stdout, "trial %d of study %s: step %d recorded: %s\n", rec.Number, terminalText(opts.Study), opts.Step, answer)
	return err
}

// tellError is the exit of a tell that failed with err (nil: none).
func tellError(opts tellOptions, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, search.ErrNotFound), errors.Is(err, search.ErrBadMetrics), errors.Is(err, search.ErrWorkerTrial):
		return badInput(fmt.Errorf("tell: %w", err))
	}
	return fmt.Errorf("tell: trial %d: %w", opts.Trial, err)
}
