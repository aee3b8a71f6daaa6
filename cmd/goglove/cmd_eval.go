package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime/debug"
	"strings"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/spf13/cobra"
)

// evalOptions are the flags of "goglove eval". The zero value prints text.
type evalOptions struct {
	// JSON prints {"metrics": {...}} instead of a table.
	JSON bool
	// Data, if not empty, is the data program the model is evaluated on
	// instead of its own: inline YAML when it starts with "{", else a
	// file.
	Data string
	// Integer runs the quantized layers on the integer kernels.
	Integer bool
}

const evalUsage = "goglove eval [--json] [--data PROGRAM] [--integer] MODEL"

func newEvalCmd() *cobra.Command {
	var opts evalOptions
	cmd := &cobra.Command{
		Use:   "eval [flags] MODEL",
		Short: "Evaluate a saved model on its program's test set",
		Long: `Eval reads MODEL, a safetensors checkpoint written by
'goglove train --save', rebuilds the network from the program stored in
its metadata, loads the saved parameters, and evaluates it on the
program's test set without training. It prints test_accuracy and
test_loss as a table, or with --json as {"metrics": {...}}: the same
figures, bit for bit, that the training run reported.

A file that is not a valid checkpoint (truncated, tampered with, a
checksum that does not match, no program in its metadata, tensors whose
names or shapes are not the program's parameters) is bad input: one line
naming the file, exit code 2. A file that cannot be read or a dataset that
cannot be loaded exits with code 1.

With --data PROGRAM the model is evaluated on the test split of another
dataset (a trainer.Evaluation of the model): PROGRAM is a data program,
inline YAML when it starts with "{", else a YAML or JSON file, such as
'{_type: trainer.FashionMNIST, transform: [rot90]}'. It must have the
model's numbers of features and classes. The metrics are then
test_accuracy and test_loss on that data, params, model_test_accuracy
(the model's accuracy on its own test set, as recorded) and cached.

With --integer the quantized layers of the model (a Dense with quant
trainer.Ternary or trainer.Int8) run on the exact int8 and ternary
integer kernels, as a deployed model would, instead of their
fake-quantized fp32 form: the figures then agree with the recorded ones
up to float32 rounding, which can move a prediction at a near tie.`,
		Example: `  goglove train program.yaml --save model.safetensors
  goglove eval model.safetensors --json
  goglove eval model.safetensors --data '{_type: trainer.FashionMNIST, transform: [rot90]}'
  goglove eval ternary.safetensors --integer --json`,
		Args: cobra.ArbitraryArgs, // runEval checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEval(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, `print {"metrics": {...}} as JSON instead of a table`)
	cmd.Flags().BoolVar(&opts.Integer, "integer", false, "run the quantized layers on the integer kernels (not with --data)")
	cmd.Flags().StringVar(&opts.Data, "data", "", `evaluate on this data program instead of the model's own (inline YAML starting with "{", or a file)`)
	return cmd
}

// runEval evaluates the checkpoint named by args[0] and prints its test
// metrics.
func runEval(ctx context.Context, opts evalOptions, args []string, stdout, _ io.Writer) error {
	if err := checkArgCount("eval", args, 1, evalUsage); err != nil {
		return err
	}
	file := args[0]
	if opts.Integer && opts.Data != "" {
		return usageErrorf("eval: --integer and --data cannot be combined: --integer evaluates the model on its own test set")
	}
	ckpt, err := checkpoint.ReadFile(file) // its errors name the file
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return err
		}
		return badInput(err)
	}
	var m map[string]float64
	switch {
	case opts.Integer:
		m, err = trainer.EvaluateInteger(ctx, ckpt)
	case opts.Data == "":
		m, err = trainer.Evaluate(ctx, ckpt)
	default:
		var ds trainer.Dataset
		if ds, err = loadData(opts.Data); err != nil {
			return err
		}
		m, err = trainer.Evaluation{Model: trainer.Checkpoint{Path: file}, Data: ds}.Run(ctx, nil)
	}
	if err != nil {
		if errors.Is(err, trainer.ErrCheckpoint) || errors.Is(err, trainer.ErrProgram) || errors.Is(err, data.ErrOptions) {
			return badInput(fmt.Errorf("%s: %w", file, err))
		}
		return fmt.Errorf("%s: %w", file, err)
	}
	if opts.JSON {
		return writeJSON(stdout, trainJSON{Metrics: m})
	}
	_, err = io.WriteString(stdout, metricsTable(m))
	return err
}

// loadData decodes the data program of eval --data: inline YAML when arg
// starts with "{", else the file arg. Every error is bad input.
func loadData(arg string) (trainer.Dataset, error) {
	reg := newRegistry()
	name := arg
	var tree symbolic.Value
	var err error
	if strings.HasPrefix(strings.TrimSpace(arg), "{") {
		name = "--data"
		tree, err = reg.DecodeYAML([]byte(arg), &symbolic.DecodeOptions{Filename: name, MaxBytes: maxInput})
	} else {
		tree, err = decodeFile(reg, arg)
	}
	if err != nil {
		return nil, badInput(inFile(err, name))
	}
	ds, err := symbolic.To[trainer.Dataset](tree)
	if err != nil || ds == nil {
		return nil, badInput(fmt.Errorf("%s: want a data program (_type: trainer.FashionMNIST or trainer.Synthetic), got %s", name, typeName(tree)))
	}
	return ds, nil
}

// saveTrained writes t's network, with its metrics, to path as a
// safetensors checkpoint (trainer.NewCheckpoint), atomically. The program
// stored is root, the file's tree, when root is the Classifier that
// trained the network, and else that Classifier's tree.
func saveTrained(path string, root symbolic.Value, t *trainer.Trained) error {
	return saveTrainedAs("train --save", path, root, t)
}

// saveTrainedAs is saveTrained for verb, which its errors name.
func saveTrainedAs(verb, path string, root symbolic.Value, t *trainer.Trained) error {
	program := root
	if o, ok := root.(*symbolic.Object); !ok || o.Type().Name() != "trainer.Classifier" {
		var err error
		if program, err = trainer.ProgramTree(t.Program); err != nil {
			return fmt.Errorf("%s: %w", verb, err)
		}
	}
	bi, _ := debug.ReadBuildInfo() // nil when the binary has none
	ckpt, err := trainer.NewCheckpoint(program, t.Net, t.Metrics, versionOf(bi).Version)
	if err != nil {
		return err
	}
	if err := checkpoint.WriteFile(path, ckpt); err != nil {
		return fmt.Errorf("%s: %w", verb, err)
	}
	return nil
}
