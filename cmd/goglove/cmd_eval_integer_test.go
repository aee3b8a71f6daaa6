package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalInteger saves a ternary model and evaluates it on the integer
// kernels: the accuracy is the recorded one to a few test images.
func TestEvalInteger(t *testing.T) {
	program := strings.Replace(trainProgram, "activation: relu}", "activation: relu, quant: {_type: trainer.Ternary}}", 1)
	dir := writeTemp(t, map[string]string{"p.yaml": program})
	model := filepath.Join(dir, "m.safetensors")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"train", filepath.Join(dir, "p.yaml"), "--save", model, "--json"}, &stdout, &stderr); code != 0 {
		t.Fatalf("train: exit %d, %s", code, stderr.String())
	}
	var trained, fast trainJSON
	if err := json.Unmarshal(stdout.Bytes(), &trained); err != nil {
		t.Fatal(err)
	}
	if trained.Metrics["zeros"] == 0 || trained.Metrics["bits_per_weight"] > 2 {
		t.Fatalf("not a ternary model: %v", trained.Metrics)
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"eval", model, "--integer", "--json"}, &stdout, &stderr); code != 0 {
		t.Fatalf("eval --integer: exit %d, %s", code, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), &fast); err != nil {
		t.Fatal(err)
	}
	if d := math.Abs(fast.Metrics["test_accuracy"] - trained.Metrics["test_accuracy"]); d > 0.004 || math.Abs(fast.Metrics["test_loss"]-trained.Metrics["test_loss"]) > 0.01 {
		t.Errorf("on the integer kernels %v, as trained %v", fast.Metrics, trained.Metrics)
	}
	stderr.Reset()
	code := run(context.Background(), []string{"eval", model, "--integer", "--data", "{_type: trainer.Synthetic}"}, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "--integer and --data cannot be combined") {
		t.Errorf("--integer with --data: exit %d, %q", code, stderr.String())
	}
}
