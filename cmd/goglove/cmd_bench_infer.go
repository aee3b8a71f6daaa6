package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/internal/stats"
	"github.com/c2602f9e/goglove/trainer/bench"
	"github.com/spf13/cobra"
)

// benchInferOptions are the flags of "goglove bench infer".
type benchInferOptions struct {
	// Seconds is the time spent measuring each figure.
	Seconds float64
	// Runs is the number of timed runs of each figure (the median is
	// reported).
	Runs int
	// JSON prints one JSON object instead of a table.
	JSON bool
	// Kernels are the kernels measured, in the order of the rows of each
	// shape.
	Kernels []string
}

const benchInferUsage = "goglove bench infer [--seconds S] [--runs N] [--kernels K,...] [--json]"

func newBenchInferCmd() *cobra.Command {
	var opts benchInferOptions
	cmd := &cobra.Command{
		Use:   "infer [flags]",
		Short: "Measure inference throughput of a forward pass on one core",
		Long: `Infer measures how fast goglove runs a trained network forward on one
core of this machine: examples per second of the forward pass (no
gradient) of the network 784-H-H-10, ReLU after each hidden layer, with
H = 256, 1024 and 4096, at batch 1, 32 and 256, with each kernel of
--kernels: 9 figures a kernel.

The kernels: fp32 runs the float32 network (the float32 GEMM); int8 and
ternary run the same network (the same random initialization) with all
three dense layers quantized — int8 codes with one scale per output unit,
or ternary codes {-1, 0, 1} with the layer's mean absolute weight as
scale — on activations quantized to int8 per example (absmax), through
the exact integer GEMMs. The kernels of one shape are measured one after
the other, so their ratios (the "x fp32" column: examples/s over the
fp32 figure of the same H and batch) compare runs under the same load.

Each figure is measured on one goroutine locked to its thread, and is
the median of --runs timed runs sharing --seconds, after a warm-up.
Rates are over wall time; "cpu" figures are over the thread's CPU time,
which other jobs on the machine disturb less. GFLOP/s counts
2·(784·H + H² + 10·H) per example. Progress goes to stderr.

With --json it prints one object: rows, one per figure, each with
kernel, batch, hidden, examples_per_s, examples_per_cpu_s, us_per_batch
(the latency of a batch) and gflops (GFLOP/s, or integer GOP/s for int8
and ternary); and kernel_path (the float32 kernels), int_kernel_path
(the integer kernels: avx512vnni, avx2 or go), seconds and runs.`,
		Example: `  goglove bench infer
  goglove bench infer --seconds 3 --runs 5 --json
  goglove bench infer --kernels fp32,ternary`,
		Args: cobra.ArbitraryArgs, // runBenchInfer checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBenchInfer(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.Float64Var(&opts.Seconds, "seconds", 1.5, "seconds of measurement per figure")
	f.IntVar(&opts.Runs, "runs", 5, "timed runs per figure (the median is reported)")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object instead of a table")
	f.StringSliceVar(&opts.Kernels, "kernels", bench.InferKernels, "kernels to measure: fp32, int8, ternary (comma-separated)")
	return cmd
}

// inferFigures is what bench infer reports; the JSON names are part of the
// command's output format (the hardware search reads the rows).
type inferFigures struct {
	Rows          []inferRow `json:"rows"`
	KernelPath    string     `json:"kernel_path"`
	IntKernelPath string     `json:"int_kernel_path"`
	Seconds       float64    `json:"seconds"`
	Runs          int        `json:"runs"`
}

// inferRow is one figure of bench infer.
type inferRow struct {
	Kernel          string  `json:"kernel"`
	Batch           int     `json:"batch"`
	Hidden          int     `json:"hidden"`
	ExamplesPerS    float64 `json:"examples_per_s"`
	ExamplesPerCPUS float64 `json:"examples_per_cpu_s"`
	USPerBatch      float64 `json:"us_per_batch"`
	GFLOPS          float64 `json:"gflops"`
}

// runBenchInfer measures and prints the figures.
func runBenchInfer(ctx context.Context, opts benchInferOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkTimingFlags("bench infer", benchInferUsage, args, opts.Seconds, opts.Runs); err != nil {
		return err
	}
	bo := bench.Options{
		Duration: time.Duration(opts.Seconds * float64(time.Second)),
		Runs:     opts.Runs,
		Progress: func(msg string) { fmt.Fprintln(stderr, errorPrefix+"bench infer: "+msg) },
	}
	if len(opts.Kernels) == 0 {
		return fmt.Errorf("bench infer: --kernels is empty, want some of %s", strings.Join(bench.InferKernels, ","))
	}
	rates, err := bench.Infer(ctx, bench.InferCases(opts.Kernels...), bo)
	if err != nil {
		return err
	}
	fig := inferFigures{KernelPath: bench.KernelPath(), IntKernelPath: bench.IntKernelPath(), Seconds: opts.Seconds, Runs: opts.Runs}
	for _, r := range rates {
		fig.Rows = append(fig.Rows, inferRow{Kernel: r.Case.Kernel, Batch: r.Case.Batch, Hidden: r.Case.Hidden,
			ExamplesPerS: stats.RoundSig(r.ExamplesPerS, 4), ExamplesPerCPUS: stats.RoundSig(r.ExamplesPerCPUS, 4),
			USPerBatch: stats.RoundSig(r.MicrosPerBatch(), 4), GFLOPS: stats.RoundSig(r.GFLOPS, 4)})
	}
	if opts.JSON {
		return writeJSON(stdout, fig)
	}
	_, err = io.WriteString(stdout, formatInferFigures(fig))
	return err
}

// formatInferFigures returns the text output of bench infer: a table.
func formatInferFigures(fig inferFigures) string {
	var b strings.Builder
	fmt.Fprintf(&b, "forward pass of 784-H-H-10 (ReLU) on one core, kernel path %s, integer kernel path %s; medians of %d runs in %g s per figure\n\n",
		fig.KernelPath, fig.IntKernelPath, fig.Runs, fig.Seconds)
	fmt.Fprintf(&b, "%-7s %6s %5s %12s %14s %10s %8s %7s\n", "kernel", "H", "batch", "examples/s", "examples/cpu s", "µs/batch", "GFLOP/s", "x fp32")
	fp32 := map[[2]int]float64{}
	for _, r := range fig.Rows {
		if r.Kernel == bench.KernelFP32 {
			fp32[[2]int{r.Hidden, r.Batch}] = r.ExamplesPerS
		}
	}
	for _, r := range fig.Rows {
		ratio := 0.0
		if f := fp32[[2]int{r.Hidden, r.Batch}]; f > 0 && r.Kernel != bench.KernelFP32 {
			ratio = r.ExamplesPerS / f
		}
		fmt.Fprintf(&b, "%-7s %6d %5d %12.0f %14s %10.1f %8.1f %7s\n", r.Kernel, r.Hidden, r.Batch, r.ExamplesPerS,
			orDash(r.ExamplesPerCPUS, "%.0f"), r.USPerBatch, r.GFLOPS, orDash(ratio, "%.2f"))
	}
	return b.String()
}
