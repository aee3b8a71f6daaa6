package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainRunsAnyProgram trains a model with --save, then runs a
// trainer.Evaluation of the saved file on other data with goglove train,
// and checks that --save is refused for a program that leaves no model.
func TestTrainRunsAnyProgram(t *testing.T) {
	dir := writeTemp(t, map[string]string{"p.yaml": trainProgram})
	model := filepath.Join(dir, "m.safetensors")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"train", filepath.Join(dir, "p.yaml"), "--save", model, "--json"}, &stdout, &stderr); code != 0 {
		t.Fatalf("train --save: exit %d, %s", code, stderr.String())
	}
	var trained trainJSON
	if err := json.Unmarshal(stdout.Bytes(), &trained); err != nil {
		t.Fatal(err)
	}
	eval := "_type: trainer.Evaluation\nmodel: {_type: trainer.Checkpoint, path: " + model + "}\n" +
		"data: {_type: trainer.Synthetic, train: 2000, validation: 500, test: 500, features: 16, classes: 4, noise: 0.8}\n"
	writeFiles(t, dir, map[string]string{"eval.yaml": eval})
	stdout.Reset()
	stderr.Reset()
	if code := run(context.Background(), []string{"train", filepath.Join(dir, "eval.yaml"), "--json"}, &stdout, &stderr); code != 0 {
		t.Fatalf("train eval.yaml: exit %d, %s", code, stderr.String())
	}
	var out trainJSON
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	m := out.Metrics
	if m["model_test_accuracy"] != trained.Metrics["test_accuracy"] || m["params"] != trained.Metrics["params"] || m["test_accuracy"] >= trained.Metrics["test_accuracy"] {
		t.Errorf("evaluation on noisier data %v; the model's own run %v", m, trained.Metrics)
	}
	stdout.Reset()
	stderr.Reset()
	code := run(context.Background(), []string{"train", filepath.Join(dir, "eval.yaml"), "--save", filepath.Join(dir, "x.safetensors")}, &stdout, &stderr)
	if want := "--save: a trainer.Evaluation leaves no trained model to save (want trainer.Checkpoint or trainer.Classifier or trainer.FineTune or trainer.FineTuneSequence or trainer.Merge)"; code != 2 || !strings.Contains(stderr.String(), want) {
		t.Errorf("--save on an evaluation: exit %d, stderr %q; want 2 and %q", code, stderr.String(), want)
	}
}
