package experiments

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// BitNetTolerance is how far below its reference a result may fall and
// still count as reaching it: half a point of test accuracy.
const BitNetTolerance = 0.005

// CheckBitNet answers the questions of the research claim from rows (of
// RunBitNet, or read back from results.jsonl), whichever way the figures
// come out:
//
//  1. Does ternary at 2H reach fp32 at H within 0.5 points? For each
//     ternary mode, weight decay and width H with fp32 at H and the mode
//     at 2H, the best test accuracy over the learning rates at 2H is
//     compared with fp32's best at H.
//  2. Are there fewer zeros with the median? absmedian's fraction of zero
//     weights is compared with absmean's in each run of the same width,
//     learning rate and weight decay.
//  3. Can the median replace the mean? absmedian's best accuracy over the
//     learning rates is compared with absmean's at each width and weight
//     decay, within 0.5 points.
//  4. How much does the weight decay move the accuracy? Per mode and
//     width, the spread (best minus worst) over the weight decays of the
//     best accuracy over the learning rates (measured, no verdict; it
//     needs two weight decays or more).
//
// The best learning rate is chosen on test accuracy: the protocol trains
// on all 60,000 training images and keeps no validation set, and every
// mode is chosen the same way. Rows of different epochs are never
// compared. CheckBitNet is a pure function of rows.
func CheckBitNet(rows []BitNetRow) []Check {
	return []Check{checkDoubleWidth(rows), checkZeros(rows), checkMedian(rows), checkWeightDecay(rows)}
}

// cell is the rows of one mode, width, weight decay and epochs, over the
// learning rates.
type cell struct {
	mode        BitNetMode
	width       int
	weightDecay float64
	epochs      int
}

// bestByCell returns, per cell, the row of the best test accuracy over
// the learning rates (the first in rows on a tie).
func bestByCell(rows []BitNetRow) map[cell]BitNetRow {
	best := map[cell]BitNetRow{}
	for _, r := range rows {
		k := cell{r.Mode, r.Width, r.WeightDecay, r.Epochs}
		if b, ok := best[k]; !ok || r.TestAccuracy > b.TestAccuracy {
			best[k] = r
		}
	}
	return best
}

// sortedCells returns the cells of best of mode m, by epochs, weight
// decay and width.
func sortedCells(best map[cell]BitNetRow, m BitNetMode) []cell {
	var out []cell
	for k := range best {
		if k.mode == m {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b cell) int {
		return cmp.Or(cmp.Compare(a.epochs, b.epochs), cmp.Compare(a.weightDecay, b.weightDecay), cmp.Compare(a.width, b.width))
	})
	return out
}

// pct formats a fraction as a percentage with two decimals.
func pct(f float64) string { return fmt.Sprintf("%.2f%%", 100*f) }

// points formats a difference of accuracies in points, signed.
func points(d float64) string { return fmt.Sprintf("%+.2f points", 100*d) }

// reaches reports whether acc is at most BitNetTolerance below ref (with
// a margin for the rounding of fractions of 10,000 test images).
func reaches(acc, ref float64) bool { return acc-ref >= -BitNetTolerance-1e-9 }

// every is "the one run" for n = 1, else "all n runs".
func every(n int, noun string) string {
	if n == 1 {
		return "the one " + noun
	}
	return fmt.Sprintf("all %d %ss", n, noun)
}

// tally turns the outcomes of the comparisons into a verdict.
func tally(pass, n int) Verdict {
	switch {
	case n == 0:
		return VerdictUntested
	case pass == n:
		return VerdictYes
	case pass == 0:
		return VerdictNo
	}
	return VerdictPartly
}

