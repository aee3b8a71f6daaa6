package experiments

import (
	"fmt"
	"slices"
	"strings"
)

// LoRATolerance is how far apart two accuracies may be and still count
// as the same: one point.
const LoRATolerance = 0.01

// LoRALowRank is the largest rank the claims call low.
const LoRALowRank = 8

// CheckLoRA answers the questions of the research claim from res,
// whichever way the figures come out:
//
//  1. Does LoRA reach full fine-tuning's target accuracy? Each LoRA run
//     against full fine-tuning, within one point.
//  2. Are full fine-tuning and the null baseline free of intruders?
//  3. Does low-rank LoRA (r ≤ 8) create intruders? Each such run's count
//     against full fine-tuning's.
//  4. Does the count fall as the rank grows? Per scaling (α = 2r, and
//     rsLoRA), the count at the largest rank against the smallest.
//  5. Do the runs with intruders forget more? The accuracy on the
//     original task of each LoRA run with intruders whose target
//     accuracy is within one point of full fine-tuning's, against full's.
//  6. Does high-rank rsLoRA behave like full fine-tuning? Its count and
//     forgetting against full's (no more intruders, original accuracy
//     not a point lower).
//  7. Does scaling the intruders by λ reduce forgetting at little cost?
//     Per run with intruders and λ: original accuracy up, target
//     accuracy down by less than a point.
//  8. Over the sequence, does LoRA r = 1 forget more than full
//     fine-tuning and high-rank rsLoRA? After the last stage, the
//     accuracy on the first task and on the pre-training task.
//
// CheckLoRA is a pure function of res.
func CheckLoRA(res *LoRAResult) []Check {
	return []Check{
		checkLoRAAccuracy(res), checkFullClean(res), checkLowRankIntruders(res), checkRankTrend(res),
		checkIntrudersForget(res), checkHighRank(res), checkLambda(res), checkSequence(res),
	}
}

// verdictOf is yes when every case holds, no when none does, partly
// otherwise, untested without cases.
func verdictOf(held, total int) Verdict {
	switch {
	case total == 0:
		return VerdictUntested
	case held == total:
		return VerdictYes
	case held == 0:
		return VerdictNo
	}
	return VerdictPartly
}

// named finds the first row of res.Runs of the method (and, for lora,
// rank and scaling).
func named(res *LoRAResult, method string) *LoRARow {
	for i := range res.Runs {
		if res.Runs[i].Method == method {
			return &res.Runs[i]
		}
	}
	return nil
}

func loraRows(res *LoRAResult) []*LoRARow {
	var out []*LoRARow
	for i := range res.Runs {
		if res.Runs[i].Method == "lora" {
			out = append(out, &res.Runs[i])
		}
	}
	return out
}

func (r *LoRARow) name() string {
	return LoRARun{Method: r.Method, Rank: r.Rank, Alpha: r.Alpha, RSLoRA: r.RSLoRA}.String()
}

func checkLoRAAccuracy(res *LoRAResult) Check {
	c := Check{Question: "Does LoRA reach full fine-tuning's accuracy on the new task (within 1 point)?"}
	full := named(res, "full")
	held, total := 0, 0
	if full != nil {
		for _, r := range loraRows(res) {
			ok := r.TargetAccuracy >= full.TargetAccuracy-LoRATolerance
			total++
			if ok {
				held++
			}
			c.Cases = append(c.Cases, fmt.Sprintf("%s: %s against full %s: %s", r.name(), pct(r.TargetAccuracy), pct(full.TargetAccuracy), string(yesNo(ok))))
		}
	}
	c.Verdict = verdictOf(held, total)
	c.Answer = fmt.Sprintf("%d of %d LoRA runs reach full fine-tuning's target accuracy within a point.", held, total)
	if total == 0 {
		c.Answer = "The result has no full fine-tuning or no LoRA run to compare."
	}
	return c
}

