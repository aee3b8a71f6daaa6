package plots

import (
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
)

// Study is what the plots are computed from: a study's objectives, the
// genotype of its space (to name decisions by key path) and its trials.
type Study struct {
	// Name is the study's name, for titles.
	Name string
	// Objectives are the study's metrics, the first one primary.
	Objectives []search.Metric
	// Spec is the study's space's genotype; nil when it is not known
	// (a study with no config), which the plots of decisions (parallel,
	// slice, importance) refuse.
	Spec *space.DNASpec
	// Trials are the study's trials in number order.
	Trials []search.TrialRecord
	// Now is the end of a running trial's bar in the timeline; zero
	// means the latest time any trial records.
	Now time.Time
}

// primary returns the primary objective, or false when the study has
// none.
func (s *Study) primary() (search.Metric, bool) {
	if len(s.Objectives) == 0 {
		return search.Metric{}, false
	}
	return s.Objectives[0], true
}

// better reports whether a is better than b for the objective m.
func better(m search.Metric, a, b float64) bool {
	if m.Direction == search.Maximize {
		return a > b
	}
	return a < b
}

// value returns the metric m of a completed trial, and whether it has it.
func value(t *search.TrialRecord, m search.Metric) (float64, bool) {
	if t.State != search.Completed {
		return 0, false
	}
	v, ok := t.Metrics[m.Name]
	return v, ok
}

// completed returns the completed trials that report the metric m, with
// their values.
func (s *Study) completed(m search.Metric) ([]*search.TrialRecord, []float64) {
	var ts []*search.TrialRecord
	var vs []float64
	for i := range s.Trials {
		if v, ok := value(&s.Trials[i], m); ok {
			ts = append(ts, &s.Trials[i])
			vs = append(vs, v)
		}
	}
	return ts, vs
}

// objectiveLabel names the objective for an axis: "loss (minimize)".
func objectiveLabel(m search.Metric) string {
	return m.Name + " (" + m.Direction.String() + ")"
}
