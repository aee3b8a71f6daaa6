package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/algorithms/problems"
	"github.com/c2602f9e/goglove/experiments/searchbench"
	"github.com/c2602f9e/goglove/internal/stats"
	"github.com/spf13/cobra"
)

// benchBlackboxOptions are the flags of "goglove bench blackbox". Problem
// and Algo must be set; the command's flags default Trials to 200 and
// Seeds to 10.
type benchBlackboxOptions struct {
	// Problem names a problem of package problems, or "all".
	Problem string
	// Algo names an algorithm of the search configs, or "all" for every
	// one that can search the problem's space.
	Algo string
	// Trials is the number of trials of each run.
	Trials int
	// Seeds is the number of runs, with seeds 0 to Seeds-1.
	Seeds int
	// JSON prints one JSON object a line instead of a table.
	JSON bool
}

const benchBlackboxUsage = "goglove bench blackbox --problem P --algo A [--trials N] [--seeds N] [--json]"

func newBenchBlackboxCmd() *cobra.Command {
	var opts benchBlackboxOptions
	cmd := &cobra.Command{
		Use:   "blackbox --problem P --algo A [flags]",
		Short: "Run search algorithms on standard black-box problems",
		Long: `Blackbox runs the search algorithm A on the black-box problem P (branin,
hartmann6, rosenbrock10, ackley10 or ackley10asym, each over its usual
box) once for each seed from 0 to --seeds - 1, each run --trials trials
long with one worker and the in-memory store, exactly as "goglove search"
would. It reports the median over the seeds of the regret (the best value
found minus the known optimum) after 25%, 50% and 100% of the trials, and
the median framework overhead in µs per trial: the run's wall time minus
the time spent computing the function, divided by the trials. The
overhead thus includes proposing, decoding, recording and feedback.

--problem all runs every problem; --algo all runs every algorithm that
can search the problem's space (grid cannot search a continuous one).

The output is a table, or with --json one object a line:

    {"problem": "branin", "algo": "tpe", "trials": 200, "seeds": 10,
     "median_regret": {"50": ..., "100": ..., "200": ...}, "us_per_trial": ...}

median_regret is keyed by trial count.`,
		Example: `  goglove bench blackbox --problem branin --algo tpe
  goglove bench blackbox --problem ackley10 --algo all --trials 200 --seeds 10 --json`,
		Args: cobra.ArbitraryArgs, // runBenchBlackbox checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBenchBlackbox(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Problem, "problem", "", "problem: "+strings.Join(problems.Names(), ", ")+", or all")
	f.StringVar(&opts.Algo, "algo", "", "algorithm: "+strings.Join(algorithms.BlackBoxNames(), ", ")+", or all")
	f.IntVar(&opts.Trials, "trials", 200, "trials of each run")
	f.IntVar(&opts.Seeds, "seeds", 10, "runs, with seeds 0 to N-1")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object a line instead of a table")
	return cmd
}

// blackboxFigures are the figures of one algorithm on one problem; the
// JSON names are part of the command's output format.
type blackboxFigures struct {
	Problem      string        `json:"problem"`
	Algo         string        `json:"algo"`
	Trials       int           `json:"trials"`
	Seeds        int           `json:"seeds"`
	MedianRegret orderedFloats `json:"median_regret"`
	USPerTrial   float64       `json:"us_per_trial"`
}

// runBenchBlackbox runs the algorithms on the problems and prints their
// figures, one row as each is measured.
func runBenchBlackbox(ctx context.Context, opts benchBlackboxOptions, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return usageErrorf("bench blackbox: unexpected argument %q; usage: %s", args[0], benchBlackboxUsage)
	}
	switch {
	case opts.Problem == "":
		return usageErrorf("bench blackbox: --problem is missing; give one of %s, or all", strings.Join(problems.Names(), ", "))
	case opts.Algo == "":
		return usageErrorf("bench blackbox: --algo is missing; give one of %s, or all", strings.Join(algorithms.BlackBoxNames(), ", "))
	case opts.Trials < 1:
		return usageErrorf("bench blackbox: --trials is %d, want 1 or more", opts.Trials)
	case opts.Seeds < 1:
		return usageErrorf("bench blackbox: --seeds is %d, want 1 or more", opts.Seeds)
	}
	probs := problems.All()
	if opts.Problem != "all" {
		p, err := problems.ByName(opts.Problem)
		if err != nil {
			return usageErrorf("bench blackbox: --problem: unknown problem %q; want one of %s, or all", opts.Problem, strings.Join(problems.Names(), ", "))
		}
		probs = []*problems.Problem{p}
	}
	algos := algorithms.BlackBoxNames()
	if opts.Algo != "all" {
		if !slices.Contains(algos, opts.Algo) {
			return usageErrorf("bench blackbox: --algo: unknown algorithm %q; want one of %s, or all", opts.Algo, strings.Join(algos, ", "))
		}
		algos = []string{opts.Algo}
	}
	header := false
	var skipped []string           // algorithms skipped by --algo all, in order
	skips := map[string][]string{} // the problems each skipped
	skipErr := map[string]error{}  // why, on the first of them
	defer func() {
		for _, name := range skipped {
			note(stderr, "%s skipped on %s: %v", name, strings.Join(skips[name], ", "), skipErr[name])
		}
	}()
	for _, p := range probs {
		for _, name := range algos {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := searchbench.CanSearch(name, p); err != nil {
				if opts.Algo == "all" {
					if skips[name] == nil {
						skipped = append(skipped, name)
						skipErr[name] = err
					}
					skips[name] = append(skips[name], p.Name)
					continue
				}
				return usageErrorf("bench blackbox: %s cannot search %s: %w", name, p.Name, err)
			}
			raw, err := searchbench.Blackbox(ctx, p, name, opts.Trials, opts.Seeds)
			if err != nil {
				return err
			}
			fig := toBlackboxFigures(raw)
			if opts.JSON {
				b, err := json.Marshal(fig)
				if err != nil {
					return err
				}
				if _, err := stdout.Write(append(b, '\n')); err != nil {
					return err
				}
				continue
			}
			if !header {
				if _, err := io.WriteString(stdout, blackboxHeader(fig)); err != nil {
					return err
				}
				header = true
			}
			if _, err := io.WriteString(stdout, blackboxRow(fig)); err != nil {
				return err
			}
		}
	}
	return nil
}

