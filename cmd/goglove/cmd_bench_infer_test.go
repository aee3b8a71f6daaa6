package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// quickInferArgs make bench infer measure for a moment only.
var quickInferArgs = []string{"--seconds", "0.01", "--runs", "1"}

func TestBenchInferJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), append([]string{"bench", "infer", "--json"}, quickInferArgs...)...)
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stderr, "goglove: bench infer: infer fp32 784-1024-1024-10 batch 32: ") {
		t.Errorf("stderr %q: want progress lines", stderr)
	}
	var fig inferFigures
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fig); err != nil {
		t.Fatalf("bench infer --json printed %q: %v", stdout, err)
	}
	var raw struct {
		Rows []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.Rows) != 9 {
		t.Fatalf("%d rows, want 9:\n%s", len(raw.Rows), stdout)
	}
	seen := map[[2]int]bool{}
	for i, row := range raw.Rows {
		if row["kernel"] != "fp32" {
			t.Errorf("row %d: kernel %v, want fp32", i, row["kernel"])
		}
		for _, k := range []string{"batch", "hidden", "examples_per_s", "us_per_batch", "gflops"} {
			if v, ok := row[k].(float64); !ok || !(v > 0) {
				t.Errorf("row %d: key %q is %v, want a positive number", i, k, row[k])
			}
		}
		r := fig.Rows[i]
		seen[[2]int{r.Hidden, r.Batch}] = true
		// The latency of a batch and the examples/s agree (to the rounding).
		if got := r.USPerBatch * r.ExamplesPerS / 1e6; got < 0.99*float64(r.Batch) || got > 1.01*float64(r.Batch) {
			t.Errorf("row %d: %v µs per batch of %d at %v examples/s", i, r.USPerBatch, r.Batch, r.ExamplesPerS)
		}
	}
	for _, h := range []int{256, 1024, 4096} {
		for _, b := range []int{1, 32, 256} {
			if !seen[[2]int{h, b}] {
				t.Errorf("no row of hidden %d, batch %d", h, b)
			}
		}
	}
	if fig.KernelPath == "" || fig.Seconds != 0.01 || fig.Runs != 1 {
		t.Errorf("kernel_path %q, seconds %v, runs %d; want a path, 0.01 and 1", fig.KernelPath, fig.Seconds, fig.Runs)
	}
}

func TestBenchInferText(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), append([]string{"bench", "infer"}, quickInferArgs...)...)
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 12 || !strings.Contains(lines[0], "kernel path ") || !strings.Contains(lines[2], "examples/s") {
		t.Fatalf("want a heading, a blank line, a header and 9 rows:\n%s", stdout)
	}
	largest := false
	for i, line := range lines[3:] {
		f := strings.Fields(line)
		if len(f) != 7 || f[0] != "fp32" {
			t.Errorf("row %d %q: want 7 columns, the first fp32", i, line)
			continue
		}
		largest = largest || f[1] == "4096" && f[2] == "256"
	}
	if !largest {
		t.Errorf("no row of H 4096, batch 256:\n%s", stdout)
	}
}

func TestBenchInferHelp(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), "bench", "infer", "--help")
	if code != 0 || stderr != "" {
		t.Fatalf("exit code %d, stderr %q; want 0 and none", code, stderr)
	}
	for _, want := range []string{"goglove bench infer", "784-H-H-10", "--seconds", "--runs", "--json", "examples_per_s"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("help lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, _ = runCLI(t, t.Context(), "bench", "--help")
	if code != 0 || !strings.Contains(stdout, "infer ") {
		t.Errorf("bench --help (exit code %d) does not list infer:\n%s", code, stdout)
	}
}
