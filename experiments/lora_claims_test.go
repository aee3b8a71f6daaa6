package experiments_test

import (
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/experiments"
	"github.com/c2602f9e/goglove/trainer"
)

// paperResult is a result that bears every claim out: LoRA as accurate
// as full fine-tuning, intruders at low rank only, more forgetting with
// them, λ helping, r = 1 forgetting most over the sequence.
func paperResult() *experiments.LoRAResult {
	lora := func(r int, rs bool, intr int, target, orig float64) experiments.LoRARow {
		alpha := 2 * float64(r)
		if rs {
			alpha = 8
		}
		return experiments.LoRARow{Method: "lora", Rank: r, Alpha: alpha, RSLoRA: rs, TargetAccuracy: target, OrigAccuracy: orig, Intruders: intr,
			Lambda: []trainer.Scaled{{Lambda: 0.5, TargetAccuracy: target - 0.005, OrigAccuracy: orig + 0.05}}}
	}
	return &experiments.LoRAResult{
		Runs: []experiments.LoRARow{
			{Method: "null", TargetAccuracy: 0.9, OrigAccuracy: 0.9},
			{Method: "full", TargetAccuracy: 0.88, OrigAccuracy: 0.6},
			lora(1, false, 4, 0.88, 0.4), lora(1, true, 3, 0.885, 0.45),
			lora(64, false, 1, 0.89, 0.55), lora(64, true, 0, 0.89, 0.6),
		},
		Stages: []experiments.LoRAStageRow{
			{Sequence: "full", Method: "full", Stage: 2, FirstAccuracy: 0.5, OrigAccuracy: 0.4},
			{Sequence: "lora r=1 α=2", Method: "lora", Rank: 1, Stage: 2, FirstAccuracy: 0.3, OrigAccuracy: 0.2},
			{Sequence: "lora r=64 rsLoRA α=8", Method: "lora", Rank: 64, RSLoRA: true, Stage: 2, FirstAccuracy: 0.45, OrigAccuracy: 0.35},
		},
	}
}

func loraVerdicts(checks []experiments.Check) string {
	var v []string
	for _, c := range checks {
		v = append(v, string(c.Verdict))
	}
	return strings.Join(v, " ")
}

func TestCheckLoRA(t *testing.T) {
	res := paperResult()
	if got, want := loraVerdicts(experiments.CheckLoRA(res)), "yes yes yes yes yes yes yes yes"; got != want {
		for _, c := range experiments.CheckLoRA(res) {
			t.Log(c.Question, c.Verdict, c.Cases)
		}
		t.Fatalf("verdicts %s, want %s", got, want)
	}
	// The other way: full fine-tuning with intruders, LoRA behind it,
	// intruders rising with rank, λ hurting, r = 1 forgetting least.
	bad := paperResult()
	bad.Runs[0].Intruders, bad.Runs[1].Intruders = 1, 2
	bad.Runs[5].OrigAccuracy = 0.3
	bad.Runs[1].TargetAccuracy = 0.95
	bad.Runs[3].Intruders = 0
	bad.Runs[2].Intruders = 0
	bad.Runs[4].Intruders, bad.Runs[5].Intruders = 5, 5
	for i := range bad.Runs {
		for j := range bad.Runs[i].Lambda {
			bad.Runs[i].Lambda[j].OrigAccuracy = 0
		}
	}
	bad.Stages[1].FirstAccuracy, bad.Stages[1].OrigAccuracy = 0.9, 0.9
	checks := experiments.CheckLoRA(bad)
	if got, want := loraVerdicts(checks), "no no no no untested no no no"; got != want {
		for _, c := range checks {
			t.Log(c.Question, c.Verdict, c.Cases)
		}
		t.Fatalf("verdicts %s, want %s", got, want)
	}
	// Nothing to compare: untested throughout, never a verdict from no
	// figures.
	empty := experiments.CheckLoRA(&experiments.LoRAResult{})
	for _, c := range empty {
		if c.Verdict != experiments.VerdictUntested {
			t.Errorf("%s: %s on an empty result", c.Question, c.Verdict)
		}
	}
	// Partly: one of two LoRA runs behind full fine-tuning.
	part := paperResult()
	part.Runs[2].TargetAccuracy = 0.8
	if c := experiments.CheckLoRA(part)[0]; c.Verdict != experiments.VerdictPartly || !strings.Contains(c.Answer, "3 of 4") {
		t.Errorf("claim 1: %s, %s", c.Verdict, c.Answer)
	}
}
