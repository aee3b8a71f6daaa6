package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/c2602f9e/goglove/experiments"
)

// loraSummary is the text output of goglove experiment lora (and its
// summary.txt): the pre-trained model, the table of fine-tunes, the
// table of the sequences and, when the run completed, the claims.
func loraSummary(res *experiments.LoRAResult, checks []experiments.Check, complete bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "LoRA vs full fine-tuning on Fashion-MNIST: pre-trained test accuracy %.2f%% (loss %.4f)\n\n",
		100*res.Pretrain.PretrainAccuracy, res.Pretrain.PretrainLoss)
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "method\tr\trsLoRA\tγ\ttask\ttarget acc\torig acc\torig loss\tintruders\tper layer\ttrainable\tλ=0.75 target/orig\tλ=0.5 target/orig\t")
	for _, r := range res.Runs {
		var per []string
		for _, l := range r.Layers {
			per = append(per, fmt.Sprint(l.Intruders))
		}
		lam := []string{"", ""}
		for i, s := range r.Lambda {
			if i < 2 {
				lam[i] = fmt.Sprintf("%.2f%%/%.2f%%", 100*s.TargetAccuracy, 100*s.OrigAccuracy)
			}
		}
		rank, gamma := "-", "-"
		if r.Method == "lora" {
			rank, gamma = fmt.Sprint(r.Rank), fmt.Sprintf("%.3g", r.Gamma)
		}
		fmt.Fprintf(w, "%s\t%s\t%v\t%s\t%s\t%.2f%%\t%.2f%%\t%.4f\t%d\t%s\t%d\t%s\t%s\t\n", r.Method, rank, r.RSLoRA, gamma, r.Task,
			100*r.TargetAccuracy, 100*r.OrigAccuracy, r.OrigLoss, r.Intruders, strings.Join(per, "+"), r.TrainableParams, lam[0], lam[1])
	}
	w.Flush()
	if len(res.Stages) > 0 {
		b.WriteString("\nSequential fine-tuning (orig: pre-training task under its head; first: the first task under its head)\n\n")
		w = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "sequence\tstage\ttask\ttarget acc\torig acc\tfirst acc\tintruders\t")
		for _, s := range res.Stages {
			fmt.Fprintf(w, "%s\t%d\t%s\t%.2f%%\t%.2f%%\t%.2f%%\t%d\t\n", s.Sequence, s.Stage, s.Task, 100*s.TargetAccuracy, 100*s.OrigAccuracy, 100*s.FirstAccuracy, s.Intruders)
		}
		w.Flush()
	}
	if !complete {
		return b.String()
	}
	b.WriteString("\nClaims\n")
	writeChecks(&b, checks)
	return b.String()
}
