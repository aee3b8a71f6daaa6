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

// loraOptions are the flags of "goglove experiment lora".
type loraOptions struct {
	JSON, Quick bool
	Out         string
	Seed        int64
}

const loraVerb = "experiment lora"

const loraUsage = "goglove experiment lora [--quick] [--json] [--out DIR] [--seed 0]"

func newExperimentLoRACmd() *cobra.Command {
	var opts loraOptions
	cmd := &cobra.Command{
		Use:   "lora [flags]",
		Short: "LoRA, rsLoRA and full fine-tuning of a perceptron on rotated Fashion-MNIST: intruder dimensions and forgetting",
		Long: `Lora reproduces the result of "LoRA vs Full Fine-tuning: An Illusion of
Equivalence" (Shuttleworth et al. 2024) on Fashion-MNIST: LoRA and full
fine-tuning reach similar accuracy on a new task while changing the
pre-trained weights differently; low-rank LoRA creates intruder
dimensions (top singular vectors of a fine-tuned matrix unlike every
singular vector of the pre-trained one), full fine-tuning does not, and
models with them forget more of the pre-training task, also over a
sequence of tasks; high-rank rank-stabilized LoRA behaves like full
fine-tuning.

The protocol, so that an independent implementation can run the same:
pre-train 784-256-256-10 (ReLU, He-normal hidden weights, a
Glorot-uniform output layer, zero biases) on all 60,000 training images,
pixels scaled to [0, 1] then standardized with mean 0.2860 and deviation
0.3530, with Adam (lr 1e-3, β1 0.9, β2 0.999, ε 1e-8), batch 256, 10
epochs, seed 0. Fine-tune the two hidden matrices and their biases with a
new head (Glorot-uniform, zero bias) on the images rotated by 90°, 3
epochs, batch 256, Adam: full fine-tuning at lr 1e-4; LoRA at lr 1e-3,
ranks 1, 2, 4, 8, 16, 64, each with α = 2r (γ = 2) and with rsLoRA at
α = 8 (γ = 8/√r), A uniform in ±1/√in and B = 0; the null baseline
continues pre-training (full, lr 1e-4, head kept) on the original images.
Intruders: among the top 10 left singular vectors of each fine-tuned
hidden matrix (out×in, float64 SVD), those whose largest |cosine| with
every left singular vector of the pre-trained matrix is below 0.5.
Forgetting (orig_accuracy, orig_loss): the fine-tuned trunk under the
pre-trained head on the 10,000 original test images. Mitigation: the
intruders' singular values scaled by λ = 0.75 and 0.5, the figures
measured again. Then the sequence rot90, rot180, rot270, hflip, vflip,
invert, each stage fine-tuning the previous one with a new head and the
same budget, for full fine-tuning, LoRA r = 1 (α = 2) and LoRA r = 64
with rsLoRA (α = 8), measuring after each stage the accuracy on the
pre-training task (pre-trained head) and on the first task (rot90, under
the first stage's head).

The pre-trained model (a trainer.Classifier), every fine-tune (a
trainer.FineTune) and every stage of a sequence run through the
trained-model cache ($GOGLOVE_CACHE; see 'goglove cache --help'): a
second run trains nothing and reads every line back, saying so (cached
true; train_seconds are those measured when it was trained). A line on
standard error follows each run.

Standard output is a table of the runs, the table of the sequences and
the paper's claims checked in words, each with its verdict (yes, no,
partly, untested) and the comparisons that decide it, reported
whichever way they come out.

With --json standard output is one JSON object a line: first
{"pretrain_accuracy": …, "pretrain_loss": …, "train_seconds": …,
"cached": …}, then one per fine-tune with "method" (null, full or lora),
"rank", "alpha", "rslora", "gamma", "lr", "task", "target_accuracy",
"target_loss", "orig_accuracy", "orig_loss", "intruders",
"trainable_params", "cached", "lambda" (a list of {"lambda", "target_accuracy",
"target_loss", "orig_accuracy", "orig_loss"}) and "layers" (per target
matrix: "intruders", "max_cos", "update_effective_rank" and the
singular values "base_spectrum", "tuned_spectrum", "update_spectrum"),
then one per stage of a sequence with "sequence", "method", "rank",
"rslora", "gamma", "stage", "task", "target_accuracy", "orig_accuracy",
"orig_loss", "first_accuracy", "first_loss", "intruders" and "cached".

--out DIR (created if missing) writes results.jsonl (those lines),
summary.txt (the tables and the claims), claims.json, per LoRA run
its adapter as adapters/lora-rR[-rs].safetensors, and three plots
(SVG): spectra.svg (the singular values of W0 and of the fine-tuned
matrix against their rank, a panel per fine-tune), intruders.svg (the
intruder dimensions against the rank, LoRA and rsLoRA, full fine-tuning
as a line) and forgetting.svg (the accuracy on the original images and
on the first task along the sequence, per method).

--quick runs a small version for a smoke test: 784-32-32-10, 1 epoch of
pre-training and of each fine-tune, ranks 1 and 8, a sequence of rot90
and rot180 with LoRA r = 8 as the high rank; it takes seconds.

Fashion-MNIST not installed (apt-get install dataset-fashion-mnist, or
$GOGLOVE_DATA_DIR) exits with code 1. Ctrl-C stops between two steps.

--seed N (0 by default, the protocol's) seeds the pre-training and every
fine-tune (initialization, the new heads, the adapters' A and the order
of the examples), to see how far the figures of one seed can be trusted.`,
		Example: `  goglove experiment lora --quick
  goglove experiment lora
  goglove experiment lora --json --out results/lora
  goglove experiment lora --seed 1 --out results/lora-seed1`,
		Args: cobra.ArbitraryArgs, // runLoRA checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLoRA(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.Quick, "quick", false, "a small version for a smoke test: 784-32-32-10, 1 epoch, ranks 1 and 8, two tasks")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object per line instead of the tables and the claims")
	f.Int64Var(&opts.Seed, "seed", 0, "seeds the pre-training and every fine-tune; the protocol's is 0, others measure how far one seed can be trusted")
	f.StringVar(&opts.Out, "out", "", "write results.jsonl, summary.txt, claims.json, the adapters and the plots spectra.svg, intruders.svg, forgetting.svg into DIR (created if missing)")
	return cmd
}

// runLoRA runs the experiment and prints its lines and claims.
func runLoRA(ctx context.Context, opts loraOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkArgCount(loraVerb, args, 0, loraUsage); err != nil {
		return err
	}
	o := experiments.LoRAOptions{Quick: opts.Quick, Seed: opts.Seed}
	if err := o.Check(); err != nil {
		return badInput(fmt.Errorf("%s: --seed: %w", loraVerb, err))
	}
	env, err := experimentEnv(loraVerb, stderr)
	if err != nil {
		return err
	}
	var results *os.File
	if opts.Out != "" {
		if err := makeOutDir(loraVerb, filepath.Join(opts.Out, "adapters")); err != nil {
			return err
		}
		if results, err = os.Create(filepath.Join(opts.Out, "results.jsonl")); err != nil {
			return badInput(fmt.Errorf("%s: --out: %w", loraVerb, err))
		}
		defer results.Close()
	}
	fmt.Fprintf(stderr, "%slora: pre-training, then %s and %s of %s\n", errorPrefix, plural(len(o.Runs()), "fine-tune"),
		plural(len(o.SequenceRuns()), "sequence"), plural(len(loraSequence(o)), "task"))
	var writeErr error
	emit := func(v any) {
		if opts.JSON {
			writeErr = errors.Join(writeErr, writeJSONLine(stdout, v))
		}
		if results != nil {
			writeErr = errors.Join(writeErr, writeJSONLine(results, v))
		}
	}
	res, runErr := experiments.RunLoRA(ctx, o, env, func(p experiments.LoRAProgress) {
		fmt.Fprintln(stderr, errorPrefix+formatLoRAProgress(p))
		switch {
		case p.Pretrain != nil:
			emit(p.Pretrain)
		case p.Run != nil:
			emit(p.Run)
			if opts.Out != "" && p.Run.Adapter != nil {
				writeErr = errors.Join(writeErr, p.Run.Adapter.WriteFile(filepath.Join(opts.Out, "adapters", adapterFile(p.Run))))
			}
		case p.Stage != nil:
			emit(p.Stage)
		}
	})
	runErr = experimentRunErr(ctx, loraVerb, "interrupted; the lines printed are those finished", runErr)
	if res == nil {
		return errors.Join(runErr, writeErr)
	}
	checks := experiments.CheckLoRA(res)
	summary := loraSummary(res, checks, runErr == nil)
	if !opts.JSON {
		_, err := io.WriteString(stdout, summary)
		writeErr = errors.Join(writeErr, err)
	}
	if opts.Out != "" && runErr == nil {
		b, err := json.MarshalIndent(checks, "", "  ")
		writeErr = errors.Join(writeErr, err,
			os.WriteFile(filepath.Join(opts.Out, "summary.txt"), []byte(summary), 0o644),
			os.WriteFile(filepath.Join(opts.Out, "claims.json"), append(b, '\n'), 0o644),
			experiments.SaveFigures(opts.Out, experiments.LoRAFigures(res)))
	}
	if results != nil {
		writeErr = errors.Join(writeErr, results.Close())
	}
	return errors.Join(runErr, writeErr)
}

// loraSequence returns the tasks of o's sequence.
func loraSequence(o experiments.LoRAOptions) []string {
	if o.Quick {
		return experiments.LoRAQuickSequence
	}
	return experiments.LoRASequence
}

// adapterFile names a LoRA run's adapter file: lora-r8.safetensors,
// lora-r8-rs.safetensors.
func adapterFile(r *experiments.LoRARow) string {
	name := fmt.Sprintf("lora-r%d", r.Rank)
	if r.RSLoRA {
		name += "-rs"
	}
	return name + ".safetensors"
}

// formatLoRAProgress formats the line that follows a measurement:
//
//	lora: pre-trained: test accuracy 89.10%, 41.2s
//	lora 3/32: lora r=1 α=2: target 80.12%, original 60.02%, 3 intruders, 4.10s
//	lora 16/32: sequence full, stage 2 (rot180): target 84.00%, original 50.00%, first task 70.00%
func formatLoRAProgress(p experiments.LoRAProgress) string {
	switch {
	case p.Pretrain != nil:
		line := fmt.Sprintf("lora: pre-trained: test accuracy %.2f%%, %.1fs", 100*p.Pretrain.PretrainAccuracy, p.Pretrain.TrainSeconds)
		if p.Pretrain.Cached {
			line += " (from the trained-model cache)"
		}
		return line
	case p.Run != nil:
		r := p.Run
		name := experiments.LoRARun{Method: r.Method, Rank: r.Rank, Alpha: r.Alpha, RSLoRA: r.RSLoRA}.String()
		line := fmt.Sprintf("lora %d/%d: %s: target %.2f%%, original %.2f%%, %s, %.2fs", p.I+1, p.N, name,
			100*r.TargetAccuracy, 100*r.OrigAccuracy, plural(r.Intruders, "intruder"), r.TrainSeconds)
		if r.Cached {
			line += " (from the trained-model cache)"
		}
		return line
	case p.Stage != nil:
		s := p.Stage
		line := fmt.Sprintf("lora %d/%d: sequence %s, stage %d (%s): target %.2f%%, original %.2f%%, first task %.2f%%", p.I+1, p.N,
			s.Sequence, s.Stage, s.Task, 100*s.TargetAccuracy, 100*s.OrigAccuracy, 100*s.FirstAccuracy)
		if s.Cached {
			line += " (from the trained-model cache)"
		}
		return line
	}
	return "lora"
}
