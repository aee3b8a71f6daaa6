package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExperimentNASHelp(t *testing.T) {
	code, stdout, _ := runCLI(t, t.Context(), "experiment", "nas", "--help")
	for _, want := range []string{"48 programs", "a tenth of the exhaustive", "darts2", "gdas", "--quick", "--json", "--out", "regret.svg", "darts-logits.svg", `"exhaustive_seconds"`, `"percentile"`} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("experiment nas --help (code %d) does not mention %q", code, want)
		}
	}
	code, _, stderr := runCLI(t, t.Context(), "experiment", "nas", "extra")
	if want := `goglove: experiment nas: unexpected argument "extra"; usage: ` + nasUsage + "\n"; code != 2 || stderr != want {
		t.Errorf("code %d, stderr %q; want 2, %q", code, stderr, want)
	}
}

// The quick mode prints a JSON line per method and seed with the issue's
// keys and a summary line last, and writes the files and plots.
func TestExperimentNASQuick(t *testing.T) {
	out := filepath.Join(t.TempDir(), "new", "dir")
	code, stdout, stderr := runCLI(t, t.Context(), "experiment", "nas", "--quick", "--json", "--out", out)
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 9*3+1 {
		t.Fatalf("%d lines, want 28:\n%s", len(lines), stdout)
	}
	methods := map[string]int{}
	for _, l := range lines[:len(lines)-1] {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"method", "seed", "percentile", "test_accuracy", "seconds"} {
			if _, ok := m[k]; !ok {
				t.Fatalf("line %s lacks %q", l, k)
			}
		}
		if p := m["percentile"].(float64); p < 0 || p > 100 {
			t.Fatalf("percentile %v", p)
		}
		methods[m["method"].(string)]++
	}
	for _, m := range []string{"random", "evolution", "tpe", "reinforce", "darts", "darts2", "gdas", "enas", "spos"} {
		if methods[m] != 3 {
			t.Errorf("method %s: %d lines, want 3", m, methods[m])
		}
	}
	var last map[string]float64
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil || last["programs"] != 48 || !(last["exhaustive_seconds"] > 0) || !(last["best_test_accuracy"] > 0) {
		t.Fatalf("last line %s (%v)", lines[len(lines)-1], err)
	}
	for _, f := range []string{"runs.jsonl", "truth.json", "summary.txt", "regret.svg", "darts-logits.svg"} {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil || len(b) == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	summary, _ := os.ReadFile(filepath.Join(out, "summary.txt"))
	if !strings.Contains(string(summary), "Does darts return a program in the top 10%") {
		t.Errorf("summary:\n%s", summary)
	}
}
