package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// loraSearch is the NSGA-II config over fine-tuning methods.
var loraSearch = filepath.Join("..", "..", "experiments", "configs", "lora-search.yaml")

// The config loads: its space has the method (full or LoRA, with LoRA's
// rank, α, rsLoRA and targets) and the learning rate, and its study (two
// objectives, NSGA-II) can be created; its samples are FineTunes.
func TestLoRASearchConfig(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), "space", "inspect", loraSearch)
	want := `space.method: oneof of 2
  space.method[0].targets: oneof of 3
  space.method[1].rank: oneof of 6
  space.method[1].alpha: oneof of 4
  space.method[1].rslora: oneof of 2
  space.method[1].targets: oneof of 3
space.optimizer.lr: float in [3e-05, 0.003] log
size: continuous
`
	if code != 0 || stderr != "" || stdout != want {
		t.Errorf("space inspect: code %d, stderr %q, stdout:\n%s\nwant:\n%s", code, stderr, stdout, want)
	}
	code, stdout, stderr = runCLI(t, t.Context(), "search", loraSearch, "--store", "mem://", "--create")
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "study lora-search is ready") {
		t.Errorf("search --create: code %d, stderr %q, stdout %q", code, stderr, stdout)
	}
	code, stdout, stderr = runCLI(t, t.Context(), "space", "sample", loraSearch, "--n", "4", "--seed", "1")
	if code != 0 || stderr != "" || strings.Count(stdout, "_type: trainer.FineTune") != 4 {
		t.Errorf("space sample: code %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
}

// Two trials of the config on a cache of their own: the base is trained
// by the first and taken from the cache by the second, as their lines on
// standard error say, and both report the fine-tune's metrics.
func TestLoRASearchRun(t *testing.T) {
	if testing.Short() {
		t.Skip("pre-trains a Fashion-MNIST model and fine-tunes it twice; skipped in -short mode")
	}
	needFashion(t)
	t.Setenv("GOGLOVE_CACHE", t.TempDir())
	// The objective's notices go to the process's standard error.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	notices := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		notices <- string(b)
	}()
	code, stdout, stderr := runCLI(t, t.Context(), "search", loraSearch, "--store", "mem://", "--trials", "2", "--workers", "1", "--json")
	os.Stderr = saved
	w.Close()
	printed := <-notices
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	if !strings.Contains(printed, "trial 0: trainer: fine-tune: the base model was trained now") ||
		!strings.Contains(printed, "trial 1: trainer: fine-tune: the base model was taken from the trained-model cache") {
		t.Errorf("standard error does not show the base trained once:\n%s", printed)
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
		if !(p.Metrics["target_accuracy"] > 0.3) || !(p.Metrics["orig_accuracy"] > 0.1) || p.Metrics["base_accuracy"] == 0 {
			t.Errorf("front member %v", p.Metrics)
		}
	}
}
