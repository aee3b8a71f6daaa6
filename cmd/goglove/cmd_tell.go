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
}

const tellUsage = `goglove tell [--store URL] --study NAME --trial N (--metrics '{"loss": 0.3}' | --fail REASON)`

func newTellCmd() *cobra.Command {
	opts := tellOptions{Trial: -1}
	cmd := &cobra.Command{
		Use:   "tell [--store URL] --study NAME --trial N (--metrics JSON | --fail REASON)",
		Short: "Report the result of a trial goglove ask handed out",
		Long: `Tell records the result of trial N of the study NAME: its metrics as a
JSON object, which must hold every objective metric of the study as a
finite number, or with --fail that it failed, and why. Telling the same
result again is a no-op (exit 0), so a script may retry; telling another
result of a trial that already ended is refused (exit 1).`,
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
	return cmd
}

func runTell(ctx context.Context, opts tellOptions, args []string, stdout io.Writer) error {
	if err := checkArgCount("tell", args, 0, tellUsage); err != nil {
		return err
	}
	switch {
	case opts.Study == "":
		return usageErrorf("tell: missing --study NAME; usage: %s", tellUsage)
	case opts.Trial < 0:
		return usageErrorf("tell: missing --trial N; usage: %s", tellUsage)
	case (opts.Metrics == "") == (opts.Fail == ""):
		return usageErrorf("tell: give --metrics or --fail, one of them; usage: %s", tellUsage)
	}
	var m search.Metrics
	if opts.Metrics != "" {
		if err := json.Unmarshal([]byte(opts.Metrics), &m); err != nil || m == nil {
			return usageErrorf(`tell: --metrics: want a JSON object of numbers such as {"loss": 0.3}, got %q`, opts.Metrics)
		}
	}
	store, err := openExistingStore(ctx, "tell", opts.Store, tellUsage)
	if err != nil {
		return err
	}
	defer store.Close()
	rec, err := search.Tell(ctx, store, opts.Study, opts.Trial, m, opts.Fail)
	switch {
	case errors.Is(err, search.ErrNotFound), errors.Is(err, search.ErrBadMetrics):
		return badInput(fmt.Errorf("tell: %w", err))
	case err != nil:
		return fmt.Errorf("tell: trial %d: %w", opts.Trial, err)
	}
	_, err = fmt.Fprintf(stdout, "trial %d of study %s: %s\n", rec.Number, opts.Study, rec.State)
	return err
}
