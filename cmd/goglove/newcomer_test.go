package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestStoreSourceInMessages: a store error names where the URL came
// from: --store, $GOGLOVE_STORE or the default store.
func TestStoreSourceInMessages(t *testing.T) {
	missing := "sqlite://" + filepath.Join(t.TempDir(), "none.db")
	tests := []struct {
		name string
		env  string
		args []string
		want string
	}{
		{"ask, flag", "mem://", []string{"ask", "--study", "s", "--store", missing}, "goglove: ask: --store: no SQLite file "},
		{"ask, environment", missing, []string{"ask", "--study", "s"}, "goglove: ask: $GOGLOVE_STORE: no SQLite file "},
		{"tell, environment", missing, []string{"tell", "--study", "s", "--trial", "0", "--fail", "x"}, "goglove: tell: $GOGLOVE_STORE: no SQLite file "},
		{"trials, environment, unknown store", "redis://cache/0", []string{"trials", "--study", "s"}, "goglove: trials: $GOGLOVE_STORE redis://…: unknown store"},
		{"ask, environment, bad mem", "mem://x", []string{"ask", "--study", "s"}, "goglove: ask: $GOGLOVE_STORE mem://: the in-memory store takes no name"},
		{"search, environment, no URL", "goglove.db", []string{"search", "CONFIG"}, "search: $GOGLOVE_STORE: want a URL such as mem://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOGLOVE_STORE", tt.env)
			for i, a := range tt.args {
				if a == "CONFIG" {
					tt.args[i] = writeTestFile(t, t.TempDir(), "br.yaml", "study: br\nobjective: {builtin: branin}\n")
				}
			}
			code, stdout, stderr := runCLI(t, t.Context(), tt.args...)
			if code != 2 || stdout != "" || !strings.HasPrefix(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and a line starting %q", code, stdout, stderr, tt.want)
			}
		})
	}
}

// TestHelpTexts: the root help lists every exit code, and version's help
// describes the versions Go stamps today.
func TestHelpTexts(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"0 success", "1 failure", "2 bad input", "3 no trial can start"}},
		{[]string{"version", "--help"}, []string{"pseudo-version", "v0.0.0-20260105093000-0123456789ab", `"+dirty"`, "devel"}},
		{[]string{"best", "--help"}, []string{"--program", "goglove train best.yaml"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), tt.args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("help does not mention %q:\n%s", w, stdout)
				}
			}
		})
	}
}
