package main

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/c2602f9e/goglove/experiments"
)

// bitnetSummary is the text output of goglove experiment bitnet (and its
// summary.txt): a heading naming the protocol, the table of runs, the
// best accuracy per mode and width, and the claims checked.
func bitnetSummary(g experiments.BitNetOptions, rows []experiments.BitNetRow, checks []experiments.Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "BitNet b1.58 on Fashion-MNIST: 784-H-H-10 ReLU, AdamW, batch %d, %s, seed %d, %s\n\n",
		experiments.BitNetBatch, plural(g.Epochs, "epoch"), experiments.BitNetSeed, plural(len(rows), "run"))
	b.WriteString(bitnetTable(rows))
	b.WriteString("\n")
	b.WriteString(bitnetBest(rows))
	b.WriteString("\nClaims\n")
	writeChecks(&b, checks)
	return b.String()
}

// bitnetTable formats one row per run:
//
//	mode       H    lr     wd  test acc  zeros   size bits  bits/weight  train s
//	absmean    64   0.001  0   85.12%    31.20%  82314      1.62         2.31
func bitnetTable(rows []experiments.BitNetRow) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "mode\tH\tlr\twd\ttest acc\tzeros\tsize bits\tbits/weight\ttrain s\t")
	for _, r := range rows {
		cached := ""
		if r.Cached {
			cached = " (cached)"
		}
		fmt.Fprintf(w, "%s\t%d\t%g\t%g\t%.2f%%\t%.2f%%\t%s\t%.2f\t%.2f%s\t\n",
			r.Mode, r.Width, r.LR, r.WeightDecay, 100*r.TestAccuracy, 100*r.Zeros, formatMetric(r.SizeBits, 7), r.BitsPerWeight, r.TrainSeconds, cached)
	}
	w.Flush()
	return trimLineEnds(b.String())
}

// bitnetBest formats the best test accuracy over the learning rates, one
// line per mode and a column per width, for each weight decay.
func bitnetBest(rows []experiments.BitNetRow) string {
	var widths []int
	var wds []float64
	var modes []experiments.BitNetMode
	type key struct {
		mode  experiments.BitNetMode
		width int
		wd    float64
	}
	best := map[key]float64{}
	for _, r := range rows {
		if !slices.Contains(widths, r.Width) {
			widths = append(widths, r.Width)
		}
		if !slices.Contains(wds, r.WeightDecay) {
			wds = append(wds, r.WeightDecay)
		}
		if !slices.Contains(modes, r.Mode) {
			modes = append(modes, r.Mode)
		}
		k := key{r.Mode, r.Width, r.WeightDecay}
		if v, ok := best[k]; !ok || r.TestAccuracy > v {
			best[k] = r.TestAccuracy
		}
	}
	slices.Sort(widths)
	var b strings.Builder
	for i, wd := range wds {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "Best test accuracy over the learning rates, weight decay %g\n", wd)
		w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprint(w, "mode\t")
		for _, h := range widths {
			fmt.Fprintf(w, "H=%d\t", h)
		}
		fmt.Fprintln(w)
		for _, m := range modes {
			fmt.Fprintf(w, "%s\t", m)
			for _, h := range widths {
				if v, ok := best[key{m, h, wd}]; ok {
					fmt.Fprintf(w, "%.2f%%\t", 100*v)
				} else {
					fmt.Fprint(w, "-\t")
				}
			}
			fmt.Fprintln(w)
		}
		w.Flush()
	}
	return trimLineEnds(b.String())
}

// trimLineEnds removes the spaces tabwriter leaves at the ends of lines.
func trimLineEnds(s string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		b.WriteString(strings.TrimRight(line, " \n"))
		b.WriteByte('\n')
	}
	return b.String()
}

// writeChecks writes an experiment's claims, numbered, each with its
// verdict, answer and cases.
func writeChecks(b *strings.Builder, checks []experiments.Check) {
	for i, c := range checks {
		fmt.Fprintf(b, "\n%d. %s %s\n   %s\n", i+1, c.Question, strings.ToUpper(string(c.Verdict)), c.Answer)
		for _, line := range c.Cases {
			fmt.Fprintf(b, "   - %s\n", line)
		}
	}
}
