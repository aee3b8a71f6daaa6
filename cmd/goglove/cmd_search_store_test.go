package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
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
			"objective: {command: [sh, -c, \"read p; echo '{\\\"v\\\": 1}'\"], metrics: {v: maximize}, timeout: 20s}\nbudget: {trials: 5}\n"
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

// TestSearchPostgres runs a search into PostgreSQL (GOGLOVE_TEST_POSTGRES)
// and continues it; without the variable it skips.
func TestSearchPostgres(t *testing.T) {
	url := os.Getenv("GOGLOVE_TEST_POSTGRES")
	if url == "" {
		t.Skip("GOGLOVE_TEST_POSTGRES is not set; to run the PostgreSQL tests set it to a database URL, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable (see README, Tests)")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	study := "cli-pg-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	src := "study: " + study + "\nobjective: {builtin: branin, metrics: {value: minimize}}\nalgorithm: {name: cmaes}\nbudget: {trials: 6}\n"
	if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, trials := range []string{"6", "10"} {
		code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", url, "--trials", trials, "--json")
		if code != 0 {
			t.Fatalf("run %d: exit %d, stderr %q", i, code, stderr)
		}
		if out := decodeSearchJSON(t, stdout, false); strconv.Itoa(out.Completed) != trials {
			t.Fatalf("run %d: %d completed, want %s", i, out.Completed, trials)
		}
	}
}

// TestSearchStoreErrorsHidePasswords checks that a store that cannot be
// reached fails with one line that does not show the URL's password.
func TestSearchStoreErrorsHidePasswords(t *testing.T) {
	code, _, stderr := runCLI(t, t.Context(), "search", searchFile("branin.yaml"),
		"--store", "postgres://admin:s3cret@127.0.0.1:1/studies?connect_timeout=2")
	if code == 0 || strings.Contains(stderr, "s3cret") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Fatalf("exit %d, stderr %q: want a failure on one line without the password", code, stderr)
	}
}
