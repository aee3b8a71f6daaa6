package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/spf13/cobra"
)

// exportOptions are the flags of "goglove export".
type exportOptions struct {
	Store   string
	Study   string
	Trial   int
	Out     string
	NoCache bool
}

const exportUsage = "goglove export [--store URL] --study NAME --trial N --out FILE.safetensors"

func newExportCmd() *cobra.Command {
	opts := exportOptions{Trial: -1}
	cmd := &cobra.Command{
		Use:   "export [--store URL] --study NAME --trial N --out FILE.safetensors",
		Short: "Write a trial's trained model to a safetensors file",
		Long: `Export writes the trained model of trial --trial of the study --study names
to --out, a safetensors checkpoint as 'goglove train --save' writes it
(one float32 tensor per parameter, the program's canonical YAML, the
metrics and the goglove version in its metadata), which 'goglove eval'
evaluates again and a trainer.Checkpoint stage loads.

The trial must have completed, and its program (which the store keeps)
must leave a trained model: a trainer.Classifier or a trainer.Checkpoint.
Training is deterministic given the program, so the model is the
trial's: it comes from the trained-model cache, where the search left it
(see 'goglove cache --help'), or, when the cache does not hold it (the
search ran elsewhere, the entry was pruned, GOGLOVE_CACHE=off or
--no-cache), it is trained again, which a line on standard error says. A
line on standard error also names any metric that differs from the one
the store recorded (another goglove version trains otherwise).

A missing flag, an unknown study or trial, a trial that did not complete
or whose program leaves no model is bad input (exit code 2).`,
		Example: `  goglove export --study quickstart --trial 17 --out model.safetensors
  goglove eval model.safetensors --json`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Store, "store", "", storeFlagHelp)
	f.StringVar(&opts.Study, "study", "", "name of the study (required)")
	f.IntVar(&opts.Trial, "trial", -1, "the trial's number (required)")
	f.StringVar(&opts.Out, "out", "", "the safetensors file to write (required)")
	f.BoolVar(&opts.NoCache, "no-cache", false, "train the model again rather than take it from the trained-model cache, and store nothing")
	return cmd
}

// runExport writes a trial's trained model to a file.
func runExport(ctx context.Context, opts exportOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkArgCount("export", args, 0, exportUsage); err != nil {
		return err
	}
	if err := checkStudyFlag("export", opts.Study, exportUsage); err != nil {
		return err
	}
	if opts.Trial < 0 {
		return usageErrorf("export: missing --trial N; usage: %s", exportUsage)
	}
	if opts.Out == "" {
		return usageErrorf("export: missing --out FILE.safetensors; usage: %s", exportUsage)
	}
	st, err := openReadOnlyStore(ctx, "export", opts.Store, exportUsage)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Study(ctx, opts.Study); err != nil {
		return studyError(err)
	}
	trials, err := st.Trials(ctx, opts.Study)
	if err != nil {
		return err
	}
	i, found := slices.BinarySearchFunc(trials, opts.Trial, func(t search.TrialRecord, n int) int { return t.Number - n })
	if !found {
		return usageErrorf("export: study %s has no trial %d (it has %d)", terminalText(opts.Study), opts.Trial, len(trials))
	}
	rec := trials[i]
	if rec.State != search.Completed {
		return usageErrorf("export: trial %d of study %s is %s: only a completed trial's model is exported", rec.Number, terminalText(opts.Study), rec.State)
	}
	if rec.Program == nil {
		return usageErrorf("export: trial %d of study %s keeps no program", rec.Number, terminalText(opts.Study))
	}
	p, err := trainer.AsProgram(rec.Program)
	if err != nil {
		return badInput(fmt.Errorf("export: trial %d: %w", rec.Number, err))
	}
	mp, ok := p.(trainer.ModelProgram)
	if !ok {
		return usageErrorf("export: trial %d: a %s leaves no trained model (want %s)", rec.Number, typeName(rec.Program), strings.Join(trainer.ModelProgramTypes(), " or "))
	}
	env := &trainer.Env{Notice: func(msg string) { fmt.Fprintln(stderr, msg) }}
	if !opts.NoCache {
		c, err := cache.Default()
		if err != nil {
			return usageErrorf("export: %v", err)
		}
		env.Cache = c
	}
	trained, err := mp.TrainedModel(ctx, env)
	if err != nil {
		return fmt.Errorf("export: trial %d: %w", rec.Number, err)
	}
	if !trained.Cached {
		fmt.Fprintf(stderr, "goglove: export: trial %d's model was not in the trained-model cache: trained again from its program\n", rec.Number)
	}
	if d := differingMetrics(rec.Metrics, trained.Metrics); d != "" {
		fmt.Fprintf(stderr, "goglove: export: trial %d: the model exported measures %s\n", rec.Number, d)
	}
	if err := saveTrainedAs("export", opts.Out, rec.Program, trained); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote the model of trial %d of study %s to %s\n", rec.Number, terminalText(opts.Study), terminalText(opts.Out))
	return err
}

// differingMetrics names the metrics both runs have that differ (but for
// the training time and the cache mark), as "val_accuracy 0.9 (the
// store: 0.8)", or "" when they agree.
func differingMetrics(stored, now map[string]float64) string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(stored)) {
		v, ok := now[k]
		if !ok || k == trainer.MetricTrainSeconds || k == trainer.MetricCached {
			continue
		}
		if w := stored[k]; math.Abs(v-w) > 1e-9*math.Max(1, math.Abs(w)) {
			out = append(out, fmt.Sprintf("%s %s (the store: %s)", k, formatMetric(v, -1), formatMetric(w, -1)))
		}
	}
	return strings.Join(out, ", ")
}
