package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// classifyConfig is a search over programs that goglove train takes,
// each training in a fraction of a second.
const classifyConfig = `study: cls
space:
  _type: trainer.Classifier
  data: {_type: trainer.Synthetic, train: 1000, validation: 200, test: 200, features: 8, classes: 3}
  model: {_type: trainer.MLP, hidden: !oneof [[8], [16]], activation: relu}
  optimizer: {_type: trainer.AdamW, lr: 0.01}
  epochs: 2
  batch: 50
  seed: 1
objective: {builtin: trainer.classify}
budget: {trials: 2}
`

// TestBestProgram: best --program prints the best program alone, which
// goglove train trains as it is.
func TestBestProgram(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "cls.yaml", classifyConfig)
	db := "sqlite://" + filepath.Join(dir, "s.db")
	if code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", db); code != 0 {
		t.Fatalf("search: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, program, stderr := runCLI(t, t.Context(), "best", "--store", db, "--study", "cls", "--program")
	if code != 0 || stderr != "" || !strings.HasPrefix(program, "_type: trainer.Classifier\n") {
		t.Fatalf("best --program: exit %d, stdout %q, stderr %q", code, program, stderr)
	}
	file := writeTestFile(t, dir, "best.yaml", program)
	// run, not runCLI: train prints a line per epoch on stderr.
	var trainOut, trainErr bytes.Buffer
	code = run(t.Context(), []string{"train", file, "--json"}, &trainOut, &trainErr)
	var out struct{ Metrics map[string]float64 }
	if code != 0 || json.Unmarshal(trainOut.Bytes(), &out) != nil || out.Metrics["epochs"] != 2 {
		t.Fatalf("train of best --program's output: exit %d, stdout %q, stderr %q", code, trainOut.String(), trainErr.String())
	}
	code, stdout, stderr := runCLI(t, t.Context(), "best", "--store", db, "--study", "cls", "--program", "--json")
	var p map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &p) != nil || p["_type"] != "trainer.Classifier" {
		t.Errorf("best --program --json: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// The text form prints the integral metrics as integers.
	code, stdout, _ = runCLI(t, t.Context(), "best", "--store", db, "--study", "cls")
	if m := regexp.MustCompile(`size_bits: (\S+?)[,}]`).FindStringSubmatch(stdout); code != 0 || m == nil || !regexp.MustCompile(`^[0-9]+$`).MatchString(m[1]) {
		t.Errorf("best: exit %d, size_bits %v in %q; want an integer", code, m, stdout)
	}
}

// TestBestProgramNone: a study with no completed trial has no program:
// one line, exit 1.
func TestBestProgramNone(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "f.yaml", "study: f\nspace: {a: !oneof [1, 2]}\nobjective: {command: [sh, -c, \"exit 3\"], metrics: {v: minimize}, timeout: 10s}\nbudget: {trials: 1}\n")
	db := "sqlite://" + filepath.Join(dir, "s.db")
	if code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", db); code != 1 {
		t.Fatalf("search: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr := runCLI(t, t.Context(), "best", "--store", db, "--study", "f", "--program")
	if code != 1 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "study f has no completed trial") {
		t.Errorf("best --program: exit %d, stdout %q, stderr %q; want 1 and one line", code, stdout, stderr)
	}
}
