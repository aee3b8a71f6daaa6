package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// bestTrial returns the number and metrics of a study's best trial, from
// best --json.
func bestTrial(t *testing.T, store, study string) (int, map[string]float64) {
	t.Helper()
	code, stdout, stderr := runCLI(t, t.Context(), "best", "--store", store, "--study", study, "--json")
	var out struct {
		Best struct {
			Number  int
			Metrics map[string]float64
		}
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &out) != nil {
		t.Fatalf("best --json: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	return out.Best.Number, out.Best.Metrics
}

// evalFile evaluates a checkpoint with goglove eval --json.
func evalFile(t *testing.T, path string) map[string]float64 {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"eval", path, "--json"}, &stdout, &stderr)
	var out struct{ Metrics map[string]float64 }
	if code != 0 || json.Unmarshal(stdout.Bytes(), &out) != nil {
		t.Fatalf("eval: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	return out.Metrics
}

// TestExport exports the best trial's model, without the cache (trained
// again, which stderr says) and from the cache the search filled (no
// training), and evaluates each file: its test accuracy is the one the
// store recorded for the trial.
func TestExport(t *testing.T) {
	t.Run("trained again", func(t *testing.T) {
		store, dir := viewStudy(t) // GOGLOVE_CACHE=off (TestMain)
		n, metrics := bestTrial(t, store, "view")
		out := filepath.Join(dir, "m.safetensors")
		code, stdout, stderr := runCLI(t, t.Context(), "export", "--store", store, "--study", "view", "--trial", strconv.Itoa(n), "--out", out)
		if code != 0 || !strings.Contains(stdout, "wrote the model of trial "+strconv.Itoa(n)) || !strings.Contains(stderr, "trained again") {
			t.Fatalf("export: exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
		if strings.Contains(stderr, "measures") {
			t.Errorf("export: the model measures otherwise than the store says: %q", stderr)
		}
		if got := evalFile(t, out); got["test_accuracy"] != metrics["test_accuracy"] {
			t.Errorf("eval of the export: test_accuracy %v, the store recorded %v", got["test_accuracy"], metrics["test_accuracy"])
		}
	})
	t.Run("from the cache", func(t *testing.T) {
		t.Setenv("GOGLOVE_CACHE", t.TempDir())
		store, dir := viewStudy(t)
		n, metrics := bestTrial(t, store, "view")
		out := filepath.Join(dir, "m.safetensors")
		code, _, stderr := runCLI(t, t.Context(), "export", "--store", store, "--study", "view", "--trial", strconv.Itoa(n), "--out", out)
		if code != 0 || stderr != "" {
			t.Fatalf("export: exit %d, stderr %q; want no line (the model is cached)", code, stderr)
		}
		if got := evalFile(t, out); got["test_accuracy"] != metrics["test_accuracy"] {
			t.Errorf("eval of the export: test_accuracy %v, the store recorded %v", got["test_accuracy"], metrics["test_accuracy"])
		}
	})
	t.Run("bad input", func(t *testing.T) {
		store, dir := viewStudy(t)
		out := filepath.Join(dir, "m.safetensors")
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"--study", "view", "--out", out}, "missing --trial"},
			{[]string{"--study", "view", "--trial", "0"}, "missing --out"},
			{[]string{"--study", "view", "--trial", "99", "--out", out}, "has no trial 99"},
			{[]string{"--study", "nope", "--trial", "0", "--out", out}, "nope"},
		} {
			code, _, stderr := runCLI(t, t.Context(), append([]string{"export", "--store", store}, tc.args...)...)
			if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("export %v: exit %d, stderr %q; want 2 and one line with %q", tc.args, code, stderr, tc.want)
			}
		}
	})
}
