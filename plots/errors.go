package plots

import "errors"

// ErrNoData: the study lacks what a plot needs (no objective, no
// completed trial, one objective for a Pareto plot, no space for a plot
// of decisions).
var ErrNoData = errors.New("plots: not enough data")

// ErrKind: the plot kind or file format is not one of those known.
var ErrKind = errors.New("plots: unknown kind")
