package pytorch

import (
	"bytes"
	"os/exec"
	"testing"
)

func TestBenchTrainEmbedded(t *testing.T) {
	if !bytes.HasPrefix(BenchTrain, []byte("#!/usr/bin/env python3\n")) || !bytes.Contains(BenchTrain, []byte(`"mlp_samples_per_s"`)) {
		t.Fatalf("BenchTrain does not hold bench_train.py (%d bytes)", len(BenchTrain))
	}
}

// TestBenchTrainHelp runs the script's --help, which needs Python but not
// PyTorch: the script imports torch only after parsing its flags.
func TestBenchTrainHelp(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	cmd := exec.Command(py, "-", "--help")
	cmd.Stdin = bytes.NewReader(BenchTrain)
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("usage: bench_train.py")) {
		t.Errorf("python3 - --help: %v\n%s", err, out)
	}
}
