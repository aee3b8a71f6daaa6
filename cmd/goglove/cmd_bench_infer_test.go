package main

import (
	"encoding/json"
	"strconv"
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
	if len(raw.Rows) != 27 {
		t.Fatalf("%d rows, want 27:\n%s", len(raw.Rows), stdout)
	}
	seen := map[[2]int]bool{}
	for i, row := range raw.Rows {
		if want := []string{"fp32", "int8", "ternary"}[i%3]; row["kernel"] != want {
			t.Errorf("row %d: kernel %v, want %s", i, row["kernel"], want)
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
	if fig.KernelPath == "" || fig.IntKernelPath == "" || fig.Seconds != 0.01 || fig.Runs != 1 {
		t.Errorf("kernel_path %q, int_kernel_path %q, seconds %v, runs %d; want paths, 0.01 and 1", fig.KernelPath, fig.IntKernelPath, fig.Seconds, fig.Runs)
	}
}

func TestBenchInferText(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), append([]string{"bench", "infer", "--kernels", "fp32,ternary"}, quickInferArgs...)...)
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 21 || !strings.Contains(lines[0], "integer kernel path ") || !strings.Contains(lines[2], "x fp32") {
		t.Fatalf("want a heading, a blank line, a header and 18 rows:\n%s", stdout)
	}
	largest := false
	for i, line := range lines[3:] {
		f := strings.Fields(line)
		if want := []string{"fp32", "ternary"}[i%2]; len(f) != 8 || f[0] != want {
			t.Errorf("row %d %q: want 8 columns, the first %s", i, line, want)
			continue
		}
		// The ratio to fp32: a dash on the fp32 rows, a number on the others.
		if ratio, err := strconv.ParseFloat(f[7], 64); (i%2 == 0) != (f[7] == "-") || i%2 == 1 && (err != nil || !(ratio > 0)) {
			t.Errorf("row %d %q: ratio column %q", i, line, f[7])
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
	for _, want := range []string{"goglove bench infer", "784-H-H-10", "--seconds", "--runs", "--json", "--kernels", "ternary", "int_kernel_path", "examples_per_s"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("help lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, _ = runCLI(t, t.Context(), "bench", "--help")
	if code != 0 || !strings.Contains(stdout, "infer ") {
		t.Errorf("bench --help (exit code %d) does not list infer:\n%s", code, stdout)
	}
}

func TestBenchInferBadKernel(t *testing.T) {
	code, _, stderr := runCLI(t, t.Context(), append([]string{"bench", "infer", "--kernels", "int4"}, quickInferArgs...)...)
	if code == 0 || !strings.Contains(stderr, `inference kernel "int4", want fp32, int8 or ternary`) {
		t.Errorf("exit code %d, stderr %q; want an error naming the kernel", code, stderr)
	}
}
