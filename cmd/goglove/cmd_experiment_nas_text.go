package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/c2602f9e/goglove/experiments"
)

// nasSummary is the text output of goglove experiment nas (and its
// summary.txt): the ground truth, a row per method and seed, and the
// goal checked.
func nasSummary(r *experiments.NASResult, checks []experiments.Check) string {
	var b strings.Builder
	data := "Fashion-MNIST"
	if r.Quick {
		data = "synthetic data (--quick)"
	}
	fmt.Fprintf(&b, "NAS on %s: %d programs trained in %.1fs, best test accuracy %.2f%%; budget %.1fs a search\n\n",
		data, r.Summary.Programs, r.Summary.ExhaustiveSeconds, 100*r.Summary.BestTestAccuracy, r.Budget)
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "method\tseed\tpercentile\ttest accuracy\tseconds\ttrials\tprogram\t")
	for _, run := range r.Runs {
		fmt.Fprintf(w, "%s\t%d\t%.1f\t%.2f%%\t%.1f\t%d\t%s\t\n", run.Method, run.Seed, run.Percentile, 100*run.TestAccuracy, run.Seconds, run.Trials, run.Program)
	}
	w.Flush()
	b.WriteString("\nClaims\n")
	writeChecks(&b, checks)
	return trimLineEnds(b.String())
}
