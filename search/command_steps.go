package search

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// stepLineMax is the longest line of a command objective's standard
// output read as a step report; a longer line is output like any other.
const stepLineMax = 64 << 10

// parseStepLine reads one line of a command objective's standard output
// as a step report, {"step": N, "metrics": {...}}: a JSON object with a
// key "metrics" whose value is an object (which a line of final metrics
// cannot have, its values being numbers). ok is false for any other line
// (a log line, the final metrics), which is not a report. A report must
// have a step that is an integer from 0, no other keys, and metrics that
// are finite numbers under valid names, at least one; else err says what
// is wrong with it.
func parseStepLine(line []byte) (s Step, ok bool, err error) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] != '{' || !utf8.Valid(line) {
		return Step{}, false, nil
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(line, &fields) != nil {
		return Step{}, false, nil
	}
	raw, has := fields["metrics"]
	if !has || len(raw) == 0 || raw[0] != '{' {
		return Step{}, false, nil
	}
	for k := range fields {
		if k != "step" && k != "metrics" {
			return Step{}, true, fmt.Errorf("step report %q has key %q; want only step and metrics", clipText(string(line), 80), clipText(k, 40))
		}
	}
	rawStep, has := fields["step"]
	if !has {
		return Step{}, true, fmt.Errorf("step report %q has no step", clipText(string(line), 80))
	}
	n, err := strconv.Atoi(string(rawStep))
	if err != nil || n < 0 {
		return Step{}, true, fmt.Errorf("step report %q: step %s is not an integer from 0", clipText(string(line), 80), clipText(string(rawStep), 40))
	}
	m, err := decodeMetricsLine(raw)
	if err == nil && len(m) == 0 {
		err = errors.New("no metrics")
	}
	if err == nil {
		err = CheckMetrics(m)
	}
	if err != nil {
		return Step{}, true, fmt.Errorf("step %d report: metrics: %w", n, err)
	}
	return Step{Step: n, Metrics: m}, true, nil
}

// lineWriter is an io.Writer that hands each whole line written to it
// (without its newline) to fn, as it arrives. Lines longer than max are
// dropped. It is not safe for concurrent use.
type lineWriter struct {
	max  int
	fn   func(line []byte)
	buf  []byte
	long bool // the line being read is longer than max: skip to its end
}

// Write splits p into lines; it never fails.
func (w *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			if !w.long && len(w.buf)+len(p) <= w.max {
				w.buf = append(w.buf, p...)
			} else {
				w.buf, w.long = w.buf[:0], true
			}
			break
		}
		if !w.long && len(w.buf)+i <= w.max {
			w.fn(append(w.buf, p[:i]...))
		}
		w.buf, w.long = w.buf[:0], false
		p = p[i+1:]
	}
	return n, nil
}
