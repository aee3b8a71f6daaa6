package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// stepsScript is a command objective that reports steps: it records its
// process group, leaves a child in the background, and reports value =
// the program's a at steps 1 to 8, then prints it as its final metrics.
const stepsScript = `#!/bin/sh
read p
a=$(echo "$p" | sed 's/.*"a": *\([0-9]*\).*/\1/')
cut -d' ' -f5 /proc/$$/stat > "$D/pgid-$GOGLOVE_TRIAL"
sleep 60 &
echo "log line"
for s in 1 2 3 4 5 6 7 8; do
  echo "{\"step\": $s, \"metrics\": {\"value\": $a}}"
  sleep 0.05
done
echo "{\"value\": $a}"
`

// TestSearchCommandSteps: a command objective's step reports reach the
// store and ASHA; the trials ASHA stops end early-stopped with their last
// step's metrics, their process groups gone, and the first, best trial
// completes with all its steps.
func TestSearchCommandSteps(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("D", dir)
	if err := os.WriteFile(filepath.Join(dir, "eval.sh"), []byte(stepsScript), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := "study: steps\nspace: {a: !oneof [1, 2, 3, 4]}\nalgorithm: grid\n" +
		"objective: {command: [./eval.sh], metrics: {value: minimize}, timeout: 30s}\n" +
		"early_stopping: {name: asha, min_resource: 1, reduction_factor: 2}\n"
	if err := os.WriteFile(filepath.Join(dir, "steps.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	store := "sqlite://" + filepath.Join(dir, "steps.db")
	start := time.Now()
	code, stdout, stderr := runCLI(t, t.Context(), "search", filepath.Join(dir, "steps.yaml"), "--store", store)
	if code != 0 {
		t.Fatalf("search: exit %d, stderr %q", code, stderr)
	}
	// Grid order: a = 1 first, the best; ASHA stops each worse one at
	// its first rung, step 1.
	if !strings.Contains(stdout, "1 completed, 0 failed, 0 skipped, 3 stopped early") {
		t.Fatalf("stdout %q, want 1 completed and 3 stopped early", stdout)
	}
	if elapsed := time.Since(start); elapsed > 15*time.Second {
		t.Fatalf("search took %v: stopped commands were not ended", elapsed)
	}
	code, stdout, stderr = runCLI(t, t.Context(), "trials", "--store", store, "--study", "steps", "--json")
	if code != 0 {
		t.Fatalf("trials: exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 4 {
		t.Fatalf("trials: %q, want 4 lines", stdout)
	}
	for i, line := range lines {
		var tr trialLineJSON
		if err := json.Unmarshal([]byte(line), &tr); err != nil {
			t.Fatal(err)
		}
		a := float64(i + 1)
		wantState, wantSteps := "early_stopped", 1
		if i == 0 {
			wantState, wantSteps = "completed", 8
		}
		if tr.State != wantState || len(tr.Steps) != wantSteps || tr.Metrics["value"] != a {
			t.Fatalf("trial %d: %s, steps %v, metrics %v; want %s, %d steps, value %v", i, tr.State, tr.Steps, tr.Metrics, wantState, wantSteps, a)
		}
		for j, s := range tr.Steps {
			if s.Step != j+1 || s.Metrics["value"] != a {
				t.Fatalf("trial %d: steps %v", i, tr.Steps)
			}
		}
		data, err := os.ReadFile(filepath.Join(dir, "pgid-"+strconv.Itoa(i)))
		if err != nil {
			t.Fatal(err)
		}
		pgid, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err != nil || pgid <= 1 {
			t.Fatalf("trial %d: pgid %q", i, data)
		}
		deadline := time.Now().Add(2 * time.Second)
		for !errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH) {
			if time.Now().After(deadline) {
				t.Fatalf("trial %d: process group %d is still there", i, pgid)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}
