package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// bitnetPareto is the NSGA-II config of the BitNet experiment's search.
var bitnetPareto = filepath.Join("..", "..", "experiments", "configs", "bitnet-pareto.yaml")

// The config loads: its space has the decisions of width × depth,
// quantizer and learning rate, and its study (two objectives, NSGA-II)
// can be created. It is not run here (40 trials of 2 epochs).
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
