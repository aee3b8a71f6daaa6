package experiments

// Verdict is the answer the measured figures give to a question of an
// experiment's claims (CheckBitNet, CheckLMC, CheckLoRA).
type Verdict string

// The verdicts.
const (
	// VerdictYes: every comparison the rows allow supports the claim.
	VerdictYes Verdict = "yes"
	// VerdictNo: none does.
	VerdictNo Verdict = "no"
	// VerdictPartly: some do and some do not.
	VerdictPartly Verdict = "partly"
	// VerdictUntested: the rows allow no comparison (the grid lacks the
	// widths, modes or weight decays the question needs).
	VerdictUntested Verdict = "untested"
	// VerdictMeasured: a question that asks for figures, not for a yes
	// or a no (the weight-decay sweep), has them.
	VerdictMeasured Verdict = "measured"
)

// Check is one question of a research claim, answered from measured
// figures: what an experiment's Check function returns, one per claim,
// whichever way the figures come out.
type Check struct {
	// Question is the claim as a question.
	Question string `json:"question"`
	// Verdict is the answer.
	Verdict Verdict `json:"verdict"`
	// Answer says it in a sentence, with the figures that decide it.
	Answer string `json:"answer"`
	// Cases are the comparisons made, one line each (none where one
	// figure decides).
	Cases []string `json:"cases,omitempty"`
}

// yesNo is the verdict of a claim one comparison decides.
func yesNo(ok bool) Verdict {
	if ok {
		return VerdictYes
	}
	return VerdictNo
}
