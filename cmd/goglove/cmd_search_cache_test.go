package main

import (
	"path/filepath"
	"testing"
)

// TestSearchCache runs the evaluation-search example twice on one cache:
// the second search trains nothing (its best trial is cached), and with
// --no-cache it trains again.
func TestSearchCache(t *testing.T) {
	t.Setenv("GOGLOVE_CACHE", t.TempDir())
	cfg := filepath.Join("..", "..", "experiments", "configs", "evaluation-search.yaml")
	best := func(extra ...string) map[string]float64 {
		t.Helper()
		code, stdout, stderr := runCLI(t, t.Context(), append([]string{"search", cfg, "--store", "mem://", "--json"}, extra...)...)
		if code != 0 || stderr != "" {
			t.Fatalf("exit code %d, stderr %q", code, stderr)
		}
		out := decodeSearchJSON(t, stdout, false)
		if out.Completed != 4 || out.Best == nil {
			t.Fatalf("%d completed, best %v; want 4 and a best", out.Completed, out.Best)
		}
		return out.Best.Metrics
	}
	first := best()
	second := best()
	if first["cached"] != 0 || second["cached"] != 1 || first["test_accuracy"] != second["test_accuracy"] {
		t.Errorf("best of the first search %v, of the second %v; want cached 0 then 1, the same accuracy", first, second)
	}
	if third := best("--no-cache"); third["cached"] != 0 || third["test_accuracy"] != first["test_accuracy"] {
		t.Errorf("--no-cache: best %v, want cached 0 and the same accuracy", third)
	}
}
