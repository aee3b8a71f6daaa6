package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/c2602f9e/goglove/plots"
	"github.com/spf13/cobra"
)

// plotOptions are the flags of "goglove plot".
type plotOptions struct {
	Store string
	Study string
	// Kind is the plot kind, one of plots.Kinds.
	Kind string
	// Out is the file written, .svg or .png.
	Out string
	// Limit bounds the lines of the plots that draw one per trial.
	Limit int
}

const plotUsage = "goglove plot [--store URL] --study NAME --kind KIND --out FILE.svg|FILE.png"

func newPlotCmd() *cobra.Command {
	var opts plotOptions
	cmd := &cobra.Command{
		Use:   "plot [--store URL] --study NAME --kind KIND --out FILE.svg|FILE.png",
		Short: "Draw a plot of a study to an SVG or PNG file",
		Long: `Plot draws one plot of the study --study names in the store --store names
and writes it to --out, as SVG or PNG by the file's extension. The kinds:

  history       each completed trial's objective against its number, and the best so far
  intermediate  the steps every trial reported, early-stopped trials marked
  parallel      parallel coordinates of the decisions (by key path) and the objective
  pareto        the first two objectives, the Pareto front highlighted
  slice         the objective against each decision
  importance    how much each decision matters (PED-ANOVA style; conditional
                decisions are measured where they exist, weighted by how often)
  edf           the empirical distribution of the objective
  timeline      the trials of each worker over time, by state

The objective is the study's first metric. The plots of decisions need
the study's space, which a study started from a config keeps. --limit N
draws at most N trials' lines in intermediate (the latest) and parallel
(the best). The store is opened read-only.

A missing flag, an unknown kind or extension, or a study that lacks what
the kind needs (pareto of one objective) is bad input (exit code 2).`,
		Example: `  goglove plot --study branin-tpe --kind history --out history.svg
  goglove plot --store postgres://db/goglove --study bitnet --kind pareto --out front.png`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPlot(cmd.Context(), opts, args, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Store, "store", "", storeFlagHelp)
	f.StringVar(&opts.Study, "study", "", "name of the study (required)")
	f.StringVar(&opts.Kind, "kind", "", "the plot: "+strings.Join(plots.Kinds, ", ")+" (required)")
	f.StringVar(&opts.Out, "out", "", "the file to write, .svg or .png (required)")
	f.IntVar(&opts.Limit, "limit", 0, "at most this many trials' lines in intermediate and parallel (0: all)")
	return cmd
}

// runPlot draws one plot of a study to a file.
func runPlot(ctx context.Context, opts plotOptions, args []string, stdout io.Writer) error {
	if err := checkArgCount("plot", args, 0, plotUsage); err != nil {
		return err
	}
	if err := checkStudyFlag("plot", opts.Study, plotUsage); err != nil {
		return err
	}
	if opts.Kind == "" {
		return usageErrorf("plot: missing --kind (%s); usage: %s", strings.Join(plots.Kinds, ", "), plotUsage)
	}
	if !knownKind(opts.Kind) {
		return usageErrorf("plot: --kind %q: unknown kind; the kinds: %s", opts.Kind, strings.Join(plots.Kinds, ", "))
	}
	if opts.Out == "" {
		return usageErrorf("plot: missing --out FILE.svg|FILE.png; usage: %s", plotUsage)
	}
	if _, err := plots.FormatOf(opts.Out); err != nil {
		return usageErrorf("plot: --out %s: the file must end in .svg or .png", opts.Out)
	}
	if opts.Limit < 0 {
		return usageErrorf("plot: --limit %d: want 0 (all) or more", opts.Limit)
	}
	st, err := openReadOnlyStore(ctx, "plot", opts.Store, plotUsage)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := plots.Load(ctx, st, opts.Study, studySpace(newRegistry()))
	if err != nil {
		return studyError(err)
	}
	c, err := plots.Build(opts.Kind, s, &plots.Options{Limit: opts.Limit})
	if errors.Is(err, plots.ErrNoData) {
		return badInput(fmt.Errorf("plot: study %s: %w", terminalText(opts.Study), err))
	}
	if err != nil {
		return err
	}
	if err := plots.Save(c, opts.Out); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote %s plot of study %s to %s\n", opts.Kind, terminalText(opts.Study), terminalText(opts.Out))
	return err
}

// knownKind reports whether kind is one of plots.Kinds.
func knownKind(kind string) bool {
	for _, k := range plots.Kinds {
		if k == kind {
			return true
		}
	}
	return false
}