func checkFullClean(res *LoRAResult) Check {
	c := Check{Question: "Are full fine-tuning and the null baseline free of intruder dimensions?"}
	held, total := 0, 0
	for _, m := range []string{"null", "full"} {
		if r := named(res, m); r != nil {
			total++
			if r.Intruders == 0 {
				held++
			}
			c.Cases = append(c.Cases, fmt.Sprintf("%s: %d intruders", m, r.Intruders))
		}
	}
	c.Verdict = verdictOf(held, total)
	c.Answer = fmt.Sprintf("%d of %d have none.", held, total)
	return c
}

func checkLowRankIntruders(res *LoRAResult) Check {
	c := Check{Question: fmt.Sprintf("Does low-rank LoRA (r ≤ %d) create intruder dimensions that full fine-tuning does not?", LoRALowRank)}
	full := named(res, "full")
	held, total := 0, 0
	if full != nil {
		for _, r := range loraRows(res) {
			if r.Rank > LoRALowRank {
				continue
			}
			ok := r.Intruders > full.Intruders
			total++
			if ok {
				held++
			}
			c.Cases = append(c.Cases, fmt.Sprintf("%s: %d intruders, full %d: %s", r.name(), r.Intruders, full.Intruders, string(yesNo(ok))))
		}
	}
	c.Verdict = verdictOf(held, total)
	c.Answer = fmt.Sprintf("%d of %d low-rank LoRA runs have more intruders than full fine-tuning.", held, total)
	return c
}

func checkRankTrend(res *LoRAResult) Check {
	c := Check{Question: "Does the number of intruders fall as the rank grows?"}
	held, total := 0, 0
	for _, rs := range []bool{false, true} {
		var rows []*LoRARow
		for _, r := range loraRows(res) {
			if r.RSLoRA == rs {
				rows = append(rows, r)
			}
		}
		if len(rows) < 2 {
			continue
		}
		slices.SortFunc(rows, func(a, b *LoRARow) int { return a.Rank - b.Rank })
		var counts []string
		for _, r := range rows {
			counts = append(counts, fmt.Sprintf("r=%d: %d", r.Rank, r.Intruders))
		}
		lo, hi := rows[0], rows[len(rows)-1]
		ok := hi.Intruders < lo.Intruders
		total++
		if ok {
			held++
		}
		scaling := "α = 2r"
		if rs {
			scaling = "rsLoRA"
		}
		c.Cases = append(c.Cases, fmt.Sprintf("%s: %s: %s", scaling, strings.Join(counts, ", "), string(yesNo(ok))))
	}
	c.Verdict = verdictOf(held, total)
	c.Answer = fmt.Sprintf("In %d of %d scalings the largest rank has fewer intruders than the smallest.", held, total)
	return c
}

func checkIntrudersForget(res *LoRAResult) Check {
	c := Check{Question: "Do LoRA runs with intruders forget more of the pre-training task than full fine-tuning, at a matched target accuracy?"}
	full := named(res, "full")
	held, total := 0, 0
	if full != nil {
		for _, r := range loraRows(res) {
			if r.Intruders == 0 || r.TargetAccuracy < full.TargetAccuracy-LoRATolerance {
				continue
			}
			ok := r.OrigAccuracy < full.OrigAccuracy
			total++
			if ok {
				held++
			}
			c.Cases = append(c.Cases, fmt.Sprintf("%s (%d intruders): original %s, full %s: %s", r.name(), r.Intruders, pct(r.OrigAccuracy), pct(full.OrigAccuracy), string(yesNo(ok))))
		}
	}
	c.Verdict = verdictOf(held, total)
	c.Answer = fmt.Sprintf("%d of %d matched runs with intruders keep less of the original task than full fine-tuning.", held, total)
	if total == 0 {
		c.Answer = "No LoRA run has intruders at full fine-tuning's target accuracy."
	}
	return c
}

