package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer"
)

// loraRunKeys are the keys of a fine-tune's line the issue names.
var loraRunKeys = []string{"method", "rank", "rslora", "gamma", "target_accuracy", "orig_accuracy", "orig_loss", "intruders", "lambda", "trainable_params", "layers", "cached"}

// TestExperimentLoRAQuick runs the quick mode with a cache of its own:
// the JSON lines (the pre-training first, then 6 fine-tunes, then 2
// stages of 3 sequences), the files of --out, adapters that read back,
// and on a second run the pre-trained model from the cache, the tables
// and the claims.
func TestExperimentLoRAQuick(t *testing.T) {
	needFashion(t)
	t.Setenv("GOGLOVE_CACHE", t.TempDir())
	out := filepath.Join(t.TempDir(), "lora")
	code, stdout, stderr := runCLI(t, t.Context(), "experiment", "lora", "--quick", "--json", "--out", out)
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 1+6+6 {
		t.Fatalf("%d lines, want 13:\n%s", len(lines), stdout)
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first["pretrain_accuracy"] == nil {
		t.Fatalf("first line %s (%v), want pretrain_accuracy", lines[0], err)
	}
	var methods []string
	for i, line := range lines[1:7] {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		for _, k := range loraRunKeys {
			if _, ok := m[k]; !ok {
				t.Errorf("line %d has no %q", i+1, k)
			}
		}
		methods = append(methods, m["method"].(string))
		if m["method"] == "null" && m["intruders"] != 0.0 {
			t.Errorf("the null baseline has %v intruders", m["intruders"])
		}
	}
	if got := strings.Join(methods, " "); got != "null full lora lora lora lora" {
		t.Errorf("methods %s", got)
	}
	for i, line := range lines[7:] {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil || m["stage"] == nil || m["first_accuracy"] == nil || m["sequence"] == nil {
			t.Errorf("stage line %d: %s", i, line)
		}
	}
	// One line before the runs, one after each; the first stage of each
	// sequence is the fine-tune of its method on rot90, read back.
	if n := strings.Count(stderr, "\n"); n != 14 || !strings.Contains(stderr, "goglove: lora 12/12: sequence lora r=8 rsLoRA α=8, stage 2 (rot180): target ") ||
		strings.Count(stderr, "(from the trained-model cache)") != 3 {
		t.Errorf("stderr of %d lines:\n%s", n, stderr)
	}
	if results, err := os.ReadFile(filepath.Join(out, "results.jsonl")); err != nil || string(results) != stdout {
		t.Errorf("results.jsonl (%v) is not the lines printed", err)
	}
	var claims []map[string]any
	if b, err := os.ReadFile(filepath.Join(out, "claims.json")); err != nil || json.Unmarshal(b, &claims) != nil || len(claims) != 8 {
		t.Errorf("claims.json (%v): %s", err, b)
	}
	checkSVGs(t, out, "spectra.svg", "intruders.svg", "forgetting.svg")
	for _, name := range []string{"lora-r1.safetensors", "lora-r1-rs.safetensors", "lora-r8.safetensors", "lora-r8-rs.safetensors"} {
		a, err := trainer.ReadAdapter(filepath.Join(out, "adapters", name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if (a.Rank == 1) != strings.HasPrefix(name, "lora-r1") || a.RSLoRA != strings.Contains(name, "-rs") {
			t.Errorf("%s holds rank %d, rslora %v", name, a.Rank, a.RSLoRA)
		}
	}

	code, stdout, stderr = runCLI(t, t.Context(), "experiment", "lora", "--quick")
	if code != 0 {
		t.Fatalf("second run: exit code %d, stderr %q", code, stderr)
	}
	if strings.Count(stderr, "(from the trained-model cache)") != 13 {
		t.Errorf("second run: the pre-trained model was not taken from the cache:\n%s", stderr)
	}
	for _, want := range []string{"method  r", "null", "Sequential fine-tuning", "Claims", "8. Over the sequence of tasks"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the text output does not have %q:\n%s", want, stdout)
		}
	}
}

func TestExperimentLoRABadInput(t *testing.T) {
	code, _, stderr := runCLI(t, t.Context(), "experiment", "lora", "extra")
	if code != 2 || !strings.Contains(stderr, "experiment lora") {
		t.Errorf("an argument: code %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCLI(t, t.Context(), "experiment", "lora", "--seed", "-1")
	if code != 2 || !strings.Contains(stderr, "experiment lora: --seed: experiments: lora: seed: -1 is out of range") {
		t.Errorf("--seed -1: code %d, stderr %q", code, stderr)
	}
	code, stdout, _ := runCLI(t, t.Context(), "experiment", "lora", "--help")
	for _, want := range []string{"784-256-256-10", "0.2860", "rsLoRA", "pretrain_accuracy", "target_accuracy", "orig_accuracy", "intruders", "--quick", "--json", "--out", "spectra.svg", "intruders.svg", "forgetting.svg"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("experiment lora --help (code %d) does not mention %q", code, want)
		}
	}
}

// An interrupted experiment says so, exit code 1, after the lines
// finished (none here).
func TestExperimentLoRAInterrupted(t *testing.T) {
	needFashion(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	code, stdout, stderr := runCLI(t, ctx, "experiment", "lora", "--quick", "--json")
	if code != 1 || stdout != "" || !strings.HasSuffix(stderr, "goglove: experiment lora: interrupted; the lines printed are those finished\n") {
		t.Errorf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
