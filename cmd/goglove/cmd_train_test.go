package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// trainProgram is a synthetic program that trains in a fraction of a
// second.
const trainProgram = `_type: trainer.Classifier
data: {_type: trainer.Synthetic, train: 2000, validation: 500, test: 500, features: 16, classes: 4}
model: {_type: trainer.MLP, hidden: [32], activation: relu}
optimizer: {_type: trainer.AdamW, lr: 0.01}
epochs: 4
batch: 50
seed: 1
`

// writeTemp writes files into a new temporary directory and returns it.
func writeTemp(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestTrainJSON(t *testing.T) {
	dir := writeTemp(t, map[string]string{"p.yaml": trainProgram})
	file := filepath.Join(dir, "p.yaml")
	for name, args := range map[string][]string{
		"flag after":  {"train", file, "--json"},
		"flag before": {"train", "--json", file},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d, stderr %q", code, stderr.String())
			}
			var out map[string]map[string]float64
			dec := json.NewDecoder(&stdout)
			dec.DisallowUnknownFields()
			if err := dec.Decode(&out); err != nil || len(out) != 1 {
				t.Fatalf("stdout %q: %v", stdout.String(), err)
			}
			m := out["metrics"]
			for _, k := range []string{"val_accuracy", "val_loss", "test_accuracy", "test_loss", "train_loss", "params", "size_bits", "epochs", "steps", "stopped_early", "train_seconds"} {
				if _, ok := m[k]; !ok {
					t.Errorf("metric %s missing from %v", k, m)
				}
			}
			if m["test_accuracy"] < 0.5 || m["epochs"] != 4 || m["steps"] != 160 || m["params"] != 16*32+32+32*4+4 {
				t.Errorf("metrics %v", m)
			}
			// Not a terminal: one plain progress line per epoch.
			lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
			if len(lines) != 4 || !strings.HasPrefix(lines[0], "epoch 1/4  loss ") || !strings.Contains(lines[3], "val accuracy 0.") || strings.Contains(stderr.String(), "\r") {
				t.Errorf("stderr %q", stderr.String())
			}
		})
	}
}

func TestTrainText(t *testing.T) {
	dir := writeTemp(t, map[string]string{"p.yaml": strings.Replace(trainProgram, "validation: 500", "validation: 0", 1)})
	var stdout, stderr bytes.Buffer
	err := runTrain(context.Background(), trainOptions{terminal: true}, []string{filepath.Join(dir, "p.yaml")}, &stdout, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	// No validation set: no val metrics, and the table starts with the test set.
	if !strings.HasPrefix(lines[0], "test_accuracy  0.") || strings.Contains(stdout.String(), "val_") {
		t.Errorf("stdout %q", stdout.String())
	}
	if !strings.Contains(stdout.String(), "\nparams         676\n") || !strings.Contains(stdout.String(), "\nsize_bits      21632\n") {
		t.Errorf("integers not in full: %q", stdout.String())
	}
	// A terminal: the line is rewritten in place and cleared at the end.
	e := stderr.String()
	if strings.Count(e, "\r") != 5 || strings.Contains(e, "\n") || !strings.HasSuffix(e, "\r\x1b[K") || strings.Contains(e, "val accuracy") {
		t.Errorf("stderr %q", e)
	}
}

func TestTrainBadInput(t *testing.T) {
	dir := writeTemp(t, map[string]string{
		"range.yaml":   strings.Replace(trainProgram, "hidden: [32]", "hidden: [0]", 1),
		"unknown.yaml": strings.Replace(trainProgram, "trainer.AdamW", "trainer.Adam", 1),
		"syntax.yaml":  "_type: trainer.Classifier\nmodel: [\n",
		"mlp.yaml":     "_type: trainer.MLP\nhidden: [8]\n",
		"dict.yaml":    "data: {_type: trainer.Synthetic}\n",
		"empty.yaml":   "",
		"space.yaml":   strings.Replace(trainProgram, "lr: 0.01", "lr: !float {min: 0.001, max: 0.1}", 1),
		"missing.yaml": strings.Replace(trainProgram, "model: {_type: trainer.MLP, hidden: [32], activation: relu}\n", "", 1),
		"enum.yaml":    strings.Replace(trainProgram, "activation: relu", "activation: swish", 1),
	})
	f := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name string
		args []string
		want string // in the one line of stderr
	}{
		{"no file", []string{"train"}, "goglove: train: missing arguments; usage: goglove train [--json] [--save FILE] [--no-cache] PROGRAM"},
		{"two files", []string{"train", f("range.yaml"), f("mlp.yaml")}, "train: unexpected argument"},
		{"missing file", []string{"train", f("nope.yaml")}, "no such file"},
		{"out of range", []string{"train", f("range.yaml")}, "range.yaml:3:29: model.hidden[0]: want int in [1, 65536], got int 0"},
		{"unknown type", []string{"train", f("unknown.yaml")}, `unknown.yaml:4:13: optimizer._type: unknown _type "trainer.Adam"`},
		{"bad enum", []string{"train", f("enum.yaml")}, "enum.yaml:3:43: model.activation:"},
		{"syntax", []string{"train", f("syntax.yaml")}, "syntax.yaml:"},
		{"not a classifier", []string{"train", f("mlp.yaml")}, "mlp.yaml: trainer: invalid program: want a trainer program (_type: trainer.Checkpoint, trainer.Classifier, trainer.Evaluation, trainer.FineTune, trainer.FineTuneSequence or trainer.Merge at the top), got trainer.MLP"},
		{"no type", []string{"train", f("dict.yaml")}, "dict.yaml: trainer: invalid program: want a trainer program (_type: trainer.Checkpoint, trainer.Classifier, trainer.Evaluation, trainer.FineTune, trainer.FineTuneSequence or trainer.Merge at the top), got a dict"},
		{"empty", []string{"train", f("empty.yaml")}, "empty.yaml: trainer: invalid program: want a trainer program (_type: trainer.Checkpoint, trainer.Classifier, trainer.Evaluation, trainer.FineTune, trainer.FineTuneSequence or trainer.Merge at the top), got nothing"},
		{"space", []string{"train", f("space.yaml")}, "space.yaml: optimizer.lr: a hyper-value"},
		{"missing field", []string{"train", f("missing.yaml")}, "missing.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			e := stderr.String()
			if code != 2 || stdout.Len() != 0 || strings.Count(e, "\n") != 1 || !strings.Contains(e, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", code, stdout.String(), e, tt.want)
			}
		})
	}
}

