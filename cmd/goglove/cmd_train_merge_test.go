package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const mergeYAML = `_type: trainer.Merge
align: {_type: trainer.WeightMatching}
models:
  - _type: trainer.Classifier
    data: {_type: trainer.Synthetic, train: 1000, validation: 0, test: 300, features: 8, classes: 3}
    model: {_type: trainer.MLP, hidden: [16]}
    optimizer: {_type: trainer.AdamW, lr: 0.01}
    epochs: 3
    seed: 1
  - _type: trainer.Classifier
    data: {_type: trainer.Synthetic, train: 1000, validation: 0, test: 300, features: 8, classes: 3}
    model: {_type: trainer.MLP, hidden: [16]}
    optimizer: {_type: trainer.AdamW, lr: 0.01}
    epochs: 3
    seed: 2
`

// goglove train runs a trainer.Merge, --save keeps the merged network,
// and goglove eval evaluates the file to the merge's figures.
func TestTrainMergeSaveEval(t *testing.T) {
	dir := t.TempDir()
	prog, saved := filepath.Join(dir, "merge.yaml"), filepath.Join(dir, "merged.safetensors")
	if err := os.WriteFile(prog, []byte(mergeYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	// train's epoch lines on standard error have no prefix: run, not
	// runCLI.
	var out, errOut bytes.Buffer
	if code := run(t.Context(), []string{"train", prog, "--save", saved}, &out, &errOut); code != 0 || strings.Count(errOut.String(), "epoch 3/3") != 2 {
		t.Fatalf("train: exit %d, stderr %q", code, errOut.String())
	}
	stdout := out.String()
	acc := metricLine(t, stdout, "test_accuracy")
	for _, k := range []string{"loss_barrier", "loss_barrier_naive", "l2_ratio", "align_seconds"} {
		metricLine(t, stdout, k)
	}
	code, stdout, stderr := runCLI(t, t.Context(), "eval", saved)
	if code != 0 || metricLine(t, stdout, "test_accuracy") != acc {
		t.Errorf("eval: exit %d, stderr %q, stdout:\n%s\nwant test_accuracy %s", code, stderr, stdout, acc)
	}
}

// metricLine returns the value of metric on a "name  value" line of out.
func metricLine(t *testing.T, out, metric string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == metric {
			return f[1]
		}
	}
	t.Fatalf("no %s in:\n%s", metric, out)
	return ""
}
