package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime/debug"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/spf13/cobra"
)

// evalOptions are the flags of "goglove eval". The zero value prints text.
type evalOptions struct {
	// JSON prints {"metrics": {...}} instead of a table.
	JSON bool
}

const evalUsage = "goglove eval [--json] MODEL"

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
cannot be loaded exits with code 1.`,
		Example: `  goglove train program.yaml --save model.safetensors
  goglove eval model.safetensors --json`,
		Args: cobra.ArbitraryArgs, // runEval checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEval(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, `print {"metrics": {...}} as JSON instead of a table`)
	return cmd
}

// runEval evaluates the checkpoint named by args[0] and prints its test
// metrics.
func runEval(ctx context.Context, opts evalOptions, args []string, stdout, _ io.Writer) error {
	if err := checkArgCount("eval", args, 1, evalUsage); err != nil {
		return err
	}
	file := args[0]
	ckpt, err := checkpoint.ReadFile(file) // its errors name the file
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return err
		}
		return badInput(err)
	}
	m, err := trainer.Evaluate(ctx, ckpt)
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

// saveModel writes the network trained from program, with its metrics,
// to path as a safetensors checkpoint (trainer.NewCheckpoint), atomically.
func saveModel(path string, program symbolic.Value, net *nn.Sequential, metrics map[string]float64) error {
	bi, _ := debug.ReadBuildInfo() // nil when the binary has none
	ckpt, err := trainer.NewCheckpoint(program, net, metrics, versionOf(bi).Version)
	if err != nil {
		return err
	}
	if err := checkpoint.WriteFile(path, ckpt); err != nil {
		return fmt.Errorf("train --save: %w", err)
	}
	return nil
}
