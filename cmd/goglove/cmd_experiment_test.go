package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer/data"
)

func TestExperimentHelp(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), "experiment", "--help")
	if code != 0 || stderr != "" || !strings.Contains(stdout, "goglove experiment bitnet") || !strings.Contains(stdout, "bitnet      Ternary (1.58-bit)") {
		t.Errorf("experiment --help: code %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	code, _, stderr = runCLI(t, t.Context(), "experiment", "bitnt")
	if code != 2 || stderr != "goglove: unknown command \"bitnt\" for 'goglove experiment' (did you mean \"bitnet\"?); run 'goglove experiment --help' for the list of commands\n" {
		t.Errorf("unknown experiment: code %d, stderr %q", code, stderr)
	}
	code, stdout, _ = runCLI(t, t.Context(), "experiment", "bitnet", "--help")
	for _, want := range []string{"784-H-H-10", "0.2860", "--widths", "--lrs", "--wds", "--epochs", "--quick", "--json", "--out", "accuracy.svg", "accuracy-width.svg", "test_accuracy", "size_bits", "train_seconds", "zeros"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("experiment bitnet --help (code %d) does not mention %q", code, want)
		}
	}
}

func TestExperimentBitNetBadInput(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--widths", "64,abc"}, `goglove: experiment bitnet: --widths: "abc" is not a whole number; want a comma list such as 64,128,256`},
		{[]string{"--widths", "0"}, "goglove: experiment bitnet: --widths: 0 is out of range; want whole numbers from 1 to 65536"},
		{[]string{"--widths", "64,,128"}, `goglove: experiment bitnet: --widths: "64,,128" has an empty item; want a comma list such as 64,128,256`},
		{[]string{"--widths", ""}, "goglove: experiment bitnet: --widths: empty; want a comma list such as 64,128,256"},
		{[]string{"--widths", "64,64"}, "goglove: experiment bitnet: --widths: 64 is given twice"},
		{[]string{"--lrs", "1e-3,fast"}, `goglove: experiment bitnet: --lrs: "fast" is not a number; want a comma list such as 1e-3,3e-3`},
		{[]string{"--lrs", "0"}, "goglove: experiment bitnet: --lrs: 0 is out of range; want numbers from 1e-12 to 10"},
		{[]string{"--wds", "-0.1"}, "goglove: experiment bitnet: --wds: -0.1 is out of range; want numbers from 0 to 10"},
		{[]string{"--wds", "NaN"}, "goglove: experiment bitnet: --wds: NaN is out of range; want numbers from 0 to 10"},
		{[]string{"--epochs", "0"}, "goglove: experiment bitnet: --epochs: 0 is out of range; want 1 to 100000"},
		{[]string{"extra"}, `goglove: experiment bitnet: unexpected argument "extra"; usage: ` + bitnetUsage},
		{[]string{"--epochs", "x"}, `goglove: invalid argument "x" for "--epochs" flag: strconv.ParseInt: parsing "x": invalid syntax; run 'goglove experiment bitnet --help' for usage`},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), append([]string{"experiment", "bitnet"}, tt.args...)...)
			if code != 2 || stdout != "" || stderr != tt.want+"\n" {
				t.Errorf("code %d, stdout %q, stderr %q; want 2, none and %q", code, stdout, stderr, tt.want)
			}
		})
	}
}

// needFashion skips a test when Fashion-MNIST is not installed.
func needFashion(t *testing.T) {
	t.Helper()
	if _, err := data.FashionMNIST("", 0); errors.Is(err, data.ErrNotFound) {
		t.Skipf("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): %v", err)
	} else if err != nil {
		t.Fatal(err)
	}
}

// bitnetKeys are the JSON keys of a row the issue names, and the others.
var bitnetKeys = []string{"mode", "width", "lr", "weight_decay", "epochs", "test_accuracy", "test_loss", "zeros", "size_bits", "bits_per_weight", "params", "train_seconds", "cached"}

