package search

import (
	"bytes"
	"encoding/json"
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

// UnmarshalJSON decodes a JSON object of numbers. A null value, which
// encoding/json would silently decode as 0 (a bogus best for a minimized
// metric), is ErrBadMetrics; so is anything but a number. JSON cannot
// spell NaN or an infinity, and a number too large for a float64 is an
// error of encoding/json. A JSON null for the whole object leaves m as
// it is.
func (m *Metrics) UnmarshalJSON(b []byte) error {
	if !bytes.Contains(b, []byte("null")) {
		return json.Unmarshal(b, (*map[string]float64)(m))
	}
	var raw map[string]*float64
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if raw == nil {
		return nil
	}
	out := make(Metrics, len(raw))
	for k, v := range raw {
		if v == nil {
			return fmt.Errorf("%w: metric %s is null, want a number", ErrBadMetrics, quoteName(k))
		}
		out[k] = *v
	}
	*m = out
	return nil
}

// CheckMetrics reports whether m can be recorded: every name passes
// CheckMetricName and every value is a finite number. The error wraps
// ErrBadMetrics.
func CheckMetrics(m Metrics) error {
	for k, v := range m {
		if err := CheckMetricName(k); err != nil {
			return err
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: metric %s is %v", ErrBadMetrics, quoteName(k), v)
		}
	}
	return nil
}

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
// one per objective, in order. A missing objective metric, NaN, an
// infinity or a bad name (see CheckMetrics) is ErrBadMetrics.
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
	if err := CheckMetrics(m); err != nil {
		return nil, err
	}
	return out, nil
}
