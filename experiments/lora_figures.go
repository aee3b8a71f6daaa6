package experiments

import (
	"cmp"
	"slices"

	"github.com/c2602f9e/goglove/plots"
)

// LoRASpectrumSeries returns the singular spectra of row's target
// matrices against their index from 1 (the rank): per layer, the
// pre-trained matrix W0's ("W0 LAYER") and the fine-tuned one's ("tuned
// LAYER"). A pure function of row.
func LoRASpectrumSeries(row LoRARow) []plots.Named {
	var out []plots.Named
	for _, l := range row.Layers {
		out = append(out, spectrum("W0 "+l.Layer, l.BaseSpectrum), spectrum("tuned "+l.Layer, l.TunedSpectrum))
	}
	return out
}

func spectrum(name string, s []float64) plots.Named {
	n := plots.Named{Name: name}
	for i, v := range s {
		n.Points = append(n.Points, plots.XY{X: float64(i + 1), Y: v})
	}
	return n
}

// LoRAIntruderSeries returns the intruder dimensions of the fine-tunes
// on the first task against the adapter's rank: LoRA (α = 2r) and rsLoRA
// by rank, and full fine-tuning (which has no rank) as a level line
// across the ranks measured. Series without runs are left out. A pure
// function of runs.
func LoRAIntruderSeries(runs []LoRARow) []plots.Named {
	lora, rs := plots.Named{Name: "LoRA"}, plots.Named{Name: "rsLoRA"}
	var full []LoRARow
	for _, r := range runs {
		switch {
		case r.Method == "lora" && r.RSLoRA:
			rs.Points = append(rs.Points, plots.XY{X: float64(r.Rank), Y: float64(r.Intruders)})
		case r.Method == "lora":
			lora.Points = append(lora.Points, plots.XY{X: float64(r.Rank), Y: float64(r.Intruders)})
		case r.Method == "full":
			full = append(full, r)
		}
	}
	var out []plots.Named
	lo, hi := 0.0, 0.0
	for _, s := range []*plots.Named{&lora, &rs} {
		slices.SortFunc(s.Points, func(a, b plots.XY) int { return cmp.Or(cmp.Compare(a.X, b.X), cmp.Compare(a.Y, b.Y)) })
		if len(s.Points) == 0 {
			continue
		}
		if lo == 0 || s.Points[0].X < lo {
			lo = s.Points[0].X
		}
		hi = max(hi, s.Points[len(s.Points)-1].X)
		out = append(out, *s)
	}
	if len(full) > 0 {
		if lo == 0 {
			lo, hi = 1, 1
		}
		y := float64(full[0].Intruders)
		out = append(out, plots.Named{Name: "full", Points: []plots.XY{{X: lo, Y: y}, {X: hi, Y: y}}})
	}
	return out
}

// LoRAForgettingSeries returns, per sequence in the order of stages, the
// accuracy on the original test images (the trunk under the pre-trained
// head) against the stage from 1, and the same for the first task's
// images under its head: what each method forgets along the sequence.
// A pure function of stages.
func LoRAForgettingSeries(stages []LoRAStageRow) (orig, first []plots.Named) {
	index := map[string]int{}
	for _, s := range stages {
		i, ok := index[s.Sequence]
		if !ok {
			i = len(orig)
			index[s.Sequence] = i
			orig = append(orig, plots.Named{Name: s.Sequence})
			first = append(first, plots.Named{Name: s.Sequence})
		}
		orig[i].Points = append(orig[i].Points, plots.XY{X: float64(s.Stage), Y: s.OrigAccuracy})
		first[i].Points = append(first[i].Points, plots.XY{X: float64(s.Stage), Y: s.FirstAccuracy})
	}
	return orig, first
}

// stageTicks labels each stage of stages by its task ("1 rot90").
func stageTicks(stages []LoRAStageRow) []plots.Tick {
	var ticks []plots.Tick
	seen := map[int]bool{}
	for _, s := range stages {
		if !seen[s.Stage] {
			seen[s.Stage] = true
			ticks = append(ticks, plots.Tick{At: float64(s.Stage), Label: s.Task})
		}
	}
	slices.SortFunc(ticks, func(a, b plots.Tick) int { return cmp.Compare(a.At, b.At) })
	return ticks
}

// LoRAFigures returns the plots goglove experiment lora --out writes:
// spectra.svg (W0's and the fine-tuned singular spectra, a panel per
// fine-tune, the rank on a log scale), intruders.svg (intruder dimensions against rank, LoRA and
// rsLoRA, full fine-tuning as a line) and, when the sequences ran,
// forgetting.svg (the original task's and the first task's accuracy
// along the sequence, per method).
func LoRAFigures(res *LoRAResult) []Figure {
	var spectra []plots.Chart
	for _, r := range res.Runs {
		name := LoRARun{Method: r.Method, Rank: r.Rank, Alpha: r.Alpha, RSLoRA: r.RSLoRA}.String()
		spectra = append(spectra, plots.Lines(name, "index (rank)", "singular value", LoRASpectrumSeries(r)...))
	}
	figs := []Figure{
		{File: "spectra.svg", Chart: panels("LoRA: singular spectra of W0 and the fine-tuned matrices", spectra...).LogX()},
		{File: "intruders.svg", Chart: withPoints(plots.Lines("LoRA: intruder dimensions against rank", "rank r", "intruder dimensions",
			LoRAIntruderSeries(res.Runs)...).LogX())},
	}
	if len(res.Stages) > 0 {
		orig, first := LoRAForgettingSeries(res.Stages)
		c := panels("LoRA: forgetting along the sequence",
			plots.Lines("original task (pre-trained head)", "stage", "test accuracy", orig...),
			plots.Lines("first task (its head)", "stage", "test accuracy", first...))
		ticks := stageTicks(res.Stages)
		for i := range c.Panels {
			c.Panels[i].X.Ticks = ticks
		}
		figs = append(figs, Figure{File: "forgetting.svg", Chart: withPoints(c)})
	}
	return figs
}