// TestExperimentBitNetQuick runs the quick mode twice with a cache of its
// own: the first run trains the 6 runs (3 modes × widths 16, 32, one
// learning rate and one epoch) and prints them as JSON lines, the second
// trains nothing and prints the table and the claims.
func TestExperimentBitNetQuick(t *testing.T) {
	needFashion(t)
	t.Setenv("GOGLOVE_CACHE", t.TempDir())
	out := filepath.Join(t.TempDir(), "new", "dir")
	code, stdout, stderr := runCLI(t, t.Context(), "experiment", "bitnet", "--quick", "--json", "--out", out)
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d lines, want 6:\n%s", len(lines), stdout)
	}
	var modes []string
	for i, line := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %d: %v: %s", i, err, line)
		}
		for _, k := range bitnetKeys {
			if _, ok := m[k]; !ok {
				t.Errorf("line %d has no %q: %s", i, k, line)
			}
		}
		if len(m) != len(bitnetKeys) {
			t.Errorf("line %d has %d keys, want %d: %s", i, len(m), len(bitnetKeys), line)
		}
		acc, zeros := m["test_accuracy"].(float64), m["zeros"].(float64)
		if !(acc > 0.5 && acc < 1) || !(zeros >= 0 && zeros < 1) || m["epochs"] != 1.0 || m["cached"] != false || m["weight_decay"] != 0.0 || m["lr"] != 0.003 {
			t.Errorf("line %d: %s", i, line)
		}
		if w := m["width"]; w != 16.0 && w != 32.0 {
			t.Errorf("line %d: width %v, want 16 or 32", i, w)
		}
		modes = append(modes, m["mode"].(string))
		if ternary := m["mode"] != "fp32"; ternary != (zeros > 0) || ternary != (m["bits_per_weight"].(float64) < 2) {
			t.Errorf("line %d: zeros and bits per weight do not fit the mode: %s", i, line)
		}
	}
	if !slices.Equal(modes[:3], []string{"fp32", "absmean", "absmedian"}) {
		t.Errorf("modes %v", modes)
	}
	// One line before the runs, one after each.
	if n := strings.Count(stderr, "\n"); n != 7 || !strings.HasPrefix(stderr, "goglove: bitnet: 6 runs (3 modes × 2 widths × 1 learning rate × 1 weight decay), 1 epoch each\n") ||
		!strings.Contains(stderr, "goglove: bitnet 6/6: absmedian H=32 lr=0.003 wd=0: test accuracy ") {
		t.Errorf("stderr of %d lines:\n%s", n, stderr)
	}
	results, err := os.ReadFile(filepath.Join(out, "results.jsonl"))
	if err != nil || string(results) != stdout {
		t.Errorf("results.jsonl (%v):\n%s\nwant the JSON lines printed:\n%s", err, results, stdout)
	}
	var claims []map[string]any
	if b, err := os.ReadFile(filepath.Join(out, "claims.json")); err != nil || json.Unmarshal(b, &claims) != nil || len(claims) != 4 {
		t.Errorf("claims.json (%v): %s", err, b)
	}
	checkSVGs(t, out, "accuracy.svg", "accuracy-width.svg")

	// Again: everything from the cache, as a table with the claims.
	code, stdout, stderr = runCLI(t, t.Context(), "experiment", "bitnet", "--quick")
	if code != 0 {
		t.Fatalf("second run: exit code %d, stderr %q", code, stderr)
	}
	if n := strings.Count(stderr, "(from the trained-model cache)"); n != 6 {
		t.Errorf("%d runs from the cache, want 6:\n%s", n, stderr)
	}
	for _, want := range []string{
		"BitNet b1.58 on Fashion-MNIST: 784-H-H-10 ReLU, AdamW, batch 128, 1 epoch, seed 0, 6 runs\n",
		"mode       H   lr     wd  test acc  zeros",
		"Best test accuracy over the learning rates, weight decay 0\n",
		"1. Does ternary at 2H reach fp32 at H within 0.5 points? ",
		"2. Are there fewer zeros with the median? ",
		"3. Can the median replace the mean",
		"4. How much does the weight decay move the accuracy, per mode? UNTESTED\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the table does not hold %q:\n%s", want, stdout)
		}
	}
	if n := strings.Count(stdout, "(cached)"); n != 6 {
		t.Errorf("%d rows marked cached, want 6:\n%s", n, stdout)
	}
	summary, err := os.ReadFile(filepath.Join(out, "summary.txt"))
	if err != nil || strings.ReplaceAll(stdout, " (cached)", "") != string(summary) {
		t.Errorf("summary.txt (%v):\n%s\nwant the table of the second run without its cache marks:\n%s", err, summary, stdout)
	}
}

// An interrupted experiment says how far it got, exit code 1.
func TestExperimentBitNetInterrupted(t *testing.T) {
	needFashion(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	code, stdout, stderr := runCLI(t, ctx, "experiment", "bitnet", "--quick", "--json")
	if code != 1 || stdout != "" || !strings.HasSuffix(stderr, "goglove: experiment bitnet: interrupted after 0 of 6 runs; the rows printed are those finished\n") {
		t.Errorf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
