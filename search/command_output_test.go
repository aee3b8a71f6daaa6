package search

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseCommandOutput(t *testing.T) {
	tests := []struct {
		name      string
		out       string
		truncated bool
		want      Metrics
		err       string
	}{
		{"last line", "epoch 1\nepoch 2\n{\"value\": 1.5, \"p\": -2e3}\n", false, Metrics{"value": 1.5, "p": -2000}, ""},
		{"blank lines after", "{\"value\": 1}\n\n  \n", false, Metrics{"value": 1}, ""},
		{"no newline at the end", "x\n{\"value\": 0}", false, Metrics{"value": 0}, ""},
		{"an empty object", "{}\n", false, Metrics{}, ""},
		{"truncated, line whole", "…tail\n{\"value\": 2}\n", true, Metrics{"value": 2}, ""},
		{"truncated, line cut", "\"value\": 2}\n", true, nil, "the last line of output is longer than"},
		{"no output", "", false, nil, "no output"},
		{"only blanks", "\n \n", false, nil, "no output"},
		{"not json", "value=1.5\n", false, nil, `last line of output "value=1.5" is not a JSON object of metrics: want an object`},
		{"an array", "[1]\n", false, nil, "want an object"},
		{"null", "{\"value\": null}\n", false, nil, `metric "value" is null, want a number`},
		{"a string", "{\"value\": \"high\"}\n", false, nil, `metric "value" is a string, want a number`},
		{"a bool", "{\"value\": true}\n", false, nil, `metric "value" is true, want a number`},
		{"nested", "{\"value\": {\"a\": 1}}\n", false, nil, `metric "value" is not a number`},
		{"a list", "{\"value\": [1]}\n", false, nil, `metric "value" is not a number`},
		{"overflows", "{\"value\": 1e999}\n", false, nil, `metric "value" is 1e999, not a finite number`},
		{"negative overflow", "{\"value\": -1e400}\n", false, nil, "not a finite number"},
		{"invalid UTF-8 name", "{\"\xff\": 1}\n", false, nil, "not valid UTF-8"},
		{"lone surrogate name", "{\"\\ud800\": 1}\n", false, nil, "is not valid UTF-8"},
		{"empty name", "{\"\": 1}\n", false, nil, "empty name"},
		{"duplicate", "{\"value\": 1, \"value\": 2}\n", false, nil, `metric "value" is given twice`},
		{"text after", "{\"value\": 1} {\"value\": 2}\n", false, nil, "text after the object"},
		{"unterminated", "{\"value\": 1\n", false, nil, "want an object"},
		{"trailing comma", "{\"value\": 1,}\n", false, nil, "want an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := parseCommandOutput([]byte(tt.out), tt.truncated)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want one containing %q (metrics %v)", err, tt.err, m)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(m) != len(tt.want) {
				t.Fatalf("metrics %v, want %v", m, tt.want)
			}
			for k, v := range tt.want {
				if got, ok := m[k]; !ok || got != v {
					t.Fatalf("metrics %v, want %v", m, tt.want)
				}
			}
		})
	}
}

func TestTailBuffer(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
		trunc  bool
	}{
		{"fits", []string{"ab", "cd"}, "abcd", false},
		{"exactly", []string{"abcdefgh"}, "abcdefgh", false},
		{"one large write", []string{"0123456789abc"}, "56789abc", true},
		{"many small writes", []string{"012", "345", "678", "9ab", "cde"}, "789abcde", true},
		{"small after large", []string{"0123456789", "xy"}, "456789xy", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newTailBuffer(8)
			var all string
			for _, w := range tt.writes {
				if n, err := b.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
				all += w
				if len(b.buf) > 2*b.max {
					t.Fatalf("keeps %d bytes, more than twice the tail", len(b.buf))
				}
			}
			if got := string(b.Bytes()); got != tt.want || b.Truncated() != tt.trunc || b.total != int64(len(all)) {
				t.Fatalf("tail %q truncated %v total %d; want %q %v %d", got, b.Truncated(), b.total, tt.want, tt.trunc, len(all))
			}
		})
	}
}

func TestStderrReason(t *testing.T) {
	var many []string
	for i := range 10 {
		many = append(many, "line "+string(rune('0'+i)))
	}
	long := strings.Repeat("é", 300)
	tests := []struct {
		name, tail string
		truncated  bool
		want       string
	}{
		{"none", "", false, ""},
		{"one", "CUDA out of memory\n", false, "CUDA out of memory"},
		{"the last five", strings.Join(many, "\n") + "\n", false, "line 5 | line 6 | line 7 | line 8 | line 9"},
		{"blank lines skipped", "a\n\n  \nb\r\n\n", false, "a | b"},
		{"clipped on a character", long + "\n", false, long[:reasonLineMax] + "…"},
		{"truncated start", "ror: x\nlast\n", true, "…ror: x | last"},
		{"invalid UTF-8", "bad \xff byte\n", false, "bad \uFFFD byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := stderrReason([]byte(tt.tail), tt.truncated)
			if got != tt.want {
				t.Fatalf("reason %q, want %q", got, tt.want)
			}
			if strings.Contains(got, "\n") || !utf8.ValidString(got) {
				t.Fatalf("reason %q is not one line of UTF-8", got)
			}
		})
	}
}

// FuzzCommandOutput: whatever a command prints, parsing its output never
// panics, and metrics it accepts are finite numbers under valid,
// distinct names that print back as the same metrics; so are the step
// reports it reads (see checkStepLines).
func FuzzCommandOutput(f *testing.F) {
	for _, s := range []string{
		"{\"value\": 1.5}\n",
		"log\n{\"value\": 1, \"loss\": -0.25e-3}\n\n",
		"{\"value\": null}",
		"{\"value\": 1e999}",
		"{\"\\ud800\": 1}",
		"{\"a\": 1, \"a\": 2}",
		"{\"a\": [1, {\"b\": 2}]}",
		"{\"a\": 1}}",
		"\xff{}",
		"{\"step\": 1, \"metrics\": {\"value\": 2}}\n{\"value\": 1}\n",
		"{\"step\": 1, \"metrics\": {\"value\": 2}}\n",
		"{\"step\": 1.5, \"metrics\": {\"value\": 1e999}, \"x\": 1}\n",
		"{\"metrics\": {}}",
	} {
		f.Add([]byte(s), false)
	}
	f.Add([]byte("\": 1}\n"), true)
	f.Fuzz(func(t *testing.T, out []byte, truncated bool) {
		checkStepLines(t, out, truncated)
		m, err := parseCommandOutput(out, truncated)
		if err != nil {
			if m != nil {
				t.Fatalf("metrics %v with error %v", m, err)
			}
			if msg := err.Error(); strings.Contains(msg, "\n") || !utf8.ValidString(msg) {
				t.Fatalf("error %q is not one line of UTF-8", msg)
			}
			return
		}
		for k, v := range m {
			if k == "" || !utf8.ValidString(k) || strings.ContainsRune(k, utf8.RuneError) {
				t.Fatalf("accepted name %q", k)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("accepted value %v for %q", v, k)
			}
		}
		line, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		again, err := parseCommandOutput(append(bytes.Clone(line), '\n'), false)
		if err != nil {
			t.Fatalf("metrics %v printed as %s do not parse: %v", m, line, err)
		}
		if len(again) != len(m) {
			t.Fatalf("round trip: %v, then %v", m, again)
		}
		for k, v := range m {
			if w, ok := again[k]; !ok || w != v {
				t.Fatalf("round trip: %v, then %v", m, again)
			}
		}
	})
}
