package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer"
)

const fineTuneYAML = `_type: trainer.FineTune
base:
  _type: trainer.Classifier
  data: {_type: trainer.Synthetic, train: 400, validation: 0, test: 200, features: 16, classes: 4, clusters: 2, noise: 0.3, seed: 1}
  model: {_type: trainer.MLP, hidden: [24, 24]}
  optimizer: {_type: trainer.AdamW, lr: 0.003}
  epochs: 2
  batch: 64
task: {_type: trainer.Synthetic, train: 400, validation: 0, test: 200, features: 16, classes: 4, clusters: 2, noise: 0.3, seed: 2}
method: METHOD
optimizer: {_type: trainer.AdamW, lr: 0.003}
epochs: 2
batch: 64
`

// train --save of a LoRA fine-tune writes the adapter beside the merged
// model, readable on its own; a full fine-tune has no adapter to write.
func TestTrainSaveWritesLoRAAdapter(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, method string
		adapter      bool
	}{
		{"lora", "{_type: trainer.LoRA, rank: 3, alpha: 6}", true},
		{"full", "{_type: trainer.Full}", false},
	} {
		prog := filepath.Join(dir, tc.name+".yaml")
		if err := os.WriteFile(prog, []byte(strings.Replace(fineTuneYAML, "METHOD", tc.method, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		model := filepath.Join(dir, tc.name+".safetensors")
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"train", prog, "--no-cache", "--save", model}, &stdout, &stderr); code != 0 {
			t.Fatalf("%s: exit %d, stderr %s", tc.name, code, stderr.String())
		}
		if _, err := os.Stat(model); err != nil {
			t.Fatalf("%s: the model was not saved: %v", tc.name, err)
		}
		path := adapterPath(model)
		a, err := trainer.ReadAdapter(path)
		switch {
		case !tc.adapter:
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s: adapter file: %v, want none", tc.name, err)
			}
			if strings.Contains(stderr.String(), "adapter") {
				t.Errorf("%s: stderr mentions an adapter: %s", tc.name, stderr.String())
			}
		case err != nil:
			t.Fatalf("%s: %v (stderr %s)", tc.name, err, stderr.String())
		default:
			if a.Rank != 3 || len(a.Tensors) < 4 {
				t.Errorf("%s: adapter of rank %d with %d tensors, want rank 3 and A, B of two layers", tc.name, a.Rank, len(a.Tensors))
			}
			if !strings.Contains(stderr.String(), path) {
				t.Errorf("%s: stderr does not name the adapter file %s: %s", tc.name, path, stderr.String())
			}
		}
	}
}

func TestAdapterPath(t *testing.T) {
	for in, want := range map[string]string{
		"model.safetensors": "model.adapter.safetensors",
		"d/m.safetensors":   "d/m.adapter.safetensors",
		"model":             "model.adapter.safetensors",
	} {
		if got := adapterPath(in); got != want {
			t.Errorf("adapterPath(%q) = %q, want %q", in, got, want)
		}
	}
}
