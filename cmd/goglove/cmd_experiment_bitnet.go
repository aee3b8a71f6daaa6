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

// bitnetOptions are the flags of "goglove experiment bitnet", as given.
type bitnetOptions struct {
	Widths, LRs, WDs string
	Epochs           int
	JSON, Quick      bool
	Out              string
	// changed reports whether a flag was given on the command line.
	changed func(name string) bool
}

const bitnetVerb = "experiment bitnet"

const bitnetUsage = "goglove experiment bitnet [--widths 64,128,256] [--lrs 1e-3,3e-3] [--wds 0] [--epochs 5] [--quick] [--json] [--out DIR]"

func newExperimentBitNetCmd() *cobra.Command {
	var opts bitnetOptions
	cmd := &cobra.Command{
		Use:   "bitnet [flags]",
		Short: "Ternary (1.58-bit) against fp32 training of small perceptrons on Fashion-MNIST",
		Long: `Bitnet reproduces the result of "BitNet b1.58 Reloaded" (Nielsen and
Schneider-Kamp, 2024) on Fashion-MNIST: small networks trained with
1.58-bit quantization-aware training (ternary weights {-1, 0, 1} times a
scale) match full precision at about twice the hidden width, and the
median of |W| can replace the mean as the scale.

The protocol, so that an independent implementation can run the same: a
784-H-H-10 perceptron with ReLU; three modes, fp32, ternary absmean
(β = mean |W|) and ternary absmedian (β = median |W|), every linear layer
quantized, the output layer too (trainer.Ternary: the layer's input goes
through a LayerNorm without parameters and 8-bit absmax quantization,
the weights are rounded to {-1, 0, 1}·β in the forward pass and trained
in float32 through the straight-through estimator); AdamW (β1 0.9, β2
0.999, ε 1e-8) at a constant learning rate, weight decay 0 unless --wds
says otherwise; batch 128; 5 epochs on all 60,000 training images (no
validation set), pixels scaled to [0, 1] and standardized with mean
0.2860 and deviation 0.3530; accuracy on the 10,000 test images; seed 0.
One run per mode × width (--widths) × learning rate (--lrs) × weight
decay (--wds): 18 runs by default.

Each run is a trainer.Classifier program run through the trainer with
the trained-model cache ($GOGLOVE_CACHE; see 'goglove cache --help'), so
running the experiment again trains nothing new: rows from the cache say
so (cached true) and keep the train_seconds measured when they were
trained. A line on standard error follows each run.

Standard output is a table, one row per run (test accuracy, fraction of
zero weights, size in bits with scales and biases, bits per weight,
training seconds), the best test accuracy over the learning rates per
mode and width, and the claims checked in words, each with its verdict
(yes, no, partly, untested) and the comparisons that decide it:

  1. Does ternary at 2H reach fp32 at H within 0.5 points (best
     learning rate each)?
  2. Are there fewer zeros with the median (same width, learning rate,
     weight decay)?
  3. Can the median replace the mean (absmedian within 0.5 points of
     absmean at the same width)?
  4. With two weight decays or more (--wds 0,0.01,0.1): how far the
     best accuracy moves across them, per mode and width, the
     robustness the paper studies.

The learning rate is chosen on test accuracy, as the protocol keeps no
validation set; every mode is chosen the same way.

With --json standard output is one JSON object a line, one per run, as
it finishes:

    {"mode": "absmean", "width": 128, "lr": 0.001, "weight_decay": 0,
     "epochs": 5, "test_accuracy": 0.8712, "test_loss": 0.36,
     "zeros": 0.31, "size_bits": 215690, "bits_per_weight": 1.6,
     "params": 118282, "train_seconds": 9.4, "cached": false}

--out DIR (created if missing) writes results.jsonl (those lines),
summary.txt (the table and the claims), claims.json (the claims as
a JSON list of {"question", "verdict", "answer", "cases"}) and two plots
(SVG): accuracy.svg, the best test accuracy over the learning rates and
weight decays against the size in bits, a line per mode, and
accuracy-width.svg, the same against the hidden width.

--quick runs a small grid for a smoke test: widths 16,32, learning rate
3e-3 and 1 epoch (explicit --widths, --lrs and --epochs still win), 6
runs on the full data; it takes seconds.

A bad list (not numbers, out of range, a value twice) is bad input: one
line naming the flag, exit code 2. Fashion-MNIST not installed
(apt-get install dataset-fashion-mnist, or $GOGLOVE_DATA_DIR) exits with
code 1. Ctrl-C stops between two steps; the rows finished are printed.`,
		Example: `  goglove experiment bitnet --quick
  goglove experiment bitnet
  goglove experiment bitnet --json --out results/bitnet
  goglove experiment bitnet --widths 64,128 --lrs 1e-3 --wds 0,0.01,0.1`,
		Args: cobra.ArbitraryArgs, // runBitNet checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.changed = cmd.Flags().Changed
			return runBitNet(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Widths, "widths", "64,128,256", "hidden widths H of the 784-H-H-10 networks, a comma list")
	f.StringVar(&opts.LRs, "lrs", "1e-3,3e-3", "AdamW learning rates, a comma list")
	f.StringVar(&opts.WDs, "wds", "0", "AdamW weight decays, a comma list (several: the weight-decay sweep)")
	f.IntVar(&opts.Epochs, "epochs", experiments.BitNetEpochs, "epochs per run, over all 60,000 training images")
	f.BoolVar(&opts.Quick, "quick", false, "a small grid for a smoke test: widths 16,32, lr 3e-3 and 1 epoch, unless --widths, --lrs or --epochs are given")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object per run instead of the table and the claims")
	f.StringVar(&opts.Out, "out", "", "write results.jsonl, summary.txt, claims.json and the plots accuracy.svg, accuracy-width.svg into DIR (created if missing)")
	return cmd
}

// grid returns the experiment's grid from the flags.
func (o bitnetOptions) grid() (experiments.BitNetOptions, error) {
	var g experiments.BitNetOptions
	var err error
	if g.Widths, err = parseIntList(bitnetVerb, "widths", o.Widths, 1, 65536, "64,128,256"); err != nil {
		return g, err
	}
	if g.LRs, err = parseFloatList(bitnetVerb, "lrs", o.LRs, 1e-12, 10, "1e-3,3e-3"); err != nil {
		return g, err
	}
	if g.WDs, err = parseFloatList(bitnetVerb, "wds", o.WDs, 0, 10, "0,0.01,0.1"); err != nil {
		return g, err
	}
	if o.Epochs < 1 || o.Epochs > 100000 {
		return g, usageErrorf("%s: --epochs: %d is out of range; want 1 to 100000", bitnetVerb, o.Epochs)
	}
	g.Epochs = o.Epochs
	if o.Quick {
		if !o.changed("widths") {
			g.Widths = experiments.BitNetQuickWidths
		}
		if !o.changed("lrs") {
			g.LRs = experiments.BitNetQuickLRs
		}
		if !o.changed("epochs") {
			g.Epochs = experiments.BitNetQuickEpochs
		}
	}
	return g, badInput(g.Check())
}

// runBitNet runs the experiment and prints its rows and claims.
func runBitNet(ctx context.Context, opts bitnetOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkArgCount(bitnetVerb, args, 0, bitnetUsage); err != nil {
		return err
	}
	if opts.changed == nil {
		opts.changed = func(string) bool { return false }
	}
	g, err := opts.grid()
	if err != nil {
		return err
	}
	env, err := experimentEnv(bitnetVerb, stderr)
	if err != nil {
		return err
	}
	var results *os.File
	if opts.Out != "" {
		if err := makeOutDir(bitnetVerb, opts.Out); err != nil {
			return err
		}
		if results, err = os.Create(filepath.Join(opts.Out, "results.jsonl")); err != nil {
			return badInput(fmt.Errorf("%s: --out: %w", bitnetVerb, err))
		}
		defer results.Close()
	}
	n := len(g.Runs())
	fmt.Fprintf(stderr, "%sbitnet: %s (%s × %s × %s × %s), %s each\n", errorPrefix, plural(n, "run"),
		plural(len(experiments.BitNetModes()), "mode"), plural(len(g.Widths), "width"), plural(len(g.LRs), "learning rate"),
		plural(len(g.WDs), "weight decay"), plural(g.Epochs, "epoch"))
	var writeErr error
	rows, runErr := experiments.RunBitNet(ctx, g, env, func(i, n int, row experiments.BitNetRow) {
		fmt.Fprintln(stderr, errorPrefix+formatBitNetProgress(i, n, row))
		if opts.JSON {
			writeErr = errors.Join(writeErr, writeJSONLine(stdout, row))
		}
		if results != nil {
			writeErr = errors.Join(writeErr, writeJSONLine(results, row))
		}
	})
	runErr = experimentRunErr(ctx, bitnetVerb, fmt.Sprintf("interrupted after %d of %d runs; the rows printed are those finished", len(rows), n), runErr)
	var summary string
	if runErr == nil {
		summary = bitnetSummary(g, rows, experiments.CheckBitNet(rows))
	} else {
		summary = bitnetTable(rows)
	}
	if !opts.JSON {
		_, err := io.WriteString(stdout, summary)
		writeErr = errors.Join(writeErr, err)
	}
	if opts.Out != "" && runErr == nil {
		writeErr = errors.Join(writeErr, writeBitNetOut(opts.Out, summary, rows))
	}
	if results != nil {
		writeErr = errors.Join(writeErr, results.Close())
	}
	return errors.Join(runErr, writeErr)
}

// writeBitNetOut writes summary.txt, claims.json and the plots into dir.
func writeBitNetOut(dir, summary string, rows []experiments.BitNetRow) error {
	b, err := json.MarshalIndent(experiments.CheckBitNet(rows), "", "  ")
	if err != nil {
		return err
	}
	return errors.Join(
		os.WriteFile(filepath.Join(dir, "summary.txt"), []byte(summary), 0o644),
		os.WriteFile(filepath.Join(dir, "claims.json"), append(b, '\n'), 0o644),
		experiments.SaveFigures(dir, experiments.BitNetFigures(rows)),
	)
}

// formatBitNetProgress formats the line that follows run i of n:
//
//	bitnet 3/18: absmean H=64 lr=0.001 wd=0: test accuracy 86.12%, zeros 31.20%, 2.31s
func formatBitNetProgress(i, n int, r experiments.BitNetRow) string {
	run := experiments.BitNetRun{Mode: r.Mode, Width: r.Width, LR: r.LR, WeightDecay: r.WeightDecay, Epochs: r.Epochs}
	line := fmt.Sprintf("bitnet %d/%d: %s: test accuracy %.2f%%, zeros %.2f%%, %s",
		i+1, n, run, 100*r.TestAccuracy, 100*r.Zeros, strconv.FormatFloat(r.TrainSeconds, 'f', 2, 64)+"s")
	if r.Cached {
		line += " (from the trained-model cache)"
	}
	return line
}

// plural returns "1 run" or "n runs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
