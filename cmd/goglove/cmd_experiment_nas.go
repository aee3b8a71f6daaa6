package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/c2602f9e/goglove/experiments"
	"github.com/spf13/cobra"
)

// nasOptions are the flags of "goglove experiment nas".
type nasOptions struct {
	JSON, Quick bool
	Out         string
}

const nasVerb = "experiment nas"

const nasUsage = "goglove experiment nas [--quick] [--json] [--out DIR]"

func newExperimentNASCmd() *cobra.Command {
	var opts nasOptions
	cmd := &cobra.Command{
		Use:   "nas [flags]",
		Short: "Search algorithms with and without weight sharing (DARTS, GDAS, REINFORCE, evolution, TPE, random) against an exhaustive ground truth",
		Long: `Nas compares search algorithms on a Fashion-MNIST space small enough to know
exactly: every one of its 48 programs is trained once (through the
trained-model cache, so a second run trains nothing new), which ranks
them by test accuracy. Then random search, regularized evolution, TPE,
REINFORCE (black-box), DARTS first order (darts), second order (darts2)
and Gumbel-softmax (gdas), and the one-shot methods ENAS (enas) and
single-path one-shot (spos) each search the same space, three seeds each,
within the same budget: a tenth of the exhaustive search's training
seconds.

The space: a Sequential of a Dense of 32, 64, 128 or 256 units, then a
Dense of 128 or nothing, then a Dense of 64 or nothing, each followed by
the model's activation (relu, gelu or tanh), and a Dense of 10; AdamW lr
0.002, batch 128, three epochs (kept small so that the whole experiment
runs in minutes on two cores), seed 1; 55,000 training images, the last
5,000 held out for validation. The black-box methods see validation
accuracy and pay the recorded training seconds of each program they try
(a tabular benchmark: the trial is the program the exhaustive search
trained); they return the trial of the best validation accuracy. The
DARTS methods train the space's supernet (6 epochs of 100 weight and
architecture steps) and return its argmax program; their seconds are the
supernet phase's wall time plus the program's training seconds. The
one-shot methods share the supernet's weights among all programs (the
supernet with one-hot mixing weights is the program): enas samples a
path a weight step from a REINFORCE controller, rewarded after each
epoch by the validation accuracy of 4 sampled paths with the shared
weights, and returns the best of the last samples; spos trains a
uniformly random path a step, then regularized evolution evaluates 16
candidates with the inherited weights and returns the best. Both train
6 epochs of 100 steps; their seconds are the wall time plus the returned
program's training seconds (its retraining).

With --json standard output is one JSON object a line per method and
seed,

    {"method": "darts", "seed": 1, "percentile": 5.7, "test_accuracy": 0.85,
     "seconds": 4.2, "program": "...", "trials": 0}

(percentile: 0 is the ground truth's best program, 100 its worst), and a
last line {"exhaustive_seconds": ..., "best_test_accuracy": ...,
"programs": 48}. Without --json: a table and the goal checked in words
(DARTS and the one-shot methods in the top 10% within a tenth of the
exhaustive seconds), whichever way it comes out.

--out DIR (created if missing) writes runs.jsonl (the --json lines),
truth.json (every program's figures), summary.txt and two plots (SVG):
regret.svg, regret against seconds, and darts-logits.svg, the first
DARTS run's architecture logits over the epochs.

--quick is a smoke test of seconds on synthetic data (the same
decisions, narrower layers).

Fashion-MNIST not installed (apt-get install dataset-fashion-mnist, or
$GOGLOVE_DATA_DIR) exits with code 1.`,
		Example: `  goglove experiment nas --quick
  goglove experiment nas --json --out results/nas`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runNAS(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.Quick, "quick", false, "a smoke test of seconds on synthetic data")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object a line per method and seed, and a summary line")
	f.StringVar(&opts.Out, "out", "", "write runs.jsonl, truth.json, summary.txt and the plots regret.svg, darts-logits.svg into DIR (created if missing)")
	return cmd
}

// runNAS runs the experiment and prints its runs and claims.
func runNAS(ctx context.Context, opts nasOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkArgCount(nasVerb, args, 0, nasUsage); err != nil {
		return err
	}
	env, err := experimentEnv(nasVerb, stderr)
	if err != nil {
		return err
	}
	if opts.Out != "" {
		if err := makeOutDir(nasVerb, opts.Out); err != nil {
			return err
		}
	}
	r, err := experiments.RunNAS(ctx, opts.Quick, env, func(line string) { fmt.Fprintln(stderr, errorPrefix+line) })
	if err != nil {
		return experimentRunErr(ctx, nasVerb, "interrupted", err)
	}
	summary := nasSummary(r, experiments.CheckNAS(*r))
	var writeErr error
	if opts.JSON {
		writeErr = writeNASLines(stdout, r)
	} else {
		_, writeErr = io.WriteString(stdout, summary)
	}
	if opts.Out != "" {
		writeErr = errors.Join(writeErr, writeNASOut(opts.Out, r, summary))
	}
	return writeErr
}

// writeNASLines writes a JSON line per run and the summary line.
func writeNASLines(w io.Writer, r *experiments.NASResult) error {
	for _, run := range r.Runs {
		if err := writeJSONLine(w, run); err != nil {
			return err
		}
	}
	return writeJSONLine(w, r.Summary)
}

// nasTruth is a program of truth.json.
type nasTruth struct {
	Program      string  `json:"program"`
	ValAccuracy  float64 `json:"val_accuracy"`
	TestAccuracy float64 `json:"test_accuracy"`
	Seconds      float64 `json:"seconds"`
}

// writeNASOut writes runs.jsonl, truth.json, summary.txt and the plots.
func writeNASOut(dir string, r *experiments.NASResult, summary string) error {
	f, err := os.Create(filepath.Join(dir, "runs.jsonl"))
	if err != nil {
		return err
	}
	err = writeNASLines(f, r)
	err = errors.Join(err, f.Close())
	var truth []nasTruth
	for _, p := range r.Truth {
		truth = append(truth, nasTruth{p.Name, p.ValAccuracy, p.TestAccuracy, p.Seconds})
	}
	b, jerr := json.MarshalIndent(truth, "", "  ")
	return errors.Join(err, jerr,
		os.WriteFile(filepath.Join(dir, "truth.json"), append(b, '\n'), 0o644),
		os.WriteFile(filepath.Join(dir, "summary.txt"), []byte(summary), 0o644),
		experiments.SaveFigures(dir, experiments.NASFigures(r)),
	)
}
