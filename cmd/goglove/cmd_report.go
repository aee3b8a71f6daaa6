package main

import (
	"context"
	"fmt"
	"io"

	"github.com/c2602f9e/goglove/plots"
	"github.com/spf13/cobra"
)

// reportOptions are the flags of "goglove report".
type reportOptions struct {
	Store string
	Study string
	Out   string
	Top   int
	Limit int
}

const reportUsage = "goglove report [--store URL] --study NAME --out DIR"

func newReportCmd() *cobra.Command {
	var opts reportOptions
	cmd := &cobra.Command{
		Use:   "report [--store URL] --study NAME --out DIR",
		Short: "Write a Markdown report of a study, with its plots",
		Long: `Report writes a report of the study --study names to the directory --out
(created if missing): DIR/README.md, Markdown that a code-hosting site
shows when the directory is opened, and the plots it shows as SVG files
in DIR/plots/. The report holds the counts of trials by state; the
search's cost (wall time, the time spent in trials by state, trials per
worker, the training time the trials report); the best trials (--top, 10
by default) with their decisions by key path; the Pareto front of a study
of several objectives; the decisions' importance; every plot of 'goglove
plot' the study has the data for (the others are named, with the reason);
and the study's config. The store is named without its password and
opened read-only. Files already in DIR are replaced.

A missing flag or an unknown study is bad input (exit code 2).`,
		Example: `  goglove report --study quickstart --out report/
  goglove report --store postgres://db/goglove --study bitnet --out docs/bitnet-study`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(cmd.Context(), opts, args, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Store, "store", "", storeFlagHelp)
	f.StringVar(&opts.Study, "study", "", "name of the study (required)")
	f.StringVar(&opts.Out, "out", "", "the directory to write the report to (required)")
	f.IntVar(&opts.Top, "top", 10, "how many of the best trials to list")
	f.IntVar(&opts.Limit, "limit", 0, "at most this many trials' lines in the intermediate and parallel plots (0: all)")
	return cmd
}

// runReport writes a study's report.
func runReport(ctx context.Context, opts reportOptions, args []string, stdout io.Writer) error {
	if err := checkArgCount("report", args, 0, reportUsage); err != nil {
		return err
	}
	if err := checkStudyFlag("report", opts.Study, reportUsage); err != nil {
		return err
	}
	if opts.Out == "" {
		return usageErrorf("report: missing --out DIR; usage: %s", reportUsage)
	}
	if opts.Top < 1 || opts.Limit < 0 {
		return usageErrorf("report: --top %d, --limit %d: want --top 1 or more, --limit 0 or more", opts.Top, opts.Limit)
	}
	st, err := openReadOnlyStore(ctx, "report", opts.Store, reportUsage)
	if err != nil {
		return err
	}
	defer st.Close()
	info, err := st.Study(ctx, opts.Study)
	if err != nil {
		return studyError(err)
	}
	s, err := plots.Load(ctx, st, opts.Study, studySpace(newRegistry()))
	if err != nil {
		return studyError(err)
	}
	files, err := plots.WriteReport(opts.Out, s, &plots.ReportOptions{Config: info.Config,
		Store: describeStore(storeURL(opts.Store)), Top: opts.Top, Limit: opts.Limit})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote the report of study %s to %s (%d files)\n", terminalText(opts.Study), terminalText(files[0]), len(files))
	return err
}
