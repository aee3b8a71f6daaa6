package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/c2602f9e/goglove/experiments"
	"github.com/spf13/cobra"
)

// lmcOptions are the flags of "goglove experiment lmc", as given.
type lmcOptions struct {
	Width, Epochs int
	Seeds         string
	JSON, Quick   bool
	Out           string
	changed       func(name string) bool
}

const lmcVerb = "experiment lmc"

const lmcUsage = "goglove experiment lmc [--width 256] [--epochs 5] [--seeds 0,1,2] [--quick] [--json] [--out DIR]"

func newExperimentLMCCmd() *cobra.Command {
	var opts lmcOptions
	cmd := &cobra.Command{
		Use:   "lmc [flags]",
		Short: "Linear mode connectivity after permutation alignment (weight matching, STE) on Fashion-MNIST",
		Long: `Lmc reproduces the results of Git Re-Basin (Ainsworth et al. 2023) and of
Ito et al. (2024, "Analysis of Linear Mode Connectivity via
Permutation-Based Weight Matching") on Fashion-MNIST: two networks trained
from different seeds have a high loss barrier on the straight line
between their weights; permuting the hidden units of one to minimise
‖θ_A − π(θ_B)‖² (weight matching, WM) removes most of the barrier,
although the L2 distance falls only a little; permutations keep every
singular value and align the top singular vectors; WM beats the
straight-through estimator (STE), especially with three models.

The protocol, so that an independent implementation can run the same:
784-W-W-W-10 perceptrons with ReLU (W = --width, 256), every dense layer
initialized as PyTorch's nn.Linear by default (weights and biases
uniform in ±1/√in); Adam (β1 0.9, β2 0.999, ε 1e-8, no weight decay),
lr 1e-3, constant; batch 500; 5 epochs (--epochs) on all 60,000 training
images, pixels scaled to [0, 1] and standardized with mean 0.2860 and
deviation 0.3530; one network per seed (--seeds, three: models 1, 2, 3).
On the 10,000 test images, with 11 values of λ from 0 to 1, the loss
barrier is max over λ of loss(λ) − ((1−λ)·loss(0) + λ·loss(1)) and the
accuracy barrier max over λ of ((1−λ)·acc(0) + λ·acc(1)) − acc(λ).
Models 1 and 2 are the pair; for three models, models 2 and 3 are both
aligned to model 1 (the anchor protocol). WM is coordinate descent over
the layers in a random order, one exact linear assignment a step, until
no layer improves; STE trains 1000 batches of 500 training images with
Adam at lr 1e-3, warm-started from WM. Activation matching (AM, the
am keys) correlates the activations after each hidden layer over the
first 20 batches of 500 training images.

The networks are trainer.Classifier programs run through the trainer
with the trained-model cache ($GOGLOVE_CACHE), so running the experiment
again trains nothing new. A line on standard error follows each step.

With --json standard output is one JSON object:

    {"width": 256, "epochs": 5, "seeds": [0, 1, 2], "acc": [...], "loss": [...],
     "l2_ratio": ..., "loss_barrier_naive": ..., "loss_barrier_wm": ...,
     "loss_barrier_ste": ..., "acc_barrier_naive": ..., "acc_barrier_wm": ...,
     "acc_barrier_ste": ..., "mid_acc_naive": ..., "mid_acc_wm": ...,
     "mid_acc_ste": ..., "loss_barrier_am": ..., "acc_barrier_am": ...,
     "mid_acc_am": ..., "perm_singular_values_maxdiff": ...,
     "sv_alignment_naive": ..., "sv_alignment_wm": ...,
     "bc_loss_barrier_naive": ..., "bc_loss_barrier_wm_anchor": ...,
     "bc_loss_barrier_ste": ..., "avg3_acc_naive": ..., "avg3_acc_wm": ...,
     "avg3_acc_ste": ..., "avg3_acc_merge_many": ..., "wm_seconds": ...,
     "ste_seconds": ..., "am_seconds": ..., "train_seconds": [...],
     "cached": [...]}

(accuracies are fractions, losses mean cross-entropies in nats; avg3 is
the plain average of the three models, naive, aligned to model 1 by WM
or STE, or aligned to each other by MergeMany). Without --json: a table
of the figures, the loss and accuracy along λ, and each claim checked in
words, with its verdict (yes, no, partly), whichever way it comes out.

--out DIR (created if missing) writes result.json (the object),
path.csv (λ and the loss and accuracy along the path from model 1 to
model 2, naive, after WM and after STE), summary.txt (the text) and two
plots (SVG) of that path: loss.svg, the test loss along λ, and
accuracy.svg, the test accuracy, a line each for naive, WM, STE and
activation matching.

--quick is a smoke test of seconds: width 32, 1 epoch and 20 STE steps
(explicit --width and --epochs still win), on the full data.

A bad flag is bad input: one line naming it, exit code 2. Fashion-MNIST
not installed (apt-get install dataset-fashion-mnist, or
$GOGLOVE_DATA_DIR) exits with code 1.`,
		Example: `  goglove experiment lmc --quick
  goglove experiment lmc
  goglove experiment lmc --json --out results/lmc
  goglove experiment lmc --width 512 --seeds 3,4,5`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.changed = cmd.Flags().Changed
			return runLMC(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Width, "width", experiments.LMCWidth, "hidden width W of the 784-W-W-W-10 networks")
	f.IntVar(&opts.Epochs, "epochs", experiments.LMCEpochs, "epochs per network, over all 60,000 training images")
	f.StringVar(&opts.Seeds, "seeds", "0,1,2", "the seeds of models 1, 2 and 3, a comma list of three")
	f.BoolVar(&opts.Quick, "quick", false, "a smoke test: width 32, 1 epoch, 20 STE steps, unless --width or --epochs are given")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object instead of the tables and the claims")
	f.StringVar(&opts.Out, "out", "", "write result.json, path.csv, summary.txt and the plots loss.svg, accuracy.svg into DIR (created if missing)")
	return cmd
}

// settings returns the experiment's settings from the flags.
func (o lmcOptions) settings() (experiments.LMCOptions, error) {
	var s experiments.LMCOptions
	seeds, err := parseIntList(lmcVerb, "seeds", o.Seeds, 0, 1<<31-1, "0,1,2")
	if err != nil {
		return s, err
	}
	if len(seeds) != 3 {
		return s, usageErrorf("%s: --seeds: %d seeds; want three, the seeds of models 1, 2 and 3", lmcVerb, len(seeds))
	}
	for _, v := range seeds {
		s.Seeds = append(s.Seeds, int64(v))
	}
	if o.Width < 1 || o.Width > 65536 {
		return s, usageErrorf("%s: --width: %d is out of range; want 1 to 65536", lmcVerb, o.Width)
	}
	if o.Epochs < 1 || o.Epochs > 100000 {
		return s, usageErrorf("%s: --epochs: %d is out of range; want 1 to 100000", lmcVerb, o.Epochs)
	}
	s.Width, s.Epochs = o.Width, o.Epochs
	if o.Quick {
		if !o.changed("width") {
			s.Width = experiments.LMCQuickWidth
		}
		if !o.changed("epochs") {
			s.Epochs = experiments.LMCQuickEpochs
		}
		s.STESteps = experiments.LMCQuickSTESteps
	}
	return s, badInput(s.Check())
}

// runLMC runs the experiment and prints its figures and claims.
func runLMC(ctx context.Context, opts lmcOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkArgCount(lmcVerb, args, 0, lmcUsage); err != nil {
		return err
	}
	if opts.changed == nil {
		opts.changed = func(string) bool { return false }
	}
	s, err := opts.settings()
	if err != nil {
		return err
	}
	env, err := experimentEnv(lmcVerb, stderr)
	if err != nil {
		return err
	}
	if opts.Out != "" {
		if err := makeOutDir(lmcVerb, opts.Out); err != nil {
			return err
		}
	}
	r, err := experiments.RunLMC(ctx, s, env, func(line string) { fmt.Fprintln(stderr, errorPrefix+line) })
	if err != nil {
		return experimentRunErr(ctx, lmcVerb, "interrupted", err)
	}
	checks := experiments.CheckLMC(*r)
	summary := lmcSummary(r, checks)
	var writeErr error
	if opts.JSON {
		writeErr = writeJSONLine(stdout, r)
	} else {
		_, writeErr = io.WriteString(stdout, summary)
	}
	if opts.Out != "" {
		writeErr = errors.Join(writeErr, writeLMCOut(opts.Out, r, summary))
	}
	return writeErr
}

// writeLMCOut writes result.json, path.csv, summary.txt and the plots
// into dir.
func writeLMCOut(dir string, r *experiments.LMCResult, summary string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return errors.Join(
		os.WriteFile(filepath.Join(dir, "result.json"), append(b, '\n'), 0o644),
		os.WriteFile(filepath.Join(dir, "path.csv"), []byte(lmcPathCSV(r.Paths)), 0o644),
		os.WriteFile(filepath.Join(dir, "summary.txt"), []byte(summary), 0o644),
		experiments.SaveFigures(dir, experiments.LMCFigures(r)),
	)
}

// lmcPathCSV formats the paths as CSV, one row per λ:
//
//	lambda,loss_naive,loss_wm,loss_ste,acc_naive,acc_wm,acc_ste
func lmcPathCSV(p experiments.LMCPaths) string {
	out := "lambda,loss_naive,loss_wm,loss_ste,acc_naive,acc_wm,acc_ste\n"
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 8, 64) }
	for i := range p.Naive {
		out += f(p.Naive[i].Lambda) + "," + f(p.Naive[i].Loss) + "," + f(p.WM[i].Loss) + "," + f(p.STE[i].Loss) + "," +
			f(p.Naive[i].Accuracy) + "," + f(p.WM[i].Accuracy) + "," + f(p.STE[i].Accuracy) + "\n"
	}
	return out
}
