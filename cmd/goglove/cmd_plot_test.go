package main

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/plots"
)

// TestPlot draws every kind of the view study to SVG (and one to PNG) and
// checks that each file is a valid image.
func TestPlot(t *testing.T) {
	store, dir := viewStudy(t)
	for _, kind := range plots.Kinds {
		t.Run(kind, func(t *testing.T) {
			out := filepath.Join(dir, kind+".svg")
			code, stdout, stderr := runCLI(t, t.Context(), "plot", "--store", store, "--study", "view", "--kind", kind, "--out", out)
			if code != 0 || !strings.Contains(stdout, "wrote "+kind) {
				t.Fatalf("plot: exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var root struct{ XMLName xml.Name }
			if err := xml.Unmarshal(data, &root); err != nil || root.XMLName.Local != "svg" {
				t.Fatalf("%s: not an SVG document (root %q): %v", out, root.XMLName.Local, err)
			}
		})
	}
	out := filepath.Join(dir, "h.png")
	if code, _, stderr := runCLI(t, t.Context(), "plot", "--store", store, "--study", "view", "--kind", "history", "--out", out); code != 0 {
		t.Fatalf("plot png: exit %d, stderr %q", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		t.Fatalf("%s: not a PNG: %v", out, err)
	}
}

// TestPlotBadInput: missing or wrong flags are one line, exit 2.
func TestPlotBadInput(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "one.yaml", "study: one\nobjective: {builtin: branin}\nbudget: {trials: 3}\n")
	store := "sqlite://" + filepath.Join(dir, "s.db")
	if code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", store); code != 0 {
		t.Fatalf("search: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	svg := filepath.Join(dir, "p.svg")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no kind", []string{"--study", "one", "--out", svg}, "missing --kind"},
		{"unknown kind", []string{"--study", "one", "--kind", "pie", "--out", svg}, `--kind "pie": unknown kind`},
		{"no out", []string{"--study", "one", "--kind", "history"}, "missing --out"},
		{"pdf", []string{"--study", "one", "--kind", "history", "--out", filepath.Join(dir, "p.pdf")}, "must end in .svg or .png"},
		{"pareto of one objective", []string{"--study", "one", "--kind", "pareto", "--out", svg}, "the plot needs two"},
		{"unknown study", []string{"--study", "nope", "--kind", "history", "--out", svg}, "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"plot", "--store", store}, tt.args...)
			code, _, stderr := runCLI(t, t.Context(), args...)
			if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tt.want) {
				t.Errorf("plot %v: exit %d, stderr %q; want 2 and one line with %q", tt.args, code, stderr, tt.want)
			}
		})
	}
}
