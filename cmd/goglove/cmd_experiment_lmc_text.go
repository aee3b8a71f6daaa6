package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/c2602f9e/goglove/experiments"
)

// lmcSummary is the text output of goglove experiment lmc (and its
// summary.txt): the protocol, the models, the figures, the path along λ
// and the claims checked.
func lmcSummary(r *experiments.LMCResult, checks []experiments.Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Linear mode connectivity on Fashion-MNIST: 784-%d-%d-%d-10 ReLU, torch_linear init, Adam lr 0.001, batch %d, %s, seeds %v\n\n",
		r.Width, r.Width, r.Width, experiments.LMCBatch, plural(r.Epochs, "epoch"), r.Seeds)
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for i, acc := range r.Acc {
		cached := ""
		if r.Cached[i] {
			cached = " (cached)"
		}
		fmt.Fprintf(w, "model %d (seed %d)\ttest accuracy %.2f%%, loss %.4f, trained in %.1fs%s\t\n", i+1, r.Seeds[i], 100*acc, r.Loss[i], r.TrainSeconds[i], cached)
	}
	w.Flush()
	b.WriteString("\n")
	w = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "\tnaive\tWM\tSTE\t")
	fmt.Fprintf(w, "loss barrier (models 1, 2)\t%.4f\t%.4f\t%.4f\t\n", r.LossBarrierNaive, r.LossBarrierWM, r.LossBarrierSTE)
	fmt.Fprintf(w, "accuracy barrier (models 1, 2)\t%.2f%%\t%.2f%%\t%.2f%%\t\n", 100*r.AccBarrierNaive, 100*r.AccBarrierWM, 100*r.AccBarrierSTE)
	fmt.Fprintf(w, "accuracy at λ = ½\t%.2f%%\t%.2f%%\t%.2f%%\t\n", 100*r.MidAccNaive, 100*r.MidAccWM, 100*r.MidAccSTE)
	fmt.Fprintf(w, "loss barrier (models 2, 3; anchor 1)\t%.4f\t%.4f\t%.4f\t\n", r.BCLossBarrierNaive, r.BCLossBarrierWMAnchor, r.BCLossBarrierSTE)
	fmt.Fprintf(w, "average of three, accuracy\t%.2f%%\t%.2f%%\t%.2f%%\t\n", 100*r.Avg3AccNaive, 100*r.Avg3AccWM, 100*r.Avg3AccSTE)
	fmt.Fprintf(w, "top singular vector alignment\t%.4f\t%.4f\t\t\n", r.SVAlignmentNaive, r.SVAlignmentWM)
	w.Flush()
	fmt.Fprintf(&b, "\nactivation matching (models 1, 2): loss barrier %.4f, accuracy barrier %.2f%%, accuracy at λ = ½ %.2f%%, %.2fs\n",
		r.LossBarrierAM, 100*r.AccBarrierAM, 100*r.MidAccAM, r.AMSeconds)
	fmt.Fprintf(&b, "l2_ratio %.4f; singular values moved by at most %.3g; average of three by MergeMany %.2f%%; WM %.3fs, STE %.2fs\n",
		r.L2Ratio, r.PermSingularValuesMaxDiff, 100*r.Avg3AccMergeMany, r.WMSeconds, r.STESeconds)
	b.WriteString("\nLoss (accuracy) along λ from model 1 to model 2\n")
	w = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "λ\tnaive\tWM\tSTE\t")
	for i, p := range r.Paths.Naive {
		fmt.Fprintf(w, "%.1f\t%.4f (%.2f%%)\t%.4f (%.2f%%)\t%.4f (%.2f%%)\t\n", p.Lambda, p.Loss, 100*p.Accuracy,
			r.Paths.WM[i].Loss, 100*r.Paths.WM[i].Accuracy, r.Paths.STE[i].Loss, 100*r.Paths.STE[i].Accuracy)
	}
	w.Flush()
	b.WriteString("\nClaims\n")
	writeChecks(&b, checks)
	return trimLineEnds(b.String())
}