func TestTrainFailures(t *testing.T) {
	t.Run("no data", func(t *testing.T) {
		t.Setenv("GOGLOVE_DATA_DIR", t.TempDir())
		dir := writeTemp(t, map[string]string{"p.yaml": strings.Replace(trainProgram, "_type: trainer.Synthetic, train: 2000, validation: 500, test: 500, features: 16, classes: 4", "_type: trainer.FashionMNIST", 1)})
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"train", filepath.Join(dir, "p.yaml")}, &stdout, &stderr); code != 1 || !strings.HasPrefix(stderr.String(), "trainer: data: Fashion-MNIST is not in ") {
			t.Errorf("exit %d, stderr %q", code, stderr.String())
		}
	})
	t.Run("interrupted", func(t *testing.T) {
		dir := writeTemp(t, map[string]string{"p.yaml": trainProgram})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var stdout, stderr bytes.Buffer
		if code := run(ctx, []string{"train", "--json", filepath.Join(dir, "p.yaml")}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "interrupted after 0 epochs") {
			t.Errorf("exit %d, stderr %q", code, stderr.String())
		}
		if strings.Contains(stdout.String(), "test_accuracy") || !strings.Contains(stdout.String(), `"params"`) {
			t.Errorf("stdout %q", stdout.String())
		}
	})
}

// TestSearchTrainerClassify runs a search whose objective is the
// trainer's built-in, as the quickstart does, on a tiny synthetic set
// (eight trials: in five, a seed may draw only the weaker small model).
func TestSearchTrainerClassify(t *testing.T) {
	dir := writeTemp(t, map[string]string{"c.yaml": `study: tiny
space:
  _type: trainer.Classifier
  data: {_type: trainer.Synthetic, train: 1000, validation: 300, test: 300, features: 16, classes: 4}
  model: {_type: trainer.MLP, hidden: !oneof [[8], [32]], activation: !oneof [relu, tanh]}
  optimizer: {_type: trainer.AdamW, lr: !float {min: 1.0e-3, max: 3.0e-2, scale: log}}
  epochs: 3
  batch: 50
algorithm: {name: tpe}
objective: {builtin: trainer.classify, metrics: {val_accuracy: maximize}}
budget: {trials: 8}
workers: 2
`})
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"search", "--store", "mem://", "--json", filepath.Join(dir, "c.yaml")}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	out := decodeSearchJSON(t, stdout.String(), false)
	if out.Completed != 8 || out.Best == nil || out.Best.Metrics["val_accuracy"] < 0.6 || out.Best.Metrics["epochs"] != 3 {
		t.Errorf("result %+v, best %+v", out, out.Best)
	}
	if got := out.Best.Program["_type"]; got != "trainer.Classifier" {
		t.Errorf("best program type %v", got)
	}
}
