package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

func TestFormatMetric(t *testing.T) {
	tests := []struct {
		v      float64
		digits int
		want   string
	}{
		{10723650, 7, "10723650"},
		{10723650, -1, "10723650"},
		{123456789012, 7, "123456789012"},
		{-3, 7, "-3"},
		{0, 7, "0"},
		{0.39788735772973816, 7, "0.3978874"},
		{0.39788735772973816, 6, "0.397887"},
		{0.39788735772973816, -1, "0.39788735772973816"},
		{12345678.9, -1, "12345678.9"},
		{12345678.9, 7, "12345680"},
		{1500.25, 7, "1500.25"},
		{1.2e-06, 7, "1.2e-06"},
		{-2.5e-05, -1, "-2.5e-05"},
		{1e20, 7, "1e+20"},
		{math.Inf(1), 7, "+Inf"},
	}
	for _, tt := range tests {
		if got := formatMetric(tt.v, tt.digits); got != tt.want {
			t.Errorf("formatMetric(%v, %d) = %q, want %q", tt.v, tt.digits, got, tt.want)
		}
	}
}

// TestLargeMetricsText: the text of best and trials prints integral
// metrics as integers; JSON keeps the numbers.
func TestLargeMetricsText(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "m.yaml", "study: m\nspace: {a: !oneof [1, 2]}\nobjective: {metrics: {loss: minimize}}\n")
	db := "sqlite://" + filepath.Join(dir, "s.db")
	if code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", db, "--create"); code != 0 {
		t.Fatalf("search --create: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, stdout, stderr := runCLI(t, t.Context(), "ask", "--store", db, "--study", "m"); code != 0 {
		t.Fatalf("ask: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, stdout, stderr := runCLI(t, t.Context(), "tell", "--store", db, "--study", "m", "--trial", "0",
		"--metrics", `{"loss": 0.123456789, "size_bits": 10723650, "params": 335114}`); code != 0 {
		t.Fatalf("tell: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"best", []string{"best", "--store", db, "--study", "m"}, "metrics: {loss: 0.1234568, params: 335114, size_bits: 10723650}\n"},
		{"trials", []string{"trials", "--store", db, "--study", "m"}, "{loss: 0.1234568, params: 335114, size_bits: 10723650}"},
		{"trials --csv", []string{"trials", "--store", db, "--study", "m", "--csv"}, ",0.123456789,335114,10723650\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), tc.args...)
			if code != 0 || !strings.Contains(stdout, tc.want) || strings.Contains(stdout, "e+0") {
				t.Errorf("exit %d, stdout %q, stderr %q; want %q in it", code, stdout, stderr, tc.want)
			}
		})
	}
	code, stdout, _ := runCLI(t, t.Context(), "best", "--store", db, "--study", "m", "--json")
	var out bestJSON
	if code != 0 || json.Unmarshal([]byte(stdout), &out) != nil || out.Best == nil || out.Best.Metrics["size_bits"] != 10723650 {
		t.Errorf("best --json: exit %d, %q", code, stdout)
	}
}
