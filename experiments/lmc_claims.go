package experiments

import "fmt"

// The thresholds of CheckLMC.
const (
	// LMCHighBarrier is the loss barrier, in nats, from which a barrier
	// counts as high.
	LMCHighBarrier = 0.1
	// LMCSmallL2Fall is the largest fall of the L2 distance that counts
	// as "only a little": l2_ratio at least 1 − LMCSmallL2Fall.
	LMCSmallL2Fall = 0.2
	// LMCSingularTolerance is the largest change of a singular value that
	// counts as none (float32 weights, float64 decomposition).
	LMCSingularTolerance = 1e-5
)

// CheckLMC answers the claims of the research results from r, whichever
// way the figures come out. It is a pure function of r:
//
//  1. Is the naive loss barrier between two seeds high (at least
//     LMCHighBarrier nats)?
//  2. Does weight matching remove most of it (to at most half; partly
//     when it lowers it less)?
//  3. Does the L2 distance fall only a little (l2_ratio at least
//     1 − LMCSmallL2Fall) while the barrier falls?
//  4. Does the permutation keep every singular value (within
//     LMCSingularTolerance)?
//  5. Does weight matching align the top singular vectors (a higher
//     sv alignment than naive)?
//  6. Does weight matching beat STE on two models (a lower loss barrier
//     between models 1 and 2)?
//  7. Does weight matching beat STE on three models (a lower barrier
//     between models 2 and 3 aligned to model 1, and a more accurate
//     average of three; partly when only one holds)?
func CheckLMC(r LMCResult) []Check {
	return []Check{
		lmcHighBarrier(r), lmcWMRemoves(r), lmcL2(r), lmcSingular(r), lmcSingularVectors(r), lmcWMvsSTE2(r), lmcWMvsSTE3(r),
	}
}

func lmcHighBarrier(r LMCResult) Check {
	c := Check{Question: "Is the loss barrier on the straight line between two seeds high?", Verdict: yesNo(r.LossBarrierNaive >= LMCHighBarrier)}
	word := "Yes"
	if c.Verdict == VerdictNo {
		word = "No"
	}
	c.Answer = fmt.Sprintf("%s: the naive loss barrier is %.4f nats (high from %g), the accuracy falls up to %.2f points below the line between the ends (%s at λ = ½).",
		word, r.LossBarrierNaive, LMCHighBarrier, 100*r.AccBarrierNaive, pct(r.MidAccNaive))
	return c
}

func lmcWMRemoves(r LMCResult) Check {
	c := Check{Question: "Does weight matching remove most of the barrier?"}
	switch {
	case r.LossBarrierWM <= r.LossBarrierNaive/2:
		c.Verdict = VerdictYes
	case r.LossBarrierWM < r.LossBarrierNaive:
		c.Verdict = VerdictPartly
	default:
		c.Verdict = VerdictNo
	}
	removed := 0.0
	if r.LossBarrierNaive > 0 {
		removed = 1 - r.LossBarrierWM/r.LossBarrierNaive
	}
	c.Answer = fmt.Sprintf("%s: the loss barrier falls from %.4f to %.4f nats (%s of it removed; most means at least half), the accuracy barrier from %.2f to %.2f points.",
		verdictWord(c.Verdict), r.LossBarrierNaive, r.LossBarrierWM, pct(removed), 100*r.AccBarrierNaive, 100*r.AccBarrierWM)
	return c
}

func lmcL2(r LMCResult) Check {
	ok := r.L2Ratio >= 1-LMCSmallL2Fall && r.LossBarrierWM < r.LossBarrierNaive
	c := Check{Question: "Does the L2 distance fall only a little while the barrier falls?", Verdict: yesNo(ok)}
	c.Answer = fmt.Sprintf("%s: weight matching leaves %s of the distance between models 1 and 2 (l2_ratio %.4f; a little means a fall of at most %s), while the loss barrier goes from %.4f to %.4f.",
		verdictWord(c.Verdict), pct(r.L2Ratio), r.L2Ratio, pct(LMCSmallL2Fall), r.LossBarrierNaive, r.LossBarrierWM)
	return c
}

func lmcSingular(r LMCResult) Check {
	c := Check{Question: "Does the permutation keep every singular value?", Verdict: yesNo(r.PermSingularValuesMaxDiff <= LMCSingularTolerance)}
	c.Answer = fmt.Sprintf("%s: the largest change of a singular value of model 2's weight matrices under weight matching's permutation is %.3g (none means at most %g).",
		verdictWord(c.Verdict), r.PermSingularValuesMaxDiff, LMCSingularTolerance)
	return c
}

func lmcSingularVectors(r LMCResult) Check {
	c := Check{Question: "Does weight matching align the top singular vectors?", Verdict: yesNo(r.SVAlignmentWM > r.SVAlignmentNaive)}
	c.Answer = fmt.Sprintf("%s: the mean |cos| between the top singular vectors of models 1 and 2 is %.4f after weight matching and %.4f before.",
		verdictWord(c.Verdict), r.SVAlignmentWM, r.SVAlignmentNaive)
	return c
}

func lmcWMvsSTE2(r LMCResult) Check {
	c := Check{Question: "Does weight matching beat STE on two models?", Verdict: yesNo(r.LossBarrierWM < r.LossBarrierSTE)}
	c.Answer = fmt.Sprintf("%s: the loss barrier between models 1 and 2 is %.4f after weight matching and %.4f after STE (accuracy at λ = ½ %s against %s).",
		verdictWord(c.Verdict), r.LossBarrierWM, r.LossBarrierSTE, pct(r.MidAccWM), pct(r.MidAccSTE))
	return c
}

func lmcWMvsSTE3(r LMCResult) Check {
	c := Check{Question: "Does weight matching beat STE on three models?"}
	barrier, avg := r.BCLossBarrierWMAnchor < r.BCLossBarrierSTE, r.Avg3AccWM > r.Avg3AccSTE
	switch {
	case barrier && avg:
		c.Verdict = VerdictYes
	case barrier || avg:
		c.Verdict = VerdictPartly
	default:
		c.Verdict = VerdictNo
	}
	c.Answer = fmt.Sprintf("%s: with models 2 and 3 both aligned to model 1, the loss barrier between them is %.4f by weight matching and %.4f by STE (%.4f naive), and the average of the three is %s accurate by weight matching and %s by STE (%s naive).",
		verdictWord(c.Verdict), r.BCLossBarrierWMAnchor, r.BCLossBarrierSTE, r.BCLossBarrierNaive, pct(r.Avg3AccWM), pct(r.Avg3AccSTE), pct(r.Avg3AccNaive))
	return c
}

// verdictWord is the verdict capitalized, to open an answer.
func verdictWord(v Verdict) string {
	switch v {
	case VerdictYes:
		return "Yes"
	case VerdictNo:
		return "No"
	case VerdictPartly:
		return "Partly"
	}
	return string(v)
}
