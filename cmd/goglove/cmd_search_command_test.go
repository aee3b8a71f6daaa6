package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
			"objective: {command: [" + command + "], metrics: {loss: minimize}}\n"
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
