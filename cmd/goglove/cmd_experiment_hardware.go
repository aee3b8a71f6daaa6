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
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/storeurl"
	"github.com/spf13/cobra"
)

// hardwareOptions are the flags of "goglove experiment hardware".
type hardwareOptions struct {
	Quick, JSON bool
	// Store, if not "", keeps the studies (else memory), so that goglove
	// best and trials can read them afterwards.
	Store string
	// Out, if not "", is the directory result.json and front.svg are
	// written into.
	Out string
}

const hardwareVerb = "experiment hardware"

const hardwareUsage = "goglove experiment hardware [--quick] [--json] [--store URL] [--out DIR]"

func newExperimentHardwareCmd() *cobra.Command {
	var opts hardwareOptions
	cmd := &cobra.Command{
		Use:   "hardware [--quick] [--json] [--store URL] [--out DIR]",
		Short: "Hardware-aware architecture search: architectures inside a search over deployments",
		Long: `Hardware runs a nested search, experiments/configs/hardware-nas.yaml: an
architecture search inside a search over deployment configurations.

The outer space is a deployment: the kernel (by the quantizer: the fp32
GEMM, the int8 kernel, the packed-ternary kernel), 1 or 2 threads sharing
a batch, a batch of 1, 32 or 256 examples, and a latency budget per
example (2 or 10 µs); a grid of 36. For each, the inner search (TPE
after 3 random trials, 8 trials, never a program twice; the same seed
for every deployment, so that they start from the same architectures)
looks for the architecture (1 to 3 hidden layers of 32 to 256
units, relu or gelu, LayerNorm or not) most accurate on Fashion-MNIST's
5,000 validation images after 2 epochs of AdamW, trained with the outer
quantizer, whose latency as deployed fits the budget: the latency is
measured on this machine's kernels (as goglove bench infer measures
them), the batch split over the threads. An inner program over the
budget is infeasible: recorded as skipped, its metrics kept, it never
wins; an outer deployment with no feasible program fails. An outer
trial's metrics are its inner winner's.

Standard output is the outer Pareto front of validation accuracy (up)
against latency per example (down), by latency: kernel, threads, batch,
budget, latency, validation and test accuracy and the winning
architecture; then the counts of trials. With --json it is one object:

    {"front": [{"kernel": "int8", "threads": 1, "batch": 32,
                "latency_us": 0.85, "val_accuracy": 0.87,
                "test_accuracy": 0.86,
                "architecture": {"hidden": [256], "activation": "relu",
                                 "layernorm": false}}, ...],
     "outer_trials": 36, "inner_trials": 288}

Latencies are measured on a machine other jobs may share: they are the
median of 3 runs of 0.3 s, not a model of the hardware.

--store URL keeps the studies (the outer study hardware-nas, the inner
ones hardware-nas/trial-N/arch), so that goglove best, trials and
studies read them afterwards, and a second run continues them; by
default they are kept in memory. Trained models go to the trained-model
cache, so a second run trains nothing new.

--out DIR (created if missing) writes result.json (the --json object)
and front.svg, a plot of the outer Pareto front: validation and test
accuracy against the latency per example.

--quick runs a smoke test of seconds: 4 outer trials (fp32 and ternary,
one thread, batch 32, a budget of 1000 µs and one of 0.001 µs that no
program meets, so that the infeasible rule shows), 2 inner trials each
of one epoch on three classes, widths 16 or 32.

Fashion-MNIST not installed (apt-get install dataset-fashion-mnist, or
$GOGLOVE_DATA_DIR) exits with code 1. A wrong flag or argument is bad
input (exit code 2).`,
		Example: `  goglove experiment hardware --quick
  goglove experiment hardware --json --store sqlite://hardware.db
  goglove best --store sqlite://hardware.db --study hardware-nas`,
		Args: cobra.ArbitraryArgs, // runHardware checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHardware(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.Quick, "quick", false, "a smoke test of seconds: 4 outer trials of 2 inner trials, one epoch each")
	f.BoolVar(&opts.JSON, "json", false, `print one JSON object: {"front": [...], "outer_trials": n, "inner_trials": n}`)
	f.StringVar(&opts.Store, "store", "", "keep the studies in this store (sqlite://PATH, postgres://…) rather than in memory")
	f.StringVar(&opts.Out, "out", "", "write result.json and the plot front.svg into DIR (created if missing)")
	return cmd
}

// runHardware runs the experiment and prints its front.
func runHardware(ctx context.Context, opts hardwareOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkArgCount(hardwareVerb, args, 0, hardwareUsage); err != nil {
		return err
	}
	if opts.Out != "" {
		if err := makeOutDir(hardwareVerb, opts.Out); err != nil {
			return err
		}
	}
	var st search.Store
	if opts.Store != "" {
		var err error
		if st, err = openStoreMode(ctx, hardwareVerb, opts.Store, &storeurl.Options{Registry: newRegistry()}); err != nil {
			return err
		}
		defer st.Close()
	}
	mode := "full"
	if opts.Quick {
		mode = "quick"
	}
	fmt.Fprintf(stderr, "%shardware: the %s experiment of %s\n", errorPrefix, mode, experiments.HardwareConfigFile)
	res, err := experiments.RunHardware(ctx, experiments.HardwareOptions{
		Quick: opts.Quick,
		Store: st,
		Logf:  func(format string, args ...any) { note(stderr, format, args...) },
		Progress: func(p search.Progress) {
			fmt.Fprintf(stderr, "%shardware: %d of %d deployments searched (%d without a feasible architecture)\n",
				errorPrefix, p.Completed+p.Failed+p.Skipped+p.EarlyStopped, p.Budget, p.Failed)
		},
	})
	if err != nil {
		return experimentRunErr(ctx, hardwareVerb, "interrupted; with --store the studies keep what was done, and running again continues them", err)
	}
	if opts.JSON {
		err = writeJSON(stdout, res)
	} else {
		_, err = io.WriteString(stdout, hardwareText(res))
	}
	if opts.Out != "" {
		err = errors.Join(err, writeHardwareOut(opts.Out, res))
	}
	return err
}

// writeHardwareOut writes result.json and the plot of the front into dir.
func writeHardwareOut(dir string, res *experiments.HardwareResult) error {
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	return errors.Join(
		os.WriteFile(filepath.Join(dir, "result.json"), append(b, '\n'), 0o644),
		experiments.SaveFigures(dir, experiments.HardwareFigures(res)),
	)
}
