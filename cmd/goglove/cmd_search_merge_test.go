package main

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestSearchMerge runs the merge-search example: 8 trials of alignment ×
// combination over two models that are trained once, by the first trial,
// and taken from the cache by the others; the best merge is aligned.
func TestSearchMerge(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("GOGLOVE_CACHE", dir)
	cfg := filepath.Join("..", "..", "experiments", "configs", "merge-search.yaml")
	code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", "mem://", "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	out := decodeSearchJSON(t, stdout, false)
	if out.Completed != 8 || out.Best == nil {
		t.Fatalf("%d completed, best %v; want 8 and a best", out.Completed, out.Best)
	}
	m := out.Best.Metrics
	if !(m["loss_barrier"] < m["loss_barrier_naive"]) || m["models"] != 2 || m["cached"] != 1 {
		t.Errorf("best merge %v: want an aligned one, from cached models", m)
	}
	var entries int
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".safetensors") && !strings.HasPrefix(d.Name(), ".") {
			entries++
		}
		return err
	})
	if entries != 2 {
		t.Errorf("%d cache entries, want the two models", entries)
	}
}
