package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSearchSQLiteResume runs a search into a SQLite file, runs it again
// with a larger budget (the study continues where it stopped), and then
// with another space under the same study name (refused, naming the
// difference).
func TestSearchSQLiteResume(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite://" + filepath.Join(dir, "studies.db")
	cfg := filepath.Join(dir, "c.yaml")
	write := func(space string) {
		t.Helper()
		src := "study: resume\nspace: {x: " + space + "}\nalgorithm: {name: evolution, population: 4, tournament: 2}\n" +
			"objective: {command: [sh, -c, \"read p; echo '{\\\"v\\\": 1}'\"], metrics: {v: maximize}}\nbudget: {trials: 5}\n"
		if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("!float {min: 0, max: 1}")
	code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", db, "--json")
	if code != 0 {
		t.Fatalf("first run: exit %d, stderr %q", code, stderr)
	}
	if out := decodeSearchJSON(t, stdout, false); out.Completed != 5 {
		t.Fatalf("first run: %d completed, want 5", out.Completed)
	}
	code, stdout, stderr = runCLI(t, t.Context(), "search", cfg, "--store", db, "--trials", "9", "--json")
	if code != 0 {
		t.Fatalf("second run: exit %d, stderr %q", code, stderr)
	}
	if out := decodeSearchJSON(t, stdout, false); out.Completed != 9 {
		t.Fatalf("resumed run: %d completed, want 9 (5 kept and 4 new)", out.Completed)
	}
	write("!float {min: 0, max: 2}")
	code, _, stderr = runCLI(t, t.Context(), "search", cfg, "--store", db)
	want := `search: already exists: study "resume" exists with another config: space differs at space.x: ` +
		`!float {min: 0.0, max: 1.0} -> !float {min: 0.0, max: 2.0}; give the study another name`
	if code != 2 || strings.TrimSpace(stderr) != want {
		t.Fatalf("changed space: exit %d, stderr\n%q\nwant 2 and\n%q", code, stderr, want)
	}
}
