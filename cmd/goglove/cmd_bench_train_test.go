package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/internal/stats"
)

// quickTrainArgs make bench train measure for a moment only.
var quickTrainArgs = []string{"--seconds", "0.05", "--runs", "1"}

// decodeTrainFigures decodes the object bench train --json printed.
func decodeTrainFigures(t *testing.T, stdout string) (trainFigures, map[string]any) {
	t.Helper()
	var fig trainFigures
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fig); err != nil {
		t.Fatalf("bench train --json printed %q: %v", stdout, err)
	}
	var keys map[string]any
	if err := json.Unmarshal([]byte(stdout), &keys); err != nil {
		t.Fatal(err)
	}
	return fig, keys
}

func TestBenchTrainJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), append([]string{"bench", "train", "--json"}, quickTrainArgs...)...)
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stderr, "goglove: bench train: mlp 784-512-512-10 batch 128: ") {
		t.Errorf("stderr %q: want progress lines", stderr)
	}
	fig, keys := decodeTrainFigures(t, stdout)
	for _, k := range []string{"mlp_samples_per_s", "mlp_alone_samples_per_s", "mlp_alone_samples_per_cpu_s",
		"tiny_samples_per_s", "tiny_alone_samples_per_s", "gemm512_gflops", "gomaxprocs", "side_by_side", "seconds", "runs"} {
		if v, ok := keys[k].(float64); !ok || !(v > 0) {
			t.Errorf("key %q is %v, want a positive number", k, keys[k])
		}
	}
	if fig.SideBySide > 1 && (fig.MLPSideBySideSamplesPerS <= 0 || fig.TinySideBySideSamplesPerS <= 0) {
		t.Errorf("%d side by side, but side-by-side rates %v and %v", fig.SideBySide, fig.MLPSideBySideSamplesPerS, fig.TinySideBySideSamplesPerS)
	}
	if fig.MLPSamplesPerS != max(fig.MLPAloneSamplesPerS, fig.MLPSideBySideSamplesPerS) {
		t.Errorf("mlp_samples_per_s %v, want the better of %v and %v", fig.MLPSamplesPerS, fig.MLPAloneSamplesPerS, fig.MLPSideBySideSamplesPerS)
	}
	if fig.KernelPath == "" {
		t.Error("kernel_path is empty")
	}
	if len(fig.GemmShapes) != 8 {
		t.Errorf("%d GEMM shapes, want the 8 of the MLP's training step", len(fig.GemmShapes))
	}
	for _, g := range fig.GemmShapes {
		if !(g.GFLOPS > 0) || g.Name == "" || g.M*g.N*g.K == 0 {
			t.Errorf("GEMM shape %+v: want a name, sizes and positive GFLOP/s", g)
		}
	}
	for _, k := range []string{"torch", "mlp_vs_torch", "tiny_vs_torch"} {
		if _, ok := keys[k]; ok {
			t.Errorf("key %q without --torch", k)
		}
	}
}

func TestBenchTrainText(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), append([]string{"bench", "train"}, quickTrainArgs...)...)
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"kernel path ", "MLP 784-512-512-10, b=128", "MLP 64-32-10, b=32", "512^3", "MLP 784-512 fwd", "NT 128×512×512"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "PyTorch") {
		t.Errorf("a PyTorch column without --torch:\n%s", stdout)
	}
}

// TestBenchTimingBadInput: bench train and bench infer refuse the same
// bad timing flags, with one line and exit code 2.
func TestBenchTimingBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"zero seconds", []string{"--seconds", "0"}, "--seconds is 0, want more than 0"},
		{"NaN seconds", []string{"--seconds", "NaN"}, "--seconds is NaN"},
		{"too many seconds", []string{"--seconds", "4000"}, "at most 3600"},
		{"zero runs", []string{"--runs", "0"}, "--runs is 0, want 1 to 1000"},
		{"argument", []string{"extra"}, `unexpected argument "extra"`},
		{"bad number", []string{"--runs", "two"}, "invalid argument"},
		{"unknown flag", []string{"--fast"}, "unknown flag: --fast"},
	}
	for _, verb := range []string{"train", "infer"} {
		for _, tt := range tests {
			t.Run(verb+"/"+tt.name, func(t *testing.T) {
				code, stdout, stderr := runCLI(t, t.Context(), append([]string{"bench", verb}, tt.args...)...)
				if code != exitBadInput || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tt.want) {
					t.Errorf("exit code %d, stdout %q, stderr %q; want 2, nothing and one line containing %q", code, stdout, stderr, tt.want)
				}
			})
		}
	}
}

