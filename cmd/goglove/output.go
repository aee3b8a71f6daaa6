package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// writeJSON writes v as indented JSON and a newline: the form of every
// verb's --json output that is one object. Like every JSON the CLI
// prints, it goes through escapeJSON.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(escapeJSON(b), '\n'))
	return err
}

// writeJSONLine writes v as one line of compact JSON: the form of the
// verbs that print one object per line (trials, studies).
func writeJSONLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(escapeJSON(b), '\n'))
	return err
}

// escapeJSON escapes, in JSON that encoding/json wrote, the characters it
// leaves raw but a terminal may act on: DEL, the C1 controls (U+0080 to
// U+009F; U+009B starts an escape sequence) and the bidirectional
// controls. encoding/json already escapes the C0 controls, U+2028 and
// U+2029. Outside strings JSON is ASCII, so every such character is in a
// string, where \uXXXX means the same character.
func escapeJSON(b []byte) []byte {
	clean := true
	for _, c := range b {
		if c >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == 0x7f || r >= 0x80 && r < 0xa0 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}

// terminalText returns s safe to print on a terminal: control characters
// (C0, DEL and C1, which start escape sequences), the bidirectional
// controls that reorder what is shown, and bytes that are not UTF-8 are
// written as Go escapes (\x1b, \u202e). Stored text (failure reasons
// from a command's standard error, worker and metric names) goes through
// it before the text outputs print it; JSON output is escaped by
// encoding/json.
func terminalText(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r < 0xa0, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// formatMetric formats a metric or other figure for text output, the one
// place every verb's text formats them: an integral value (params,
// size_bits, steps) in full, 10723650 rather than 1.072365e+07; others
// with digits significant digits (-1: as many as tell the value apart),
// without an exponent from 1e-4 to 1e15; beyond, with one (1.2e-06).
// JSON output keeps the numbers as they are.
func formatMetric(v float64, digits int) string {
	a := math.Abs(v)
	switch {
	case v == math.Trunc(v) && a < 1e15:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 1e-4 && a < 1e15:
		if digits > 0 {
			v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', digits, 64), 64)
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', digits, 64)
}