// toBlackboxFigures returns the figures of the command's output for fig:
// regret rounded to 4 significant digits and keyed by trial count,
// overhead to 3.
func toBlackboxFigures(fig *searchbench.BlackboxFigures) *blackboxFigures {
	out := &blackboxFigures{Problem: fig.Problem, Algo: fig.Algo, Trials: fig.Trials, Seeds: fig.Seeds,
		USPerTrial: stats.RoundSig(fig.USPerTrial, 3)}
	for i, c := range fig.Checkpoints {
		out.MedianRegret.add(strconv.Itoa(c), stats.RoundSig(fig.MedianRegret[i], 4))
	}
	return out
}

// blackboxHeader returns the header of the table, with one regret column
// per checkpoint of fig.
func blackboxHeader(fig *blackboxFigures) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-13s %-10s %6s %5s", "problem", "algo", "trials", "seeds")
	for _, k := range fig.MedianRegret.keys {
		fmt.Fprintf(&b, " %12s", "regret@"+k)
	}
	fmt.Fprintf(&b, " %9s\n", "us/trial")
	return b.String()
}

// blackboxRow returns one row of the table.
func blackboxRow(fig *blackboxFigures) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-13s %-10s %6d %5d", fig.Problem, fig.Algo, fig.Trials, fig.Seeds)
	for _, v := range fig.MedianRegret.values {
		fmt.Fprintf(&b, " %12.4g", v)
	}
	fmt.Fprintf(&b, " %9.3g\n", fig.USPerTrial)
	return b.String()
}