func checkHighRank(res *LoRAResult) Check {
	c := Check{Question: "Does high-rank rsLoRA behave like full fine-tuning (no more intruders, forgetting within a point)?"}
	full := named(res, "full")
	var high *LoRARow
	for _, r := range loraRows(res) {
		if r.RSLoRA && (high == nil || r.Rank > high.Rank) {
			high = r
		}
	}
	if full == nil || high == nil || high.Rank <= LoRALowRank {
		c.Verdict = VerdictUntested
		c.Answer = fmt.Sprintf("The result has no full fine-tuning or no rsLoRA run above rank %d.", LoRALowRank)
		return c
	}
	a := high.Intruders <= full.Intruders
	b := high.OrigAccuracy >= full.OrigAccuracy-LoRATolerance
	c.Cases = []string{
		fmt.Sprintf("%s: %d intruders, full %d: %s", high.name(), high.Intruders, full.Intruders, string(yesNo(a))),
		fmt.Sprintf("%s: original %s, full %s: %s", high.name(), pct(high.OrigAccuracy), pct(full.OrigAccuracy), string(yesNo(b))),
	}
	c.Verdict = verdictOf(boolCount(a, b), 2)
	c.Answer = fmt.Sprintf("%s: %d intruders against %d, original accuracy %s against %s.", high.name(), high.Intruders, full.Intruders, pct(high.OrigAccuracy), pct(full.OrigAccuracy))
	return c
}

func boolCount(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

func checkLambda(res *LoRAResult) Check {
	c := Check{Question: "Does scaling the intruders' singular values by λ reduce forgetting, at less than a point of target accuracy?"}
	held, total, raised, kept := 0, 0, 0, 0
	for i := range res.Runs {
		r := &res.Runs[i]
		if r.Intruders == 0 {
			continue
		}
		for _, s := range r.Lambda {
			up, keep := s.OrigAccuracy > r.OrigAccuracy, s.TargetAccuracy > r.TargetAccuracy-LoRATolerance
			ok := up && keep
			total++
			raised += boolCount(up)
			kept += boolCount(keep)
			if ok {
				held++
			}
			c.Cases = append(c.Cases, fmt.Sprintf("%s λ=%g: original %s → %s, target %s → %s: %s", r.name(), s.Lambda,
				pct(r.OrigAccuracy), pct(s.OrigAccuracy), pct(r.TargetAccuracy), pct(s.TargetAccuracy), string(yesNo(ok))))
		}
	}
	c.Verdict = verdictOf(held, total)
	c.Answer = fmt.Sprintf("%d of %d scalings of runs with intruders raise the original accuracy and keep the target within a point (%d raise it, %d keep the target).", held, total, raised, kept)
	if total == 0 {
		c.Answer = "No run has intruders to scale."
	}
	return c
}

func checkSequence(res *LoRAResult) Check {
	c := Check{Question: "Over the sequence of tasks, does LoRA r = 1 forget more (first task and pre-training) than full fine-tuning and high-rank rsLoRA?"}
	last := make(map[string]LoRAStageRow)
	var order []string
	for _, s := range res.Stages {
		if _, ok := last[s.Sequence]; !ok {
			order = append(order, s.Sequence)
		}
		if s.Stage >= last[s.Sequence].Stage {
			last[s.Sequence] = s
		}
	}
	var low *LoRAStageRow
	for _, name := range order {
		if s := last[name]; s.Method == "lora" && s.Rank == 1 {
			low = &s
		}
	}
	if low == nil || len(order) < 2 {
		c.Verdict = VerdictUntested
		c.Answer = "The result has no sequence of LoRA r = 1 and another to compare."
		return c
	}
	held, total := 0, 0
	for _, name := range order {
		s := last[name]
		if name == low.Sequence {
			continue
		}
		for _, m := range []struct {
			what      string
			low, that float64
		}{{"first task", low.FirstAccuracy, s.FirstAccuracy}, {"pre-training", low.OrigAccuracy, s.OrigAccuracy}} {
			ok := m.low < m.that
			total++
			if ok {
				held++
			}
			c.Cases = append(c.Cases, fmt.Sprintf("after stage %d, %s: %s %s, %s %s: %s", low.Stage, m.what, low.Sequence, pct(m.low), name, pct(m.that), string(yesNo(ok))))
		}
	}
	c.Verdict = verdictOf(held, total)
	c.Answer = fmt.Sprintf("LoRA r = 1 keeps less in %d of %d comparisons after the last stage.", held, total)
	return c
}
