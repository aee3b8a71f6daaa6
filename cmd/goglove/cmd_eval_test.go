package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

// decodeMetrics decodes {"metrics": {...}}, rejecting anything else.
func decodeMetrics(t *testing.T, out string) map[string]float64 {
	t.Helper()
	var v map[string]map[string]float64
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil || len(v) != 1 || v["metrics"] == nil {
		t.Fatalf("stdout %q: %v", out, err)
	}
	return v["metrics"]
}

// trainAndSave runs train --save --json on trainProgram and returns the
// model's path and the metrics train printed.
func trainAndSave(t *testing.T) (string, map[string]float64) {
	t.Helper()
	dir := writeTemp(t, map[string]string{"p.yaml": trainProgram})
	model := filepath.Join(dir, "model.safetensors")
	var stdout, stderr bytes.Buffer // stderr holds progress lines
	if code := run(context.Background(), []string{"train", filepath.Join(dir, "p.yaml"), "--save", model, "--json"}, &stdout, &stderr); code != 0 {
		t.Fatalf("train: exit %d, stderr %q", code, stderr.String())
	}
	return model, decodeMetrics(t, stdout.String())
}

func TestTrainSaveEval(t *testing.T) {
	model, trained := trainAndSave(t)
	t.Run("file", func(t *testing.T) {
		ckpt, err := checkpoint.ReadFile(model)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tn := range ckpt.Tensors {
			names = append(names, tn.Name)
		}
		if got, want := strings.Join(names, " "), "layers[0].w layers[0].b layers[2].w layers[2].b"; got != want {
			t.Errorf("tensors %q, want %q", got, want)
		}
		if ckpt.Metadata[checkpoint.KeyVersion] == "" || !strings.Contains(ckpt.Metadata[checkpoint.KeyProgram], "trainer.Synthetic") {
			t.Errorf("metadata %v", ckpt.Metadata)
		}
	})
	t.Run("json", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, context.Background(), "eval", model, "--json")
		if code != 0 || stderr != "" {
			t.Fatalf("eval: exit %d, stderr %q", code, stderr)
		}
		m := decodeMetrics(t, stdout)
		if len(m) != 2 || m["test_accuracy"] != trained["test_accuracy"] || m["test_loss"] != trained["test_loss"] {
			t.Errorf("eval metrics %v, train reported test_accuracy %v test_loss %v", m, trained["test_accuracy"], trained["test_loss"])
		}
	})
	t.Run("table", func(t *testing.T) {
		code, stdout, _ := runCLI(t, context.Background(), "eval", model)
		if code != 0 || !strings.HasPrefix(stdout, "test_accuracy  ") || !strings.Contains(stdout, "\ntest_loss      ") {
			t.Errorf("eval: exit %d, stdout %q", code, stdout)
		}
	})
}

func TestEvalErrors(t *testing.T) {
	model, _ := trainAndSave(t)
	good, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)-1] ^= 0x40
	ckpt, err := checkpoint.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	ckpt.Tensors = ckpt.Tensors[:3]
	short := filepath.Join(dir, "short.safetensors")
	if err := checkpoint.WriteFile(short, ckpt); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"tampered data", []string{"eval", write("flipped.safetensors", flipped)}, 2, "checkpoint: "},
		{"truncated", []string{"eval", write("cut.safetensors", good[:len(good)-9])}, 2, "checkpoint: "},
		{"missing parameter", []string{"eval", short}, 2, `parameter "layers[2].b" is missing`},
		{"no such file", []string{"eval", filepath.Join(dir, "absent.safetensors")}, 1, "absent.safetensors"},
		{"no argument", []string{"eval"}, 2, "eval"},
		{"two arguments", []string{"eval", model, model}, 2, "eval"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, context.Background(), tc.args...)
			if code != tc.code || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d (want %d), stdout %q, stderr %q (want one line containing %q)", code, tc.code, stdout, stderr, tc.want)
			}
		})
	}
}

// TestTrainSaveEvalBinary runs train --save and eval --json as real
// processes.
func TestTrainSaveEvalBinary(t *testing.T) {
	bin := goglove(t)
	dir := writeTemp(t, map[string]string{"p.yaml": trainProgram})
	model := filepath.Join(dir, "m.safetensors")
	out, err := exec.Command(bin, "train", "--json", "--save", model, filepath.Join(dir, "p.yaml")).Output()
	if err != nil {
		t.Fatalf("train: %v", err)
	}
	trained := decodeMetrics(t, string(out))
	out, err = exec.Command(bin, "eval", "--json", model).Output()
	if err != nil {
		t.Fatalf("eval: %v", err)
	}
	m := decodeMetrics(t, string(out))
	if m["test_accuracy"] != trained["test_accuracy"] || m["test_loss"] != trained["test_loss"] {
		t.Errorf("eval %v, train %v", m, trained)
	}
}

func TestTrainSaveFails(t *testing.T) {
	dir := writeTemp(t, map[string]string{"p.yaml": trainProgram})
	target := filepath.Join(dir, "no-such-dir", "m.safetensors")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"train", filepath.Join(dir, "p.yaml"), "--save", target}, &stdout, &stderr)
	last := strings.TrimSuffix(stderr.String(), "\n")
	last = last[strings.LastIndex(last, "\n")+1:]
	if code != 1 || !strings.HasPrefix(stdout.String(), "val_accuracy  ") || !strings.HasPrefix(last, "goglove: train --save: checkpoint: ") {
		t.Errorf("exit %d, stdout %q, last stderr line %q; want exit 1, the metrics and a train --save error", code, stdout.String(), last)
	}
	if _, err := os.Stat(target); err == nil {
		t.Errorf("%s exists", target)
	}
}
