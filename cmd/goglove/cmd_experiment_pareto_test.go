package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// bitnetPareto is the NSGA-II config of the BitNet experiment's search.
var bitnetPareto = filepath.Join("..", "..", "experiments", "configs", "bitnet-pareto.yaml")

// The config loads: its space has the decisions of width × depth,
// quantizer and learning rate, and its study (two objectives, NSGA-II)
// can be created. Its full budget (40 trials of 2 epochs) is not run
// here; TestBitNetParetoRun runs two trials.
func TestBitNetParetoConfig(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), "space", "inspect", bitnetPareto)
	want := "space.model.hidden: oneof of 7\nspace.model.quant: oneof of 4\nspace.optimizer.lr: float in [0.0003, 0.01] log\nsize: continuous\n"
	if code != 0 || stderr != "" || stdout != want {
		t.Errorf("space inspect: code %d, stderr %q, stdout:\n%s\nwant:\n%s", code, stderr, stdout, want)
	}
	code, stdout, stderr = runCLI(t, t.Context(), "search", bitnetPareto, "--store", "mem://", "--create")
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "study bitnet-pareto is ready") {
		t.Errorf("search --create: code %d, stderr %q, stdout %q", code, stderr, stdout)
	}
	code, stdout, stderr = runCLI(t, t.Context(), "space", "sample", bitnetPareto, "--n", "3", "--seed", "1")
	if code != 0 || stderr != "" || strings.Count(stdout, "_type: trainer.Classifier") != 3 || !strings.Contains(stdout, "quant:") {
		t.Errorf("space sample: code %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
}

// Two trials of the config (the budget overridden) complete and give a
// Pareto front of val_accuracy against size_bits.
func TestBitNetParetoRun(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two Fashion-MNIST models; skipped in -short mode")
	}
	needFashion(t)
	code, stdout, stderr := runCLI(t, t.Context(), "search", bitnetPareto, "--store", "mem://", "--trials", "2", "--json")
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	var out struct {
		Completed int `json:"completed"`
		Pareto    []struct {
			Metrics map[string]float64 `json:"metrics"`
		} `json:"pareto"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	if out.Completed != 2 || len(out.Pareto) == 0 {
		t.Fatalf("%d completed, front of %d; want 2 and at least one:\n%s", out.Completed, len(out.Pareto), stdout)
	}
	for _, p := range out.Pareto {
		if !(p.Metrics["val_accuracy"] > 0.5) || !(p.Metrics["size_bits"] > 0) {
			t.Errorf("front member %v", p.Metrics)
		}
	}
}