// fakePython writes an executable that stands for the Python interpreter:
// it reads the script from standard input and runs the shell commands
// body.
func fakePython(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "python")
	if err := os.WriteFile(p, []byte("#!/bin/sh\ncat >/dev/null\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBenchTrainTorchFake(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil || runtime.GOOS == "windows" {
		t.Skip("no sh to run a fake interpreter")
	}
	t.Run("ratios", func(t *testing.T) {
		py := fakePython(t, `echo 'warming up' >&2; echo '{"mlp_samples_per_s": 1000, "tiny_samples_per_s": 2000, "torch": "fake"}'`)
		code, stdout, stderr := runCLI(t, t.Context(), append([]string{"bench", "train", "--json", "--torch", "--python", py}, quickTrainArgs...)...)
		if code != 0 {
			t.Fatalf("exit code %d, stderr %q", code, stderr)
		}
		if !strings.Contains(stderr, "goglove: bench train: torch: warming up\n") {
			t.Errorf("stderr %q: want the script's lines passed on", stderr)
		}
		fig, keys := decodeTrainFigures(t, stdout)
		if want := stats.RoundSig(fig.MLPSamplesPerS/1000, 3); fig.MLPVsTorch != want {
			t.Errorf("mlp_vs_torch %v, want %v", fig.MLPVsTorch, want)
		}
		if want := stats.RoundSig(fig.TinySamplesPerS/2000, 3); fig.TinyVsTorch != want {
			t.Errorf("tiny_vs_torch %v, want %v", fig.TinyVsTorch, want)
		}
		if tv, _ := keys["torch"].(map[string]any); tv["torch"] != "fake" {
			t.Errorf("torch %v, want the script's object", keys["torch"])
		}
		code, stdout, _ = runCLI(t, t.Context(), append([]string{"bench", "train", "--torch", "--python", py}, quickTrainArgs...)...)
		if code != 0 || !strings.Contains(stdout, "PyTorch") || !strings.Contains(stdout, "   1000 ") {
			t.Errorf("text output (exit code %d) lacks the PyTorch column:\n%s", code, stdout)
		}
	})
	for _, tt := range []struct{ name, body, want string }{
		{"fails", `echo 'no module named torch' >&2; exit 1`, "the PyTorch reference failed: exit status 1 (no module named torch); it needs python3-torch"},
		{"garbage", `echo 'hello'`, `the PyTorch reference printed "hello", want a JSON object`},
		{"no interpreter", "", "the PyTorch reference failed: "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			py := fakePython(t, tt.body)
			if tt.name == "no interpreter" {
				py = filepath.Join(t.TempDir(), "no-such-python")
			}
			code, stdout, stderr := runCLI(t, t.Context(), append([]string{"bench", "train", "--json", "--torch", "--python", py}, quickTrainArgs...)...)
			if code != exitFailure || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit code %d, stderr %q; want 1 and %q", code, stderr, tt.want)
			}
			if fig, _ := decodeTrainFigures(t, stdout); !(fig.MLPSamplesPerS > 0) {
				t.Errorf("goglove's figures are missing after the reference failed: %s", stdout)
			}
		})
	}
}

// TestBenchTrainTorchReal runs the real PyTorch reference when Debian's
// python3-torch is installed.
func TestBenchTrainTorchReal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs PyTorch for a few seconds")
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import torch").Run(); err != nil {
		t.Skipf("no PyTorch (apt-get install python3-torch): %v", err)
	}
	code, stdout, stderr := runCLI(t, t.Context(), "bench", "train", "--json", "--torch", "--seconds", "0.2", "--runs", "1")
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	fig, _ := decodeTrainFigures(t, stdout)
	if !(fig.MLPVsTorch > 0) || !(fig.TinyVsTorch > 0) {
		t.Errorf("ratios %v and %v, want positive", fig.MLPVsTorch, fig.TinyVsTorch)
	}
}

// TestTorchEnv: the PyTorch reference runs without the variables that pin
// OpenBLAS to older kernels, and with everything else.
func TestTorchEnv(t *testing.T) {
	got := torchEnv([]string{"PATH=/bin", "OPENBLAS_CORETYPE=Haswell", "OPENBLAS_L2_SIZE=512", "OPENBLAS_NUM_THREADS=2", "HOME=/root"})
	want := []string{"PATH=/bin", "OPENBLAS_NUM_THREADS=2", "HOME=/root"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("torchEnv = %q, want %q", got, want)
	}
}
