package experiments_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/experiments"
)

// The quick mode trains every program once, runs every method with every
// seed within the budget, and places each returned program by the
// ground truth.
func TestRunNASQuick(t *testing.T) {
	r, err := experiments.RunNAS(context.Background(), true, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary.Programs != 48 || len(r.Truth) != 48 {
		t.Fatalf("%d programs, want 48", r.Summary.Programs)
	}
	sum, best := 0.0, 0.0
	byName := map[string]experiments.NASProgram{}
	for _, p := range r.Truth {
		sum += p.Seconds
		best = max(best, p.TestAccuracy)
		byName[p.Name] = p
	}
	if r.Summary.ExhaustiveSeconds != sum || r.Summary.BestTestAccuracy != best || r.Budget != 0.1*sum {
		t.Fatalf("summary %+v, budget %v; truth sums to %v, best %v", r.Summary, r.Budget, sum, best)
	}
	if len(r.Runs) != len(experiments.NASMethods)*len(experiments.NASSeeds) {
		t.Fatalf("%d runs", len(r.Runs))
	}
	for _, run := range r.Runs {
		p, ok := byName[run.Program]
		if !ok || p.TestAccuracy != run.TestAccuracy || run.Percentile != experiments.NASPercentile(r.Truth, p.TestAccuracy) {
			t.Fatalf("run %+v: not the ground truth's figures (%+v)", run, p)
		}
		if run.Trials > 0 && run.Seconds > r.Budget && run.Trials > 1 {
			t.Errorf("run %s seed %d: %.3fs over the budget %.3fs with %d trials", run.Method, run.Seed, run.Seconds, r.Budget, run.Trials)
		}
		if len(run.Trace) == 0 {
			t.Errorf("run %s seed %d: no trace", run.Method, run.Seed)
		}
	}
	if len(r.Logits) != experiments.NASDartsEpochs || len(r.Decisions) != 4 {
		t.Fatalf("%d epochs of logits, %d decisions", len(r.Logits), len(r.Decisions))
	}
	figs := experiments.NASFigures(r)
	if len(figs) != 2 || figs[0].File != "regret.svg" || figs[1].File != "darts-logits.svg" {
		t.Fatalf("figures %+v", figs)
	}
}

// The percentile is 0 for the best, 100 for the worst, and does not
// fall as the accuracy rises.
func TestNASPercentile(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		truth := make([]experiments.NASProgram, 2+rng.IntN(20))
		lo, hi := 1.0, 0.0
		for i := range truth {
			truth[i].TestAccuracy = float64(rng.IntN(10)) / 10
			lo, hi = min(lo, truth[i].TestAccuracy), max(hi, truth[i].TestAccuracy)
		}
		if got := experiments.NASPercentile(truth, hi); got != 0 {
			t.Fatalf("best: %v", got)
		}
		if lo < hi && experiments.NASPercentile(truth, lo) <= 0 {
			t.Fatalf("worst ranked best")
		}
		a, b := truth[0].TestAccuracy, truth[1].TestAccuracy
		if a < b && experiments.NASPercentile(truth, a) < experiments.NASPercentile(truth, b) {
			t.Fatalf("%v below %v ranks better", a, b)
		}
	}
	all := []experiments.NASProgram{{TestAccuracy: 0.1}, {TestAccuracy: 0.2}, {TestAccuracy: 0.3}}
	if got := experiments.NASPercentile(all, 0.1); got != 100 {
		t.Fatalf("worst of three: %v, want 100", got)
	}
}

// The goal is checked per method: yes when every seed is in the top 10%
// within a tenth of the seconds, partly when some are, no otherwise.
func TestCheckNAS(t *testing.T) {
	r := experiments.NASResult{Summary: experiments.NASSummary{ExhaustiveSeconds: 100, Programs: 48, BestTestAccuracy: 0.9}, Budget: 10}
	add := func(m string, pct, sec float64) {
		r.Runs = append(r.Runs, experiments.NASRun{Method: m, Seed: uint64(len(r.Runs)), Percentile: pct, Seconds: sec})
	}
	add("random", 50, 9)
	add("darts", 5, 9)
	add("darts", 10, 10)
	add("darts2", 5, 11) // too slow
	add("gdas", 4, 5)
	add("gdas", 30, 5) // too low
	add("spos", 1, 1)
	got := map[string]experiments.Verdict{}
	for _, c := range experiments.CheckNAS(r) {
		for _, m := range []string{"darts ", "darts2 ", "gdas ", "spos "} {
			if strings.Contains(c.Question, "Does "+m) {
				got[strings.TrimSpace(m)] = c.Verdict
			}
		}
	}
	want := map[string]experiments.Verdict{"spos": experiments.VerdictYes, "darts": experiments.VerdictYes, "darts2": experiments.VerdictNo, "gdas": experiments.VerdictPartly}
	for m, v := range want {
		if got[m] != v {
			t.Errorf("%s: %s, want %s", m, got[m], v)
		}
	}
	checks := experiments.CheckNAS(r)
	if last := checks[len(checks)-1]; last.Verdict != experiments.VerdictMeasured || len(last.Cases) != 5 {
		t.Errorf("last check %+v", last)
	}
}