func checkDoubleWidth(rows []BitNetRow) Check {
	c := Check{Question: "Does ternary at 2H reach fp32 at H within 0.5 points?"}
	best := bestByCell(rows)
	pass, n := 0, 0
	worst, worstCase := 0.0, ""
	nearest, nearestCase := 0.0, ""
	for _, m := range []BitNetMode{BitNetAbsMean, BitNetAbsMedian} {
		for _, k := range sortedCells(best, BitNetFP32) {
			ref := best[k]
			t, ok := best[cell{m, 2 * k.width, k.weightDecay, k.epochs}]
			if !ok {
				continue
			}
			n++
			gap := t.TestAccuracy - ref.TestAccuracy
			word := "at most 0.5 below: yes"
			if reaches(t.TestAccuracy, ref.TestAccuracy) {
				pass++
			} else {
				word = "more than 0.5 below: no"
			}
			line := fmt.Sprintf("%s at 2H=%d (lr %g) %s vs fp32 at H=%d (lr %g) %s, wd %g: %s, %s",
				m, t.Width, t.LR, pct(t.TestAccuracy), ref.Width, ref.LR, pct(ref.TestAccuracy), k.weightDecay, points(gap), word)
			c.Cases = append(c.Cases, line)
			which := fmt.Sprintf("%s at %d vs fp32 at %d, wd %g", m, t.Width, ref.Width, k.weightDecay)
			if n == 1 || gap < worst {
				worst, worstCase = gap, which
			}
			if n == 1 || gap > nearest {
				nearest, nearestCase = gap, which
			}
		}
	}
	c.Verdict = tally(pass, n)
	switch c.Verdict {
	case VerdictUntested:
		c.Answer = "Untested: the grid has no width H with fp32 at H and a ternary mode at 2H (give widths such as 64,128)."
	case VerdictYes:
		c.Answer = fmt.Sprintf("Yes: ternary at 2H is within 0.5 points of fp32 at H in %s (the closest call %s, %s).", every(n, "comparison"), points(worst), worstCase)
	case VerdictNo:
		c.Answer = fmt.Sprintf("No: ternary at 2H falls more than 0.5 points short of fp32 at H in %s (the smallest shortfall %s, %s).", every(n, "comparison"), points(nearest), nearestCase)
	default:
		c.Answer = fmt.Sprintf("Partly: ternary at 2H is within 0.5 points of fp32 at H in %d of %d comparisons (the largest shortfall %s, %s).", pass, n, points(worst), worstCase)
	}
	return c
}

