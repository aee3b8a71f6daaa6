package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// slowConfig is a search of 4 trials of about 0.3s each, one at a time.
const slowConfig = "study: slow\nspace: {a: !oneof [1, 2, 3, 4]}\nalgorithm: grid\n" +
	"objective: {command: [sh, -c, \"sleep 0.3; echo '{\\\"v\\\": 1}'\"], metrics: {v: minimize}, timeout: 10s}\nbudget: {trials: 4}\n"

// TestPlainProgress: when standard error is not a terminal, search and
// worker print a plain progress line every --progress-every, none with 0
// or for a search shorter than the interval; stdout is untouched.
func TestPlainProgress(t *testing.T) {
	line := regexp.MustCompile(`^goglove: progress: trials [0-9]+/4  completed [0-9]+  failed 0  best v [-0-9.]+  [0-9.]+ trials/s  [0-9.]+m?s( {2}running .*)?$`)
	tests := []struct {
		name     string
		verb     string
		every    string
		minLines int
		maxLines int
	}{
		{"search every 200ms", "search", "200ms", 2, 50},
		{"search never", "search", "0", 0, 0},
		{"search shorter than the interval", "search", "1m", 0, 0},
		{"worker every 200ms", "worker", "200ms", 2, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := writeTestFile(t, dir, "slow.yaml", slowConfig)
			db := "sqlite://" + filepath.Join(dir, "s.db")
			args := []string{"search", cfg, "--store", db, "--json", "--progress-every", tt.every}
			if tt.verb == "worker" {
				if code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", db, "--create"); code != 0 {
					t.Fatalf("search --create: exit %d, stdout %q, stderr %q", code, stdout, stderr)
				}
				args = []string{"worker", "--store", db, "--study", "slow", "--json", "--progress-every", tt.every}
			}
			code, stdout, stderr := runCLI(t, t.Context(), args...)
			var out map[string]any
			if code != 0 || json.Unmarshal([]byte(stdout), &out) != nil {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			if strings.ContainsAny(stderr, "\r\x1b") {
				t.Errorf("stderr %q: carriage returns or escapes in plain progress", stderr)
			}
			n := 0
			for l := range strings.Lines(stderr) {
				if strings.HasPrefix(l, "goglove: note: worker ") {
					continue // the worker's start note
				}
				if !line.MatchString(strings.TrimSuffix(l, "\n")) {
					t.Errorf("stderr line %q is not a progress line", l)
				}
				n++
			}
			if n < tt.minLines || n > tt.maxLines {
				t.Errorf("%d progress lines, want %d to %d: %q", n, tt.minLines, tt.maxLines, stderr)
			}
		})
	}
	t.Run("negative", func(t *testing.T) {
		cfg := writeTestFile(t, t.TempDir(), "slow.yaml", slowConfig)
		code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--progress-every", "-1s")
		if code != 2 || stdout != "" || !strings.Contains(stderr, "--progress-every is -1s") {
			t.Errorf("exit %d, stdout %q, stderr %q; want 2", code, stdout, stderr)
		}
	})
}
