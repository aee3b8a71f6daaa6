package search

import (
	"context"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
)

// Result is what a search found.
type Result struct {
	// Study is the study's name.
	Study string
	// Objectives are the study's metrics, the first one primary.
	Objectives []Metric
	// Best is the completed trial with the best primary metric, or nil
	// when none completed. With several objectives, see Pareto.
	Best *TrialRecord
	// Pareto holds the completed trials that no other completed trial
	// dominates (at least as good on every objective and better on one),
	// in trial order. With one objective it holds the best trials.
	Pareto []TrialRecord
	// Counts of the study's trials by final state.
	Completed, Failed, Skipped, EarlyStopped int
	// Elapsed is the time this search ran.
	Elapsed time.Duration
	// Interrupted reports that the context was cancelled before the
	// budget was spent (Ctrl-C); the result holds what was found.
	Interrupted bool
	// StopReason says why the search ended.
	StopReason string
}

// Summarize reads a study's trials from a store and returns its Result.
func Summarize(ctx context.Context, st Store, study string) (*Result, error) {
	info, err := st.Study(ctx, study)
	if err != nil {
		return nil, err
	}
	trials, err := st.Trials(ctx, study)
	if err != nil {
		return nil, err
	}
	return summarize(info.Name, info.Objectives, trials), nil
}

func summarize(study string, objectives []Metric, trials []TrialRecord) *Result {
	res := &Result{Study: study, Objectives: objectives}
	var done []TrialRecord
	var rws [][]float64
	for _, t := range trials {
		switch t.State {
		case Completed:
			res.Completed++
			if rw, err := rewards(objectives, t.Metrics); err == nil {
				done = append(done, t)
				rws = append(rws, rw)
			}
		case Failed:
			res.Failed++
		case Skipped:
			res.Skipped++
		case EarlyStopped:
			res.EarlyStopped++
		}
	}
	results := make([]algorithms.Result, len(done))
	for i := range done {
		if res.Best == nil || rws[i][0] > bestReward(res.Best, objectives) {
			b := done[i]
			res.Best = &b
		}
		results[i] = algorithms.Result{Trial: i, Rewards: rws[i]}
	}
	for _, r := range algorithms.ParetoFront(results) {
		res.Pareto = append(res.Pareto, done[r.Trial])
	}
	return res
}

func bestReward(t *TrialRecord, objectives []Metric) float64 {
	rw, _ := rewards(objectives[:1], t.Metrics)
	return rw[0]
}
