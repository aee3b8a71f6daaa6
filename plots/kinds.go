package plots

import (
	"fmt"
	"strings"
)

// Kinds are the plot kinds Build makes, in the order reports show them.
var Kinds = []string{"history", "intermediate", "parallel", "pareto", "slice", "importance", "edf", "timeline"}

// Options tune Build.
type Options struct {
	// Limit, if positive, is the most trials the plots that draw a line
	// per trial (intermediate, parallel) draw: the latest trials with
	// steps, the best completed trials. 0 draws all.
	Limit int
}

// Build returns the chart of the kind named (one of Kinds) for the study.
// o may be nil. A study without what the kind needs gives an ErrNoData
// error, an unknown kind ErrKind.
func Build(kind string, s *Study, o *Options) (Chart, error) {
	var opts Options
	if o != nil {
		opts = *o
	}
	switch kind {
	case "history":
		return History(s)
	case "intermediate":
		return Intermediate(s, opts.Limit)
	case "parallel":
		return Parallel(s, opts.Limit)
	case "pareto":
		return Pareto(s)
	case "slice":
		return Slice(s)
	case "importance":
		return ImportanceChart(s)
	case "edf":
		return EDF(s)
	case "timeline":
		return Timeline(s)
	}
	return Chart{}, fmt.Errorf("%w %q (the kinds: %s)", ErrKind, kind, strings.Join(Kinds, ", "))
}
