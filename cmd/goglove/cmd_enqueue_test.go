package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// TestEnqueue: goglove enqueue adds a program to a study as a waiting
// trial; the search evaluates it first, and best reports it when it is
// the best. A program the space cannot produce is bad input naming the
// file and key path, and nothing is enqueued.
func TestEnqueue(t *testing.T) {
	db := brStudy(t, "6") // branin, TPE, 6 trials
	dir := t.TempDir()
	good := writeConfig(t, dir, "good.yaml", "x: [3.141592653589793, 2.275]\n") // a minimizer
	outside := writeConfig(t, dir, "outside.yaml", "x: [3.14, 99]\n")
	wrongKey := writeConfig(t, dir, "wrong.yaml", "y: [1, 2]\n")

	t.Run("errors", func(t *testing.T) {
		tests := []struct {
			name string
			args []string
			code int
			want string
		}{
			{"out of bounds", []string{"--store", db, "--study", "br", outside}, 2, "outside.yaml: x[1]"},
			{"no such key", []string{"--store", db, "--study", "br", wrongKey}, 2, "wrong.yaml"},
			{"no program", []string{"--store", db, "--study", "br"}, 2, "missing PROGRAM.yaml"},
			{"no study flag", []string{"--store", db, good}, 2, "missing --study"},
			{"unknown study", []string{"--store", db, "--study", "nope", good}, 2, "nope"},
			{"missing file", []string{"--store", db, "--study", "br", filepath.Join(dir, "none.yaml")}, 2, "none.yaml"},
			{"one bad of two: none enqueued", []string{"--store", db, "--study", "br", good, outside}, 2, "outside.yaml"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				code, stdout, stderr := runCLI(t, t.Context(), append([]string{"enqueue"}, tt.args...)...)
				if code != tt.code || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
					t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d, one line naming %q", code, stdout, stderr, tt.code, tt.want)
				}
			})
		}
		if n := studyTrialCount(t, db, "br"); n != 0 {
			t.Fatalf("%d trials after the refused enqueues, want 0", n)
		}
	})

	code, stdout, stderr := runCLI(t, t.Context(), "enqueue", "--store", db, "--study", "br", good)
	if code != 0 || stdout != "trial 0 of study br: waiting, dna [3.141592653589793, 2.275]\n" {
		t.Fatalf("enqueue: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, t.Context(), "trials", "--store", db, "--study", "br", "--state", "waiting")
	if code != 0 || !strings.Contains(stdout, "waiting") {
		t.Fatalf("trials --state waiting: exit %d, %q", code, stdout)
	}
	code, stdout, _ = runCLI(t, t.Context(), "studies", "--store", db)
	if code != 0 || !strings.Contains(stdout, "1 trial: 1 waiting") {
		t.Fatalf("studies: exit %d, %q; want 1 waiting", code, stdout)
	}
	code, stdout, stderr = runCLI(t, t.Context(), "worker", "--store", db, "--study", "br")
	if code != 0 {
		t.Fatalf("worker: exit %d, %q, %q", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, t.Context(), "best", "--store", db, "--study", "br", "--json")
	if code != 0 {
		t.Fatalf("best: exit %d, %q", code, stderr)
	}
	var out bestJSON
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || out.Best == nil {
		t.Fatalf("best --json printed %q: %v", stdout, err)
	}
	if b := out.Best; b.Number != 0 || b.DNAText != "[3.141592653589793, 2.275]" || math.Abs(b.Metrics["value"]-5/(4*math.Pi)) > 1e-9 {
		t.Errorf("best %+v, want the enqueued minimizer, trial 0", b)
	}
	if n := studyTrialCount(t, db, "br"); n != 6 {
		t.Errorf("%d trials, want 6 (the enqueued one within the budget)", n)
	}
}

// TestSearchDedup: goglove search with algorithm {name: tpe, dedup: true}
// over a space of 72 programs tries each once and stops, the algorithm
// done, after exactly 72 trials, though its budget allows 100.
func TestSearchDedup(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "dedup.yaml", `study: dedup
objective: {builtin: branin}
space:
  x: [!oneof [-5.0, -3.0, -1.0, 1.0, 3.0, 5.0, 7.0, 9.0], !oneof [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 15.0]]
algorithm: {name: tpe, dedup: true}
budget: {trials: 100}
`)
	code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", "mem://", "--json")
	if code != 0 {
		t.Fatalf("search: exit %d, stderr %q", code, stderr)
	}
	out := decodeSearchJSON(t, stdout, false)
	if out.Completed != 72 || out.StopReason != "the algorithm has nothing more to propose" {
		t.Errorf("search: %d completed, stopped: %s; want 72, the algorithm done", out.Completed, out.StopReason)
	}
}
