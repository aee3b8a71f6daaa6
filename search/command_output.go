package search

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// What a command objective's output is kept of: the last stdoutTail bytes
// of its standard output (where its metrics are) and the last stderrTail
// bytes of its standard error (where the reason for a failure is). The
// rest is read and dropped, so that a command printing gigabytes costs no
// more memory than one printing a line.
const (
	stdoutTail = 1 << 20
	stderrTail = 64 << 10
	// reasonLines is how many of the last lines of standard error a
	// failure's reason quotes, each clipped to reasonLineMax bytes.
	reasonLines   = 5
	reasonLineMax = 200
)

// tailBuffer is an io.Writer that keeps the last max bytes written to it
// and counts them all. It is not safe for concurrent use.
type tailBuffer struct {
	max   int
	buf   []byte
	total int64
}

func newTailBuffer(max int) *tailBuffer { return &tailBuffer{max: max} }

// Write keeps the tail of what was written; it never fails.
func (b *tailBuffer) Write(p []byte) (int, error) {
	b.total += int64(len(p))
	if len(p) >= b.max {
		b.buf = append(b.buf[:0], p[len(p)-b.max:]...)
		return len(p), nil
	}
	if len(b.buf)+len(p) > 2*b.max {
		// Slide the kept tail to the front: amortized, each byte is
		// copied at most twice.
		keep := b.max - len(p)
		b.buf = append(b.buf[:0], b.buf[len(b.buf)-keep:]...)
	}
	if need := len(b.buf) + len(p); need > cap(b.buf) {
		// Double, up to twice the tail: append alone grows large slices
		// by a quarter, reallocating many times on the way.
		grown := make([]byte, len(b.buf), min(max(need, 2*cap(b.buf), 4<<10), 2*b.max))
		copy(grown, b.buf)
		b.buf = grown
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// Bytes returns the kept tail: at most max bytes, the last written.
func (b *tailBuffer) Bytes() []byte {
	if len(b.buf) > b.max {
		return b.buf[len(b.buf)-b.max:]
	}
	return b.buf
}

// Truncated reports whether more was written than is kept.
func (b *tailBuffer) Truncated() bool { return b.total > int64(len(b.Bytes())) }

var _ io.Writer = (*tailBuffer)(nil)

// parseCommandOutput reads a command objective's metrics from the tail of
// its standard output: the last non-blank line must be a JSON object
// whose names are non-empty valid UTF-8, each given once, and whose
// values are finite numbers (not a step report, see parseStepLine).
// truncated says that out is only the end of
// what was printed, so that a line reaching its start may be cut.
func parseCommandOutput(out []byte, truncated bool) (Metrics, error) {
	line, whole := lastOutputLine(out, truncated)
	if !whole {
		return nil, fmt.Errorf("the last line of output is longer than %d bytes", len(out))
	}
	if len(line) == 0 {
		return nil, errors.New("no output; want a JSON object of metrics, such as {\"value\": 1.5}, on the last line")
	}
	if _, step, _ := parseStepLine(line); step {
		return nil, errors.New("the last line of output is a step report; print the final metrics, such as {\"value\": 1.5}, after the last step")
	}
	m, err := decodeMetricsLine(line)
	if err != nil {
		return nil, fmt.Errorf("last line of output %q is not a JSON object of metrics: %w", clipText(string(line), 80), err)
	}
	return m, nil
}

// lastOutputLine returns the last non-blank line of out, trimmed, and
// whether it is whole: in a truncated tail, a line with no newline before
// it may have lost its start.
func lastOutputLine(out []byte, truncated bool) (line []byte, whole bool) {
	end := len(bytes.TrimRight(out, " \t\r\n"))
	if end == 0 {
		return nil, !truncated
	}
	start := bytes.LastIndexByte(out[:end], '\n') + 1
	if start == 0 && truncated {
		return nil, false
	}
	return bytes.TrimSpace(out[start:end]), true
}

// decodeMetricsLine decodes one JSON object of finite numbers.
func decodeMetricsLine(line []byte) (Metrics, error) {
	if !utf8.Valid(line) {
		return nil, errors.New("it is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("want an object")
	}
	m := Metrics{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, errors.New("want an object")
		}
		name := tok.(string) // in an object, the decoder hands out names as strings
		switch {
		case name == "":
			return nil, errors.New("a metric has an empty name")
		case strings.ContainsRune(name, utf8.RuneError):
			// The decoder puts U+FFFD for an escape that is not a
			// character (a lone surrogate, \ud800).
			return nil, fmt.Errorf("metric name %q is not valid UTF-8", name)
		}
		if _, dup := m[name]; dup {
			return nil, fmt.Errorf("metric %q is given twice", name)
		}
		val, err := dec.Token()
		if err != nil {
			return nil, errors.New("want an object")
		}
		num, ok := val.(json.Number)
		if !ok {
			if d, isDelim := val.(json.Delim); isDelim && (d == '[' || d == '{') {
				return nil, fmt.Errorf("metric %q is not a number", name)
			}
			return nil, fmt.Errorf("metric %q is %s, want a number", name, jsonKind(val))
		}
		f, err := strconv.ParseFloat(string(num), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("metric %q is %s, not a finite number", name, clipText(string(num), 40))
		}
		m[name] = f
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, errors.New("want an object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("text after the object")
	}
	return m, nil
}

// jsonKind names the kind of a JSON token for an error message.
func jsonKind(tok json.Token) string {
	switch v := tok.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case string:
		return "a string"
	}
	return "not a number"
}

// stderrReason returns the last few non-blank lines of a command's
// standard error, each trimmed and clipped, joined with " | " on one
// line: the reason given for a failed trial. A first line that may have
// lost its start to truncation begins with "…".
func stderrReason(tail []byte, truncated bool) string {
	text := strings.ToValidUTF8(string(tail), "\uFFFD")
	lines := strings.Split(text, "\n")
	var keep []string
	for i := len(lines) - 1; i >= 0 && len(keep) < reasonLines; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			continue
		}
		if i == 0 && truncated {
			l = "…" + l
		}
		keep = append(keep, clipText(l, reasonLineMax))
	}
	for i, j := 0, len(keep)-1; i < j; i, j = i+1, j-1 {
		keep[i], keep[j] = keep[j], keep[i]
	}
	return strings.Join(keep, " | ")
}

// clipText cuts s to at most n bytes, on a character boundary, marking a
// cut with "…".
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
