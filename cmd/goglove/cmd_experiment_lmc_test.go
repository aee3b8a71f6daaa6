package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExperimentLMCHelp(t *testing.T) {
	code, stdout, _ := runCLI(t, t.Context(), "experiment", "--help")
	if code != 0 || !strings.Contains(stdout, "goglove experiment lmc") {
		t.Errorf("experiment --help does not list lmc:\n%s", stdout)
	}
	code, stdout, _ = runCLI(t, t.Context(), "experiment", "lmc", "--help")
	for _, want := range []string{"784-W-W-W-10", "nn.Linear", "0.2860", "0.3530", "batch 500", "11 values of λ", "--width", "--epochs", "--seeds", "--quick", "--json", "--out", "path.csv", "loss.svg", "accuracy.svg"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("experiment lmc --help (code %d) does not mention %q", code, want)
		}
	}
	for _, k := range lmcKeys {
		if !strings.Contains(stdout, `"`+k+`"`) {
			t.Errorf("experiment lmc --help does not name the key %q", k)
		}
	}
}

func TestExperimentLMCBadInput(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--seeds", "0,1"}, "goglove: experiment lmc: --seeds: 2 seeds; want three, the seeds of models 1, 2 and 3"},
		{[]string{"--seeds", "0,x,2"}, `goglove: experiment lmc: --seeds: "x" is not a whole number; want a comma list such as 0,1,2`},
		{[]string{"--seeds", "0,1,1"}, "goglove: experiment lmc: --seeds: 1 is given twice"},
		{[]string{"--width", "0"}, "goglove: experiment lmc: --width: 0 is out of range; want 1 to 65536"},
		{[]string{"--epochs", "0"}, "goglove: experiment lmc: --epochs: 0 is out of range; want 1 to 100000"},
		{[]string{"extra"}, `goglove: experiment lmc: unexpected argument "extra"; usage: ` + lmcUsage},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), append([]string{"experiment", "lmc"}, tt.args...)...)
			if code != 2 || stdout != "" || stderr != tt.want+"\n" {
				t.Errorf("code %d, stdout %q, stderr %q; want 2, none and %q", code, stdout, stderr, tt.want)
			}
		})
	}
}

// lmcKeys are the keys of issue 16 that --json prints, at least.
var lmcKeys = []string{"acc", "l2_ratio", "loss_barrier_naive", "loss_barrier_wm", "acc_barrier_naive", "acc_barrier_wm", "mid_acc_naive", "mid_acc_wm",
	"perm_singular_values_maxdiff", "bc_loss_barrier_naive", "bc_loss_barrier_wm_anchor", "bc_loss_barrier_ste", "avg3_acc_naive", "avg3_acc_wm", "avg3_acc_ste", "wm_seconds"}

// The quick mode prints one JSON object with the keys and writes
// the path as data; the text names every claim.
func TestExperimentLMCQuick(t *testing.T) {
	needFashion(t)
	t.Setenv("GOGLOVE_CACHE", t.TempDir())
	out := filepath.Join(t.TempDir(), "new", "dir")
	code, stdout, stderr := runCLI(t, t.Context(), "experiment", "lmc", "--quick", "--json", "--out", out)
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	if strings.Count(stdout, "\n") != 1 {
		t.Fatalf("want one JSON line:\n%s", stdout)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range lmcKeys {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %s", k, stdout)
		}
	}
	if acc, _ := m["acc"].([]any); len(acc) != 3 || m["width"] != 32.0 || m["epochs"] != 1.0 {
		t.Errorf("acc %v, width %v, epochs %v", m["acc"], m["width"], m["epochs"])
	}
	if !strings.Contains(stderr, "goglove: lmc: model 1 (seed 0): test accuracy ") || !strings.Contains(stderr, "goglove: lmc: STE of model 2 to model 1: 20 steps") {
		t.Errorf("stderr %q", stderr)
	}
	csv, err := os.ReadFile(filepath.Join(out, "path.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if len(lines) != 12 || lines[0] != "lambda,loss_naive,loss_wm,loss_ste,acc_naive,acc_wm,acc_ste" || !strings.HasPrefix(lines[6], "0.5,") || !strings.HasPrefix(lines[11], "1,") {
		t.Errorf("path.csv:\n%s", csv)
	}
	for _, f := range []string{"result.json", "summary.txt"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	checkSVGs(t, out, "loss.svg", "accuracy.svg")
	// Again, as text: the models come from the cache.
	code, stdout, _ = runCLI(t, t.Context(), "experiment", "lmc", "--quick")
	if code != 0 || !strings.Contains(stdout, "(cached)") || strings.Count(stdout, "\n1. ") != 1 || !strings.Contains(stdout, "\n7. Does weight matching beat STE on three models? ") {
		t.Errorf("text output (code %d):\n%s", code, stdout)
	}
}
