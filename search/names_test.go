package search

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestCheckStudyName(t *testing.T) {
	tests := []struct {
		name, study string
		ok          bool
	}{
		{"plain", "branin-tpe", true},
		{"nested", "outer/trial-3/inner", true},
		{"space inside", "my study", true},
		{"unicode", "étude/日本語", true},
		{"longest", strings.Repeat("a", MaxStudyNameBytes), true},
		{"empty", "", false},
		{"too long", strings.Repeat("a", MaxStudyNameBytes+1), false},
		{"NUL", "a\x00", false},
		{"tab", "a\tb", false},
		{"escape", "\x1b[31m", false},
		{"DEL", "a\x7f", false},
		{"C1 control", "a\u0085b", false},
		{"bidi override", "a\u202eb", false},
		{"no-break space", "a\u00a0b", false},
		{"invalid UTF-8", "a\xc3", false},
		{"trailing space", "a ", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckStudyName(tt.study)
			if (err == nil) != tt.ok || err != nil && !errors.Is(err, ErrInvalidName) {
				t.Errorf("CheckStudyName(%q) = %v, want ok %v", tt.study, err, tt.ok)
			}
			if err != nil && strings.ContainsAny(err.Error(), "\x00\x1b\n\t") {
				t.Errorf("the error carries the raw bytes: %q", err.Error())
			}
		})
	}
}

func TestCheckMetrics(t *testing.T) {
	tests := []struct {
		name string
		m    Metrics
		ok   bool
	}{
		{"nil", nil, true},
		{"plain", Metrics{"loss": 0.5, "val accuracy": 1}, true},
		{"unicode name", Metrics{"σ": 1}, true},
		{"NaN", Metrics{"loss": math.NaN()}, false},
		{"+Inf", Metrics{"loss": math.Inf(1)}, false},
		{"empty name", Metrics{"": 1}, false},
		{"invalid UTF-8 name", Metrics{"l\xffss": 1}, false},
		{"control character in a name", Metrics{"loss\n": 1}, false},
		{"long name", Metrics{strings.Repeat("m", MaxMetricNameBytes+1): 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckMetrics(tt.m)
			if (err == nil) != tt.ok || err != nil && !errors.Is(err, ErrBadMetrics) {
				t.Errorf("CheckMetrics(%v) = %v, want ok %v", tt.m, err, tt.ok)
			}
		})
	}
}

func TestMetricsJSON(t *testing.T) {
	tests := []struct {
		name, in string
		want     Metrics // nil with wantErr
		wantErr  bool
	}{
		{"numbers", `{"loss": 0.5, "acc": 1}`, Metrics{"loss": 0.5, "acc": 1}, false},
		{"a key named null", `{"null": 2}`, Metrics{"null": 2}, false},
		{"null value", `{"value": null}`, nil, true},
		{"null among numbers", `{"a": 1, "value": null}`, nil, true},
		{"string value", `{"value": "1"}`, nil, true},
		{"too large", `{"value": 1e400}`, nil, true},
		{"not an object", `[1]`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Metrics
			err := json.Unmarshal([]byte(tt.in), &m)
			if tt.wantErr {
				if err == nil {
					t.Errorf("Unmarshal(%s) = %v, want an error", tt.in, m)
				}
				return
			}
			if err != nil || len(m) != len(tt.want) {
				t.Fatalf("Unmarshal(%s) = %v, %v; want %v", tt.in, m, err, tt.want)
			}
			for k, v := range tt.want {
				if m[k] != v {
					t.Errorf("Unmarshal(%s)[%q] = %v, want %v", tt.in, k, m[k], v)
				}
			}
		})
	}
	var m Metrics
	if err := json.Unmarshal([]byte(`{"value": null}`), &m); !errors.Is(err, ErrBadMetrics) {
		t.Errorf("null value: %v, want ErrBadMetrics", err)
	}
	var s []Step
	if err := json.Unmarshal([]byte(`[{"step": 1, "metrics": {"loss": null}}]`), &s); !errors.Is(err, ErrBadMetrics) {
		t.Errorf("null in a step's metrics: %v, want ErrBadMetrics", err)
	}
}

func TestStorableText(t *testing.T) {
	for in, want := range map[string]string{
		"plain":         "plain",
		"a\x00b":        "ab",
		"bad \xff byte": "bad \uFFFD byte",
		"\x1b[31mred":   "\x1b[31mred", // kept: the CLI escapes it when printing
	} {
		if got := storableText(in); got != want {
			t.Errorf("storableText(%q) = %q, want %q", in, got, want)
		}
	}
}
