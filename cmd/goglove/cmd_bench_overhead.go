package main

import (
	"context"
	"fmt"
	"io"

	"github.com/c2602f9e/goglove/experiments/searchbench"
	"github.com/c2602f9e/goglove/internal/stats"
	"github.com/spf13/cobra"
)

// benchOverheadOptions are the flags of "goglove bench overhead". The
// command's flags default Trials to 20000 and Reps to 5.
type benchOverheadOptions struct {
	// Trials is the number of trials of each search.
	Trials int
	// Reps is the number of times each measurement is repeated; the
	// median is reported.
	Reps int
	// JSON prints one JSON object instead of text.
	JSON bool
}

const benchOverheadUsage = "goglove bench overhead [--trials N] [--reps N] [--json]"

func newBenchOverheadCmd() *cobra.Command {
	var opts benchOverheadOptions
	cmd := &cobra.Command{
		Use:   "overhead [flags]",
		Short: "Measure the search loop's time per trial",
		Long: `Overhead measures what the search loop costs per trial when the objective
costs nothing: search.Run with one worker and the in-memory store, on a
space of ten decisions (six !oneof of 2, 3, 4, 5, 6 and 8 candidates and
four !float), with an objective that returns a constant. Each trial is
proposed by the algorithm, decoded into a program, recorded in the store
and fed back. It runs --trials trials with random search, and again with
regularized evolution (population 100, tournament 10), --reps times each,
and reports the median µs per trial (after one run of each that is not
measured, to warm up) of the loop, until the last trial
was fed back, and of the whole search.Run call (run), which adds the
setup and the final summary of the study; it also reports the median
time to decode one DNA of that space into its program.

With --json it prints one object:

    {"random_us_per_trial": ..., "evolution_us_per_trial": ...,
     "random_run_us_per_trial": ..., "evolution_run_us_per_trial": ...,
     "decode_us": ..., "trials": ..., "reps": ...}`,
		Example: `  goglove bench overhead
  goglove bench overhead --trials 100000 --reps 9 --json`,
		Args: cobra.ArbitraryArgs, // runBenchOverhead checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBenchOverhead(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Trials, "trials", 20000, "trials of each search")
	f.IntVar(&opts.Reps, "reps", 5, "repetitions of each measurement (the median is reported)")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object instead of text")
	return cmd
}

// overheadFigures is what bench overhead reports; the JSON names are part
// of the command's output format.
type overheadFigures struct {
	// RandomUSPerTrial and EvolutionUSPerTrial are the loop's time per
	// trial, until the last trial is fed back.
	RandomUSPerTrial    float64 `json:"random_us_per_trial"`
	EvolutionUSPerTrial float64 `json:"evolution_us_per_trial"`
	// The Run figures are the time per trial of the whole search.Run call:
	// the loop plus the setup and the final summary of the study.
	RandomRunUSPerTrial    float64 `json:"random_run_us_per_trial"`
	EvolutionRunUSPerTrial float64 `json:"evolution_run_us_per_trial"`
	DecodeUS               float64 `json:"decode_us"`
	Trials                 int     `json:"trials"`
	Reps                   int     `json:"reps"`
}

// runBenchOverhead measures the loop and prints the figures.
func runBenchOverhead(ctx context.Context, opts benchOverheadOptions, args []string, stdout, _ io.Writer) error {
	if len(args) > 0 {
		return usageErrorf("bench overhead: unexpected argument %q; usage: %s", args[0], benchOverheadUsage)
	}
	switch {
	case opts.Trials < 1:
		return usageErrorf("bench overhead: --trials is %d, want 1 or more", opts.Trials)
	case opts.Reps < 1:
		return usageErrorf("bench overhead: --reps is %d, want 1 or more", opts.Reps)
	}
	m, err := searchbench.Overhead(ctx, opts.Trials, opts.Reps)
	if err != nil {
		return err
	}
	fig := overheadFigures{
		RandomUSPerTrial: stats.RoundSig(m.Random.Loop, 3), RandomRunUSPerTrial: stats.RoundSig(m.Random.Run, 3),
		EvolutionUSPerTrial: stats.RoundSig(m.Evolution.Loop, 3), EvolutionRunUSPerTrial: stats.RoundSig(m.Evolution.Run, 3),
		DecodeUS: stats.RoundSig(m.DecodeUS, 3), Trials: opts.Trials, Reps: opts.Reps,
	}
	if opts.JSON {
		return writeJSON(stdout, fig)
	}
	_, err = fmt.Fprintf(stdout, "search loop, 10-decision space, constant objective, median of %d runs of %d trials:\n"+
		"                         loop µs/trial  run µs/trial\n"+
		"  random search          %13.3g  %12.3g\n"+
		"  regularized evolution  %13.3g  %12.3g  (population 100, tournament 10)\n"+
		"decode one DNA: %.3g µs\n",
		opts.Reps, opts.Trials, fig.RandomUSPerTrial, fig.RandomRunUSPerTrial,
		fig.EvolutionUSPerTrial, fig.EvolutionRunUSPerTrial, fig.DecodeUS)
	return err
}
