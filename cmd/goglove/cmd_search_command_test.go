package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSearchCommandPath: a command with a slash in its name is relative
// to the config's directory, wherever goglove runs and however the config
// is named; a bare name is looked up on PATH only.
func TestSearchCommandPath(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "exp")
	elsewhere := filepath.Join(root, "elsewhere")
	for _, d := range []string{filepath.Join(dir, "bin"), elsewhere} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	script := "#!/bin/sh\nread p\necho '{\"loss\": 1}'\n"
	for _, p := range []string{filepath.Join(dir, "eval.sh"), filepath.Join(dir, "bin", "eval.sh")} {
		if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeConfig := func(name, command string) {
		cfg := "study: " + strings.TrimSuffix(name, ".yaml") + "\nspace: {a: !oneof [1, 2]}\nalgorithm: grid\n" +
			"objective: {command: [" + command + "], metrics: {loss: minimize}, timeout: 20s}\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeConfig("dot.yaml", "./eval.sh")
	writeConfig("sub.yaml", "bin/eval.sh")
	writeConfig("bare.yaml", "eval.sh")
	tests := []struct {
		name, cwd, config string
		code              int
		stderr            string
	}{
		{"./ from the config's directory", dir, "dot.yaml", 0, ""},
		{"./ from elsewhere", elsewhere, filepath.Join("..", "exp", "dot.yaml"), 0, ""},
		{"./ by an absolute config path", elsewhere, filepath.Join(dir, "dot.yaml"), 0, ""},
		{"a subdirectory, from the config's directory", dir, "sub.yaml", 0, ""},
		{"a subdirectory, from elsewhere", elsewhere, filepath.Join(dir, "sub.yaml"), 0, ""},
		{"a bare name is not looked up in the config's directory", dir, "bare.yaml", 2,
			`symbolic: bare.yaml: objective.command[0]: command "eval.sh" is not found on PATH` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(tt.cwd)
			code, stdout, stderr := runCLI(t, t.Context(), "search", tt.config, "--store", "mem://")
			if code != tt.code || stderr != tt.stderr {
				t.Fatalf("exit code %d, stderr %q; want %d and %q (stdout %q)", code, stderr, tt.code, tt.stderr, stdout)
			}
			if code == 0 && !strings.Contains(stdout, "2 completed, 0 failed") {
				t.Fatalf("stdout %q, want both trials completed", stdout)
			}
		})
	}
}

// TestSearchNoTimeoutNote: a command objective without objective.timeout
// is said at start, by search and by worker; one with a timeout, or a
// built-in objective, is not.
func TestSearchNoTimeoutNote(t *testing.T) {
	dir := t.TempDir()
	const note = "goglove: note: objective.command has no objective.timeout: a command that hangs holds its trial, and this worker, forever; set one, e.g. timeout: 1h\n"
	tests := []struct {
		name, objective, stderr string
	}{
		{"no timeout", `{command: [sh, -c, "read p; echo '{\"loss\": 1}'"], metrics: {loss: minimize}}`, note},
		{"a timeout", `{command: [sh, -c, "read p; echo '{\"loss\": 1}'"], metrics: {loss: minimize}, timeout: 1m}`, ""},
		{"built-in", `{builtin: branin}`, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			study := "note" + string(rune('a'+i))
			cfg := filepath.Join(dir, study+".yaml")
			src := "study: " + study + "\nspace: {a: !oneof [1, 2]}\nalgorithm: grid\nobjective: " + tt.objective + "\nbudget: {trials: 2}\n"
			if tt.objective == "{builtin: branin}" {
				src = "study: " + study + "\nobjective: {builtin: branin}\nbudget: {trials: 2}\n"
			}
			if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			store := "sqlite://" + filepath.Join(dir, study+".db")
			if code, _, stderr := runCLI(t, t.Context(), "search", cfg, "--store", store, "--create"); code != 0 || stderr != "" {
				t.Fatalf("search --create: exit code %d, stderr %q; want 0 and no note (nothing runs)", code, stderr)
			}
			// A worker first says what it runs (worker_trust.go), then notes.
			code, _, stderr := runCLI(t, t.Context(), "worker", "--store", store, "--study", study)
			first, rest, _ := strings.Cut(stderr, "\n")
			if code != 0 || !strings.Contains(first, "study "+study+" runs") || rest != tt.stderr {
				t.Fatalf("worker: exit code %d, stderr %q; want 0, what it runs and %q", code, stderr, tt.stderr)
			}
			if code, _, stderr := runCLI(t, t.Context(), "search", cfg, "--store", "mem://"); code != 0 || stderr != tt.stderr {
				t.Fatalf("search: exit code %d, stderr %q; want 0 and %q", code, stderr, tt.stderr)
			}
		})
	}
}

// TestSearchProgressRunning: the progress line shows the trials being
// evaluated and how long each has run.
func TestSearchProgressRunning(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "slow.yaml")
	src := "study: slow1\nspace: {a: !oneof [1]}\nalgorithm: grid\n" +
		"objective: {command: [sh, -c, \"read p; sleep 1.5; echo '{\\\"loss\\\": 1}'\"], metrics: {loss: minimize}, timeout: 1m}\n"
	if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	if err := runSearch(t.Context(), searchOptions{progress: true}, []string{cfg}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	got := stderr.String()
	for _, want := range []string{"  running 0 0s\x1b[K", "  running 0 1s\x1b[K"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress output %q lacks %q", got, want)
		}
	}
}

func TestFormatRunning(t *testing.T) {
	tests := []struct {
		name    string
		running []runningTrial
		want    string
	}{
		{"none", nil, ""},
		{"one", []runningTrial{{3, 1500 * time.Millisecond}}, "  running 3 1s"},
		{"longest first", []runningTrial{{4, 2 * time.Second}, {2, 185 * time.Second}, {5, 2 * time.Second}},
			"  running 2 3m5s, 4 2s, 5 2s"},
		{"the rest counted", []runningTrial{{1, time.Second}, {2, 2 * time.Second}, {3, 3 * time.Second}, {4, 4 * time.Second}, {5, 0}},
			"  running 4 4s, 3 3s, 2 2s +2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatRunning(tt.running); got != tt.want {
				t.Errorf("formatRunning = %q, want %q", got, tt.want)
			}
		})
	}
}