func checkZeros(rows []BitNetRow) Check {
	c := Check{Question: "Are there fewer zeros with the median?"}
	type key struct {
		width  int
		lr, wd float64
		epochs int
	}
	mean, median := map[key]BitNetRow{}, map[key]BitNetRow{}
	var keys []key
	for _, r := range rows {
		k := key{r.Width, r.LR, r.WeightDecay, r.Epochs}
		switch r.Mode {
		case BitNetAbsMean:
			mean[k] = r
		case BitNetAbsMedian:
			median[k] = r
		default:
			continue
		}
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	pass, n := 0, 0
	var sumMean, sumMedian float64
	for _, k := range keys {
		a, okA := mean[k]
		b, okB := median[k]
		if !okA || !okB {
			continue
		}
		n++
		word := "fewer: yes"
		if b.Zeros < a.Zeros {
			pass++
		} else {
			word = "not fewer: no"
		}
		sumMean += a.Zeros
		sumMedian += b.Zeros
		c.Cases = append(c.Cases, fmt.Sprintf("H=%d lr %g wd %g: absmedian %s zeros, absmean %s: %s", k.width, k.lr, k.wd, pct(b.Zeros), pct(a.Zeros), word))
	}
	c.Verdict = tally(pass, n)
	switch c.Verdict {
	case VerdictUntested:
		c.Answer = "Untested: the grid has no run of absmean and absmedian with the same width, learning rate and weight decay."
	case VerdictYes:
		c.Answer = fmt.Sprintf("Yes: absmedian leaves fewer zero weights than absmean in %s (on average %s against %s).", every(n, "run"), pct(sumMedian/float64(n)), pct(sumMean/float64(n)))
	case VerdictNo:
		c.Answer = fmt.Sprintf("No: absmedian leaves at least as many zero weights as absmean in %s (on average %s against %s).", every(n, "run"), pct(sumMedian/float64(n)), pct(sumMean/float64(n)))
	default:
		c.Answer = fmt.Sprintf("Partly: absmedian leaves fewer zero weights than absmean in %d of %d runs (on average %s against %s).", pass, n, pct(sumMedian/float64(n)), pct(sumMean/float64(n)))
	}
	return c
}

func checkMedian(rows []BitNetRow) Check {
	c := Check{Question: "Can the median replace the mean (absmedian within 0.5 points of absmean at the same width)?"}
	best := bestByCell(rows)
	pass, n := 0, 0
	worst, worstCase := 0.0, ""
	for _, k := range sortedCells(best, BitNetAbsMean) {
		a := best[k]
		b, ok := best[cell{BitNetAbsMedian, k.width, k.weightDecay, k.epochs}]
		if !ok {
			continue
		}
		n++
		gap := b.TestAccuracy - a.TestAccuracy
		word := "at most 0.5 below: yes"
		if reaches(b.TestAccuracy, a.TestAccuracy) {
			pass++
		} else {
			word = "more than 0.5 below: no"
		}
		c.Cases = append(c.Cases, fmt.Sprintf("H=%d wd %g: absmedian (lr %g) %s vs absmean (lr %g) %s: %s, %s",
			k.width, k.weightDecay, b.LR, pct(b.TestAccuracy), a.LR, pct(a.TestAccuracy), points(gap), word))
		if n == 1 || gap < worst {
			worst, worstCase = gap, fmt.Sprintf("H=%d, wd %g", k.width, k.weightDecay)
		}
	}
	c.Verdict = tally(pass, n)
	switch c.Verdict {
	case VerdictUntested:
		c.Answer = "Untested: the grid has no width with both absmean and absmedian."
	case VerdictYes:
		c.Answer = fmt.Sprintf("Yes: absmedian is within 0.5 points of absmean in %s of width and weight decay (the closest call %s, %s).", every(n, "case"), points(worst), worstCase)
	case VerdictNo:
		c.Answer = fmt.Sprintf("No: absmedian falls more than 0.5 points short of absmean in %s of width and weight decay (the largest shortfall %s, %s).", every(n, "case"), points(worst), worstCase)
	default:
		c.Answer = fmt.Sprintf("Partly: absmedian is within 0.5 points of absmean in %d of %d cases of width and weight decay (the largest shortfall %s, %s).", pass, n, points(worst), worstCase)
	}
	return c
}

func checkWeightDecay(rows []BitNetRow) Check {
	c := Check{Question: "How much does the weight decay move the accuracy, per mode?"}
	best := bestByCell(rows)
	type group struct {
		mode   BitNetMode
		width  int
		epochs int
	}
	var spreads []string
	for _, m := range BitNetModes() {
		byGroup := map[group][]BitNetRow{}
		var groups []group
		for _, k := range sortedCells(best, m) {
			g := group{m, k.width, k.epochs}
			if _, ok := byGroup[g]; !ok {
				groups = append(groups, g)
			}
			byGroup[g] = append(byGroup[g], best[k])
		}
		var modeSpread []float64
		for _, g := range groups {
			rs := byGroup[g]
			if len(rs) < 2 {
				continue
			}
			lo, hi := rs[0], rs[0]
			parts := make([]string, len(rs))
			for i, r := range rs {
				if r.TestAccuracy < lo.TestAccuracy {
					lo = r
				}
				if r.TestAccuracy > hi.TestAccuracy {
					hi = r
				}
				parts[i] = fmt.Sprintf("wd %g %s", r.WeightDecay, pct(r.TestAccuracy))
			}
			spread := hi.TestAccuracy - lo.TestAccuracy
			modeSpread = append(modeSpread, spread)
			c.Cases = append(c.Cases, fmt.Sprintf("%s H=%d: %s; spread %.2f points (best at wd %g)", m, g.width, strings.Join(parts, ", "), 100*spread, hi.WeightDecay))
		}
		if len(modeSpread) > 0 {
			spreads = append(spreads, fmt.Sprintf("%s %.2f", m, 100*slices.Max(modeSpread)))
		}
	}
	if len(spreads) == 0 {
		c.Verdict = VerdictUntested
		c.Answer = "Untested: the sweep needs two weight decays or more (--wds 0,0.01,0.1)."
		return c
	}
	c.Verdict = VerdictMeasured
	c.Answer = "The largest spread of the best accuracy over the weight decays, in points: " + strings.Join(spreads, ", ") + "."
	return c
}
