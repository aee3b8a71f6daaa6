package experiments

import (
	"fmt"
	"slices"
)

// CheckNAS checks the experiment's goal from its runs, a pure function:
// for each supernet method, whether every seed's program is in the top
// NASTopPercentile % of the ground truth within NASBudgetFraction of the
// exhaustive seconds; and, measured, each method's mean percentile and
// seconds.
func CheckNAS(r NASResult) []Check {
	limit := NASBudgetFraction * r.Summary.ExhaustiveSeconds
	var checks []Check
	for _, m := range []string{"darts", "darts2", "gdas", "enas", "spos"} {
		var runs []NASRun
		for _, run := range r.Runs {
			if run.Method == m {
				runs = append(runs, run)
			}
		}
		if len(runs) == 0 {
			continue
		}
		c := Check{Question: fmt.Sprintf("Does %s return a program in the top %d%% of the ground truth in at most a tenth of the exhaustive search's %.1fs?", m, NASTopPercentile, r.Summary.ExhaustiveSeconds)}
		ok := 0
		for _, run := range runs {
			good := run.Percentile <= NASTopPercentile && run.Seconds <= limit
			if good {
				ok++
			}
			c.Cases = append(c.Cases, fmt.Sprintf("seed %d: %s, percentile %.1f, %.1fs (limit %.1fs): %s", run.Seed, run.Program, run.Percentile, run.Seconds, limit, yesNo(good)))
		}
		switch {
		case ok == len(runs):
			c.Verdict = VerdictYes
		case ok == 0:
			c.Verdict = VerdictNo
		default:
			c.Verdict = VerdictPartly
		}
		c.Answer = fmt.Sprintf("%d of %d seeds meet the goal.", ok, len(runs))
		checks = append(checks, c)
	}
	c := Check{Question: "How do the methods compare within the same budget?", Verdict: VerdictMeasured}
	var methods []string
	for _, run := range r.Runs {
		if !slices.Contains(methods, run.Method) {
			methods = append(methods, run.Method)
		}
	}
	for _, m := range methods {
		var pct, sec, acc float64
		n := 0
		for _, run := range r.Runs {
			if run.Method == m {
				pct, sec, acc, n = pct+run.Percentile, sec+run.Seconds, acc+run.TestAccuracy, n+1
			}
		}
		c.Cases = append(c.Cases, fmt.Sprintf("%s: mean percentile %.1f, mean test accuracy %.2f%%, mean %.1fs over %d seeds", m, pct/float64(n), 100*acc/float64(n), sec/float64(n), n))
	}
	c.Answer = fmt.Sprintf("Budget %.1fs a search (a tenth of %.1fs over %d programs); best test accuracy %.2f%%.", r.Budget, r.Summary.ExhaustiveSeconds, r.Summary.Programs, 100*r.Summary.BestTestAccuracy)
	return append(checks, c)
}
