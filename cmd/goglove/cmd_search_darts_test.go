package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSearchDarts runs a darts study from the command line: the supernet
// phase prints its epochs to stderr and checkpoints, the derived
// programs are trials; run again, the phase resumes from its checkpoint
// and the finished study is not run again. The space is
// experiments/configs/darts-search.yaml's on the synthetic data.
func TestSearchDarts(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "experiments", "configs", "darts-search.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ck := filepath.Join(dir, "supernet.json")
	cfg := strings.NewReplacer(
		"{_type: trainer.FashionMNIST, validation: 5000}", "{_type: trainer.Synthetic, train: 1000, validation: 300, test: 300, features: 16, classes: 10}",
		"steps_per_epoch: 100", "steps_per_epoch: 5",
		"epochs: 6", "epochs: 2",
		"checkpoint: darts-search.supernet.json", fmt.Sprintf("checkpoint: %q", ck),
		"plot: darts-search.logits.png", fmt.Sprintf("plot: %q", filepath.Join(dir, "logits.png")),
	).Replace(string(src))
	file := filepath.Join(dir, "darts.yaml")
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	// A worker joining a study created with --create runs the phase too.
	created := "sqlite://" + filepath.Join(dir, "w.db")
	if code, _, stderr := runCLI(t, t.Context(), "search", file, "--store", created, "--create"); code != 0 {
		t.Fatalf("--create: exit code %d, stderr %q", code, stderr)
	}
	code, _, stderr := runCLI(t, t.Context(), "worker", "--store", created, "--study", "darts-search")
	if code != 0 || !strings.Contains(stderr, "goglove: note: darts: epoch 2/2: ") {
		t.Fatalf("worker: exit code %d, stderr %q", code, stderr)
	}
	if err := os.Remove(ck); err != nil {
		t.Fatal(err)
	}
	store := "sqlite://" + filepath.Join(dir, "s.db")
	code, stdout, stderr := runCLI(t, t.Context(), "search", file, "--store", store, "--json")
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stderr, "goglove: note: darts: epoch 1/2: train loss ") || !strings.Contains(stderr, "goglove: note: darts: epoch 2/2: ") {
		t.Fatalf("stderr %q: want the supernet's epochs", stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "logits.png")); err != nil {
		t.Fatalf("no plot of the logits: %v", err)
	}
	if out := decodeSearchJSON(t, stdout, false); out.Completed != 3 || out.Best == nil {
		t.Fatalf("%d completed, best %v; want the 3 derived programs", out.Completed, out.Best)
	}
	code, _, stderr = runCLI(t, t.Context(), "search", file, "--store", store, "--json")
	if code != 0 || !strings.Contains(stderr, "goglove: note: darts: resumed from "+ck+" after epoch 2") || strings.Contains(stderr, "epoch 1/2") {
		t.Fatalf("second run: exit code %d, stderr %q", code, stderr)
	}
}
