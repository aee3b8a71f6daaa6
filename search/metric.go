package search

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Direction says whether a metric is maximized or minimized.
type Direction uint8

// Directions.
const (
	Maximize Direction = iota
	Minimize
)

// String returns "maximize" or "minimize".
func (d Direction) String() string {
	if d == Minimize {
		return "minimize"
	}
	return "maximize"
}

// ParseDirection parses "maximize" or "minimize".
func ParseDirection(s string) (Direction, error) {
	switch s {
	case "maximize", "max":
		return Maximize, nil
	case "minimize", "min":
		return Minimize, nil
	}
	return 0, fmt.Errorf("search: direction %q: want maximize or minimize", s)
}

// Metric is one objective: a named metric and its direction.
type Metric struct {
	Name      string
	Direction Direction
}

// Metrics are the named values a trial reports.
type Metrics map[string]float64

// String formats the metrics sorted by name, e.g. "acc=0.91 loss=0.3".
func (m Metrics) String() string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%.6g", k, m[k])
	}
	return b.String()
}

// rewards turns metrics into an algorithm's rewards (larger is better),
// one per objective, in order. A missing objective metric, NaN or an
// infinity is ErrBadMetrics.
func rewards(objectives []Metric, m Metrics) ([]float64, error) {
	out := make([]float64, len(objectives))
	for i, o := range objectives {
		v, ok := m[o.Name]
		if !ok {
			return nil, fmt.Errorf("%w: metric %q is missing (got %s)", ErrBadMetrics, o.Name, m)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: metric %q is %v", ErrBadMetrics, o.Name, v)
		}
		if o.Direction == Minimize {
			v = -v
		}
		out[i] = v
	}
	for k, v := range m {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: metric %q is %v", ErrBadMetrics, k, v)
		}
	}
	return out, nil
}
