package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/experiments/pytorch"
	"github.com/c2602f9e/goglove/internal/stats"
	"github.com/c2602f9e/goglove/trainer/bench"
	"github.com/spf13/cobra"
)

// benchTrainOptions are the flags of "goglove bench train".
type benchTrainOptions struct {
	// Seconds is the time spent measuring each figure.
	Seconds float64
	// Runs is the number of timed runs of each figure (the median is
	// reported).
	Runs int
	// JSON prints one JSON object instead of text.
	JSON bool
	// Torch also runs the PyTorch reference and prints the ratios.
	Torch bool
	// Python is the interpreter of the PyTorch reference; "" picks
	// /usr/bin/python3 (Debian's, where python3-torch installs) if it
	// exists, else python3 from PATH.
	Python string
}

const benchTrainUsage = "goglove bench train [--seconds S] [--runs N] [--torch] [--json]"

func newBenchTrainCmd() *cobra.Command {
	var opts benchTrainOptions
	cmd := &cobra.Command{
		Use:   "train [flags]",
		Short: "Measure training throughput and GEMM speed",
		Long: `Train measures how fast goglove trains its child programs on this machine:

  - samples/s of training the MLP 784-512-512-10 (ReLU) at batch 128 and
    the tiny MLP 64-32-10 at batch 32, with softmax cross-entropy and SGD
    (momentum 0.9, learning rate 0.01) on random batches: one model alone,
    and two models side by side on two goroutines (summed), as a search
    runs its trials; the reported figure is the better of the two;
  - GFLOP/s of the GEMM kernel on one goroutine, at 512×512×512 and at
    the shapes of the MLP's dense layers (forward Y = X·W, weight gradient
    dW = Xᵀ·dY, input gradient dX = dY·Wᵀ).

Each figure is the median of --runs timed runs sharing --seconds, after a
warm-up. Rates are over wall time; "cpu" figures are over the measuring
thread's CPU time, which other jobs on the machine disturb less. Progress
goes to stderr.

With --torch it also runs the PyTorch reference (experiments/pytorch/
bench_train.py, built into goglove) with OpenBLAS on 2 threads and one
torch thread, its fastest 2-core setting, and prints goglove's figures
divided by PyTorch's. It needs python3-torch and OpenBLAS (apt-get
install python3-torch libopenblas0-pthread): on Debian's reference BLAS,
which PyTorch falls back to without OpenBLAS and which is many times
slower, the reference refuses to measure. OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE are unset for the reference alone, so that OpenBLAS
uses this CPU's fastest kernels; which BLAS and kernels it ran on is
printed (and kept in the torch object of --json).

With --json it prints one object: mlp_samples_per_s, tiny_samples_per_s,
gemm512_gflops and the other figures; with --torch also torch (the
script's object), mlp_vs_torch and tiny_vs_torch.`,
		Example: `  goglove bench train
  goglove bench train --seconds 5 --runs 5 --json
  goglove bench train --torch`,
		Args: cobra.ArbitraryArgs, // runBenchTrain checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBenchTrain(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.Float64Var(&opts.Seconds, "seconds", 2, "seconds of measurement per figure")
	f.IntVar(&opts.Runs, "runs", 3, "timed runs per figure (the median is reported)")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object instead of text")
	f.BoolVar(&opts.Torch, "torch", false, "also run the PyTorch reference and print the ratios")
	f.StringVar(&opts.Python, "python", "", "Python interpreter for --torch (default /usr/bin/python3 if present, else python3)")
	return cmd
}

// trainFigures is what bench train reports; the JSON names are part of the
// command's output format.
type trainFigures struct {
	MLPSamplesPerS           float64 `json:"mlp_samples_per_s"`
	MLPAloneSamplesPerS      float64 `json:"mlp_alone_samples_per_s"`
	MLPAloneSamplesPerCPUS   float64 `json:"mlp_alone_samples_per_cpu_s"`
	MLPSideBySideSamplesPerS float64 `json:"mlp_side_by_side_samples_per_s"`

	TinySamplesPerS           float64 `json:"tiny_samples_per_s"`
	TinyAloneSamplesPerS      float64 `json:"tiny_alone_samples_per_s"`
	TinyAloneSamplesPerCPUS   float64 `json:"tiny_alone_samples_per_cpu_s"`
	TinySideBySideSamplesPerS float64 `json:"tiny_side_by_side_samples_per_s"`

	Gemm512GFLOPS    float64      `json:"gemm512_gflops"`
	Gemm512GFLOPSCPU float64      `json:"gemm512_gflops_cpu"`
	GemmShapes       []gemmFigure `json:"gemm_shapes"`

	KernelPath string  `json:"kernel_path"`
	GOMAXPROCS int     `json:"gomaxprocs"`
	SideBySide int     `json:"side_by_side"`
	Seconds    float64 `json:"seconds"`
	Runs       int     `json:"runs"`

	Torch       json.RawMessage `json:"torch,omitempty"`
	MLPVsTorch  float64         `json:"mlp_vs_torch,omitempty"`
	TinyVsTorch float64         `json:"tiny_vs_torch,omitempty"`
}

// gemmFigure is the speed of one GEMM shape.
type gemmFigure struct {
	Name      string  `json:"name"`
	Op        string  `json:"op"` // NN, TN or NT: which of A and B are transposed
	M         int     `json:"m"`
	N         int     `json:"n"`
	K         int     `json:"k"`
	GFLOPS    float64 `json:"gflops"`
	GFLOPSCPU float64 `json:"gflops_cpu"`
}

// torchFigures are the keys of the PyTorch script's object that bench
// train uses.
type torchFigures struct {
	MLP             float64 `json:"mlp_samples_per_s"`
	Tiny            float64 `json:"tiny_samples_per_s"`
	Version         string  `json:"torch"`
	Threads         int     `json:"threads"`
	BLAS            string  `json:"blas"`
	BLASCore        string  `json:"blas_core"`
	OpenBLASThreads string  `json:"openblas_threads"`
}

// runBenchTrain measures and prints the figures.
func runBenchTrain(ctx context.Context, opts benchTrainOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkTimingFlags("bench train", benchTrainUsage, args, opts.Seconds, opts.Runs); err != nil {
		return err
	}
	bo := bench.Options{
		Duration: time.Duration(opts.Seconds * float64(time.Second)),
		Runs:     opts.Runs,
		Progress: func(msg string) { fmt.Fprintln(stderr, errorPrefix+"bench train: "+msg) },
	}
	fig := trainFigures{KernelPath: bench.KernelPath(), GOMAXPROCS: runtime.GOMAXPROCS(0), Seconds: opts.Seconds, Runs: opts.Runs}
	mlp, err := bench.Train(ctx, bench.MLP, bo)
	if err != nil {
		return err
	}
	tiny, err := bench.Train(ctx, bench.Tiny, bo)
	if err != nil {
		return err
	}
	fig.SideBySide = mlp.Trials
	fig.MLPSamplesPerS, fig.MLPAloneSamplesPerS = stats.RoundSig(mlp.Best(), 4), stats.RoundSig(mlp.One, 4)
	fig.MLPAloneSamplesPerCPUS, fig.MLPSideBySideSamplesPerS = stats.RoundSig(mlp.OneCPU, 4), stats.RoundSig(mlp.Parallel, 4)
	fig.TinySamplesPerS, fig.TinyAloneSamplesPerS = stats.RoundSig(tiny.Best(), 4), stats.RoundSig(tiny.One, 4)
	fig.TinyAloneSamplesPerCPUS, fig.TinySideBySideSamplesPerS = stats.RoundSig(tiny.OneCPU, 4), stats.RoundSig(tiny.Parallel, 4)

	rates, err := bench.Gemm(ctx, append([]bench.Shape{bench.Cube}, bench.DenseShapes(bench.MLP)...), bo)
	if err != nil {
		return err
	}
	fig.Gemm512GFLOPS, fig.Gemm512GFLOPSCPU = stats.RoundSig(rates[0].GFLOPS, 4), stats.RoundSig(rates[0].GFLOPSOnCPU, 4)
	for _, r := range rates[1:] {
		s := r.Shape
		fig.GemmShapes = append(fig.GemmShapes, gemmFigure{Name: s.Name, Op: strings.Fields(s.String())[0], M: s.M, N: s.N, K: s.K,
			GFLOPS: stats.RoundSig(r.GFLOPS, 4), GFLOPSCPU: stats.RoundSig(r.GFLOPSOnCPU, 4)})
	}

	var torchErr error
	if opts.Torch {
		torchErr = runTorchReference(ctx, opts, stderr, &fig)
		if torchErr != nil && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if opts.JSON {
		err = writeJSON(stdout, fig)
	} else {
		_, err = io.WriteString(stdout, formatTrainFigures(fig))
	}
	// The figures of goglove are printed even when the reference failed;
	// the exit code still says that part of the command failed.
	return errors.Join(err, torchErr)
}

// runTorchReference runs the embedded PyTorch script for the same time per
// figure and stores its object and the ratios in fig.
func runTorchReference(ctx context.Context, opts benchTrainOptions, stderr io.Writer, fig *trainFigures) error {
	python := opts.Python
	if python == "" {
		python = "python3"
		if _, err := os.Stat("/usr/bin/python3"); err == nil {
			python = "/usr/bin/python3"
		}
	}
	fmt.Fprintln(stderr, errorPrefix+"bench train: running the PyTorch reference with "+python)
	// The script's defaults are PyTorch's fastest 2-core setting: two
	// OpenBLAS threads (unless OPENBLAS_NUM_THREADS says otherwise) and
	// one torch thread.
	cmd := exec.CommandContext(ctx, python, "-", "--seconds", strconv.FormatFloat(opts.Seconds/float64(opts.Runs), 'g', -1, 64),
		"--repeats", strconv.Itoa(opts.Runs))
	cmd.Stdin = bytes.NewReader(pytorch.BenchTrain)
	cmd.Env = torchEnv(os.Environ())
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	runErr := cmd.Run()
	// The script's lines (progress, warnings) are passed on, prefixed.
	for line := range strings.Lines(errOut.String()) {
		if line = strings.TrimSpace(line); line != "" {
			fmt.Fprintln(stderr, errorPrefix+"bench train: torch: "+line)
		}
	}
	if runErr != nil {
		last := strings.TrimSpace(errOut.String())
		if i := strings.LastIndexByte(last, '\n'); i >= 0 {
			last = last[i+1:]
		}
		if last != "" {
			last = " (" + last + ")"
		}
		return fmt.Errorf("bench train: the PyTorch reference failed: %v%s; it needs python3-torch (apt-get install python3-torch libopenblas0-pthread), or name another interpreter with --python", runErr, last)
	}
	raw := bytes.TrimSpace(out.Bytes())
	var tf torchFigures
	if err := json.Unmarshal(raw, &tf); err != nil || !(tf.MLP > 0) || !(tf.Tiny > 0) {
		return fmt.Errorf("bench train: the PyTorch reference printed %q, want a JSON object with positive mlp_samples_per_s and tiny_samples_per_s", oneLine(string(raw)))
	}
	if tf.BLAS != "" {
		fmt.Fprintf(stderr, "%sbench train: PyTorch %s ran on %s%s with %s OpenBLAS threads and %d torch thread(s)\n",
			errorPrefix, tf.Version, tf.BLAS, orEmpty(" ("+tf.BLASCore+" kernels)", tf.BLASCore != ""), tf.OpenBLASThreads, tf.Threads)
	}
	fig.Torch = json.RawMessage(raw)
	fig.MLPVsTorch = stats.RoundSig(fig.MLPSamplesPerS/tf.MLP, 3)
	fig.TinyVsTorch = stats.RoundSig(fig.TinySamplesPerS/tf.Tiny, 3)
	return nil
}

// torchEnv is the environment of the PyTorch reference: this process's,
// without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which some machines set
// to pin OpenBLAS to older kernels (AVX2 instead of AVX-512: about two
// thirds of the speed measured side by side), so that OpenBLAS picks this
// CPU's own. The variables stay set everywhere else.
func torchEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if strings.HasPrefix(kv, "OPENBLAS_CORETYPE=") || strings.HasPrefix(kv, "OPENBLAS_L2_SIZE=") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// orEmpty returns s if ok, else "".
func orEmpty(s string, ok bool) string {
	if ok {
		return s
	}
	return ""
}

// formatTrainFigures returns the text output of bench train.
func formatTrainFigures(fig trainFigures) string {
	var b strings.Builder
	fmt.Fprintf(&b, "kernel path %s, GOMAXPROCS %d; medians of %d runs in %g s per figure\n\n",
		fig.KernelPath, fig.GOMAXPROCS, fig.Runs, fig.Seconds)
	var tf torchFigures
	torch := fig.Torch != nil && json.Unmarshal(fig.Torch, &tf) == nil
	fmt.Fprintf(&b, "%-28s %10s %10s %14s %10s", "training, samples/s", "best", "alone", "side by side", "alone/cpu")
	if torch {
		fmt.Fprintf(&b, " %10s %8s", "PyTorch", "ratio")
	}
	b.WriteByte('\n')
	row := func(name string, best, alone, side, cpu, ref, ratio float64) {
		fmt.Fprintf(&b, "%-28s %10.0f %10.0f %14s %10.0f", name, best, alone, orDash(side, "%.0f"), cpu)
		if torch {
			fmt.Fprintf(&b, " %10.0f %8.2f", ref, ratio)
		}
		b.WriteByte('\n')
	}
	row("MLP 784-512-512-10, b=128", fig.MLPSamplesPerS, fig.MLPAloneSamplesPerS, fig.MLPSideBySideSamplesPerS, fig.MLPAloneSamplesPerCPUS, tf.MLP, fig.MLPVsTorch)
	row("MLP 64-32-10, b=32", fig.TinySamplesPerS, fig.TinyAloneSamplesPerS, fig.TinySideBySideSamplesPerS, fig.TinyAloneSamplesPerCPUS, tf.Tiny, fig.TinyVsTorch)
	fmt.Fprintf(&b, "\n%-28s %-16s %10s %10s\n", "GEMM, one goroutine", "op M×N×K", "GFLOP/s", "cpu")
	fmt.Fprintf(&b, "%-28s %-16s %10.1f %10s\n", "512^3", "NN 512×512×512", fig.Gemm512GFLOPS, orDash(fig.Gemm512GFLOPSCPU, "%.1f"))
	for _, g := range fig.GemmShapes {
		fmt.Fprintf(&b, "%-28s %-16s %10.1f %10s\n", "MLP "+g.Name, fmt.Sprintf("%s %d×%d×%d", g.Op, g.M, g.N, g.K), g.GFLOPS, orDash(g.GFLOPSCPU, "%.1f"))
	}
	return b.String()
}

// orDash formats v, or "-" when it is 0 (not measured).
func orDash(v float64, format string) string {
	if v == 0 || math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf(format, v)
}
