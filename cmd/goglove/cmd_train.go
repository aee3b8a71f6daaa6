package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/spf13/cobra"
)

// trainOptions are the flags of "goglove train". The zero value prints
// text.
type trainOptions struct {
	// JSON prints {"metrics": {...}} instead of a table.
	JSON bool
	// Save, if not empty, is the safetensors file the trained network is
	// written to (see saveModel).
	Save string
	// NoCache trains without the trained-model cache.
	NoCache bool
	// terminal forces the progress line to be rewritten in place, as if
	// standard error were a terminal (for tests).
	terminal bool
}

const trainUsage = "goglove train [--json] [--save FILE] [--no-cache] PROGRAM"

func newTrainCmd() *cobra.Command {
	var opts trainOptions
	cmd := &cobra.Command{
		Use:   "train [flags] PROGRAM",
		Short: "Run one child program (train a model, evaluate one) and print its metrics",
		Long: `Train runs the child program in the YAML (or .json) file PROGRAM and
prints its metrics. PROGRAM is any trainer program: a trainer.Classifier,
which trains a network,

    _type: trainer.Classifier
    data: {_type: trainer.FashionMNIST, validation: 5000}   # or trainer.Synthetic
    model: {_type: trainer.MLP, hidden: [256, 256, 256], activation: relu}
    optimizer: {_type: trainer.AdamW, lr: 0.001, weight_decay: 0.0}
    epochs: 5
    batch: 500
    seed: 0

'goglove fmt PROGRAM' shows every field with its default. After each
epoch a progress line on standard error shows the epoch, the mean training
loss, the validation accuracy and the elapsed time; on a terminal the line
is rewritten in place. Then the metrics are printed as a table, one
metric per line (val_accuracy, val_loss, test_accuracy, test_loss,
train_loss, params, size_bits, epochs, steps, stopped_early,
train_seconds, cached), or with --json as one object {"metrics": {...}}.
The validation metrics are absent when the program holds no validation
set.

Programs can hold programs. A trainer.Evaluation evaluates a trained
model (a trainer.Classifier, trained first, or a trainer.Checkpoint file)
on the test split of its own data or of other data, training nothing
itself:

    _type: trainer.Evaluation
    model: {_type: trainer.Checkpoint, path: model.safetensors}
    data: {_type: trainer.FashionMNIST, transform: [rot90]}

A trainer.Merge merges trained models (its models, a list of programs
or checkpoints) after aligning their hidden units, and reports the
merged accuracy and the loss barrier between them.

With --save FILE (for a program that leaves a trained model: a
trainer.Classifier, a trainer.Checkpoint or a trainer.Merge, saved with
its first model's program) the trained network is
written to FILE as a safetensors checkpoint (one float32 tensor per
parameter, named like layers[0].w,
with the program's canonical YAML, the metrics and the goglove version in
its metadata); 'goglove eval FILE' evaluates it again without training.
The file is written only when training completed; when it cannot be
written, the metrics are printed all the same and the exit code is 1.

Training is deterministic given the program, so a trained model is kept
in the trained-model cache under the canonical form of its program
($GOGLOVE_CACHE, else the user's cache directory; see 'goglove cache
--help'): a program trained before (by goglove train, by a search, or as
the model of a stage) is not trained again. Its metrics are those
recorded when it was trained, with cached 1, and a line on standard error
says so. --no-cache trains again and stores nothing; GOGLOVE_CACHE=off
turns the cache off. A damaged cache entry is reported on one line and
retrained. Runs stopped early or interrupted are not stored.

A program that cannot be used (not valid YAML, an unknown type, a value
out of range, a search space instead of a program, not a trainer
program) is bad input: one line naming the file and the key
path, exit code 2. A dataset that cannot be loaded (Fashion-MNIST not
installed) exits with code 1. Ctrl-C stops training between two steps:
the metrics of the epochs completed are printed (without test metrics)
and the exit code is 1.`,
		Example: `  goglove train experiments/configs/fashion-mlp-program.yaml
  goglove train program.yaml --json
  goglove train program.yaml --save model.safetensors
  goglove train program.yaml --no-cache`,
		Args: cobra.ArbitraryArgs, // runTrain checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTrain(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, `print {"metrics": {...}} as JSON instead of a table`)
	cmd.Flags().StringVar(&opts.Save, "save", "", "write the trained network to FILE, a safetensors checkpoint (a LoRA fine-tune's adapter goes to FILE with .adapter before .safetensors as well)")
	cmd.Flags().BoolVar(&opts.NoCache, "no-cache", false, "train even if the program was trained before, and do not store the result (the trained-model cache, see goglove cache)")
	return cmd
}

// runTrain runs the program named by args[0] and prints its metrics.
func runTrain(ctx context.Context, opts trainOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkArgCount("train", args, 1, trainUsage); err != nil {
		return err
	}
	file := args[0]
	tree, p, err := loadProgram(file)
	if err != nil {
		return err
	}
	var mp trainer.ModelProgram
	if opts.Save != "" {
		var ok bool
		if mp, ok = p.(trainer.ModelProgram); !ok {
			return badInput(fmt.Errorf("%s: --save: a %s leaves no trained model to save (want %s)", file, typeName(tree), strings.Join(trainer.ModelProgramTypes(), " or ")))
		}
	}
	terminal := opts.terminal || isTerminal(stderr)
	env := &trainer.Env{
		Progress: func(pr trainer.Progress) {
			line := formatTrainProgress(pr)
			if terminal {
				fmt.Fprint(stderr, "\r"+line+"\x1b[K")
			} else {
				fmt.Fprintln(stderr, line)
			}
		},
		Notice: func(msg string) {
			if terminal {
				fmt.Fprint(stderr, "\r\x1b[K")
			}
			fmt.Fprintln(stderr, msg)
		},
	}
	if !opts.NoCache {
		c, err := cache.Default()
		if err != nil {
			return usageErrorf("train: %v", err)
		}
		env.Cache = c // nil when GOGLOVE_CACHE=off
	}
	var m map[string]float64
	var trained *trainer.Trained
	var adapter *trainer.Adapter // a LoRA fine-tune's, saved beside the model
	var runErr error
	if ft, ok := mp.(tuner); ok {
		var r *trainer.FineTuned
		if r, runErr = ft.Tune(ctx, env); r != nil {
			trained, adapter, m = r.Trained, r.Adapter, r.Trained.Metrics
		}
	} else if mp != nil {
		trained, runErr = mp.TrainedModel(ctx, env)
		if trained != nil {
			m = trained.Metrics
		}
	} else {
		m, runErr = p.Run(ctx, env)
	}
	if terminal {
		fmt.Fprint(stderr, "\r\x1b[K")
	}
	if m == nil {
		if errors.Is(runErr, trainer.ErrProgram) || errors.Is(runErr, trainer.ErrCheckpoint) || errors.Is(runErr, data.ErrOptions) {
			return badInput(fmt.Errorf("%s: %w", file, runErr))
		}
		return runErr
	}
	if m[trainer.MetricCached] == 1 {
		fmt.Fprintln(stderr, "trained before: the model and its metrics come from the trained-model cache (--no-cache trains again; goglove cache ls lists it)")
	}
	var saveErr error // the metrics are printed even when saving fails
	if mp != nil && runErr == nil {
		saveErr = saveTrained(opts.Save, tree, trained)
		if saveErr == nil && adapter != nil {
			path := adapterPath(opts.Save)
			if saveErr = adapter.WriteFile(path); saveErr == nil {
				fmt.Fprintf(stderr, "the LoRA adapter (rank %d, %d tensors) is in %s as well\n", adapter.Rank, len(adapter.Tensors), path)
			} else {
				saveErr = fmt.Errorf("train --save: %w", saveErr)
			}
		}
	}
	if opts.JSON {
		err = writeJSON(stdout, trainJSON{Metrics: m})
	} else {
		_, err = io.WriteString(stdout, metricsTable(m))
	}
	if runErr != nil && ctx.Err() != nil {
		return fmt.Errorf("interrupted after %v epochs; the metrics printed are those of the epochs completed, without test metrics", m[trainer.MetricEpochs])
	}
	return errors.Join(runErr, err, saveErr)
}

// tuner is a fine-tuning program (trainer.FineTune), whose result holds
// the LoRA adapter besides the trained model.
type tuner interface {
	Tune(ctx context.Context, env *trainer.Env) (*trainer.FineTuned, error)
}

// adapterPath returns where train --save PATH writes a LoRA fine-tune's
// adapter: PATH with .adapter before its .safetensors extension
// (model.safetensors: model.adapter.safetensors).
func adapterPath(path string) string {
	return strings.TrimSuffix(path, ".safetensors") + ".adapter.safetensors"
}

// loadProgram decodes the program file and binds it to a trainer.Program,
// returning the tree too; every error is bad input naming the file.
func loadProgram(file string) (symbolic.Value, trainer.Program, error) {
	tree, err := decodeFile(newRegistry(), file)
	if err != nil {
		return nil, nil, err
	}
	err = symbolic.Walk(tree, func(p symbolic.KeyPath, v symbolic.Value) error {
		if _, ok := v.(symbolic.Tagged); ok {
			return &symbolic.Error{File: file, Path: p, Err: symbolic.ErrKind,
				Msg: "a hyper-value (" + v.String() + ") in a program: train takes a program, not a search space (pick a program with 'goglove space sample', or run 'goglove search')"}
		}
		return nil
	})
	if err != nil {
		return nil, nil, badInput(err)
	}
	p, err := trainer.AsProgram(tree)
	if err != nil {
		return nil, nil, badInput(inFile(err, file))
	}
	return tree, p, nil
}

// typeName returns the _type of tree's root, or its kind.
func typeName(tree symbolic.Value) string {
	if o, ok := tree.(*symbolic.Object); ok {
		return o.Type().Name()
	}
	return tree.Kind().String()
}

// trainJSON is what train --json prints; the JSON names are part of the
// command's output format.
type trainJSON struct {
	Metrics map[string]float64 `json:"metrics"`
}

// trainMetricOrder is the order of the metrics in train's table; others
// follow by name.
var trainMetricOrder = []string{
	trainer.MetricValAccuracy, trainer.MetricValLoss,
	trainer.MetricTestAccuracy, trainer.MetricTestLoss, trainer.MetricTrainLoss,
	trainer.MetricParams, trainer.MetricSizeBits,
	trainer.MetricEpochs, trainer.MetricSteps, trainer.MetricStoppedEarly,
	trainer.MetricTrainSeconds,
}

// metricsTable formats metrics as two aligned columns, name and value:
//
//	val_accuracy   0.8718
//	params         335114
func metricsTable(m map[string]float64) string {
	var names []string
	for _, k := range trainMetricOrder {
		if _, ok := m[k]; ok {
			names = append(names, k)
		}
	}
	var rest []string
	for k := range m {
		if !slices.Contains(names, k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	names = append(names, rest...)
	width := 0
	for _, k := range names {
		width = max(width, len(k))
	}
	var b strings.Builder
	for _, k := range names {
		fmt.Fprintf(&b, "%-*s  %s\n", width, k, formatMetric(m[k], 7))
	}
	return b.String()
}

// formatTrainProgress formats one progress line:
//
//	epoch 3/5  loss 0.3121  val accuracy 0.8652  4.1s
func formatTrainProgress(p trainer.Progress) string {
	line := fmt.Sprintf("epoch %d/%d  loss %.4f", p.Epoch, p.Epochs, p.TrainLoss)
	if p.ValLoss != 0 || p.ValAccuracy != 0 {
		line += fmt.Sprintf("  val accuracy %.4f", p.ValAccuracy)
	}
	return line + "  " + formatElapsed(p.Elapsed.Round(100*time.Millisecond))
}
