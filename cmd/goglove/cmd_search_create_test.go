package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/sqlitestore"
)

// writeFile writes a file of the test's temporary directory and returns
// its path.
func writeTestFile(t *testing.T, dir, name, src string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// keptConfig reads the config a study keeps in a SQLite store.
func keptConfig(t *testing.T, db, study string) *search.Config {
	t.Helper()
	st, err := sqlitestore.Open(t.Context(), strings.TrimPrefix(db, "sqlite://"), &sqlitestore.Options{Registry: newRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	info, err := st.Study(t.Context(), study)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := search.ConfigFromStudy(newRegistry(), info)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestCreateWithoutObjective: a config with metrics but neither builtin
// nor command creates a study for ask and tell; search and worker refuse
// to run it, in one line, exit 2.
func TestCreateWithoutObjective(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "at.yaml", "study: at\nspace: {a: !oneof [1, 2, 3]}\nobjective: {metrics: {loss: minimize}}\nbudget: {trials: 2}\n")
	db := "sqlite://" + filepath.Join(dir, "s.db")
	code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", db, "--create")
	want := "study at is ready in the SQLite file " + filepath.Join(dir, "s.db") + "; it has no objective: ask for trials with: goglove ask --store " + db + " --study at, and tell their results with goglove tell\n"
	if code != 0 || stdout != want || stderr != "" {
		t.Fatalf("search --create: exit %d, stdout %q, stderr %q; want 0 and %q", code, stdout, stderr, want)
	}
	code, stdout, stderr = runCLI(t, t.Context(), "ask", "--store", db, "--study", "at", "--json")
	var a askJSON
	if code != 0 || json.Unmarshal([]byte(stdout), &a) != nil || a.Trial == nil {
		t.Fatalf("ask: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, stdout, stderr := runCLI(t, t.Context(), "tell", "--store", db, "--study", "at", "--trial", "0", "--metrics", `{"loss": 0.5}`); code != 0 {
		t.Fatalf("tell: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"worker", []string{"worker", "--store", db, "--study", "at"}, "worker: study at has no objective"},
		{"search", []string{"search", cfg, "--store", db}, "objective: neither builtin nor command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), tc.args...)
			if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and one line with %q", code, stdout, stderr, tc.want)
			}
		})
	}
	if code, stdout, _ := runCLI(t, t.Context(), "best", "--store", db, "--study", "at"); code != 0 || !strings.Contains(stdout, "loss: 0.5") {
		t.Errorf("best after tell: exit %d, %q", code, stdout)
	}
}

// TestCreateKeepsFlags: the flags given to search --create are kept in
// the study's config, and a worker runs with them.
func TestCreateKeepsFlags(t *testing.T) {
	const branin = "study: br\nobjective: {builtin: branin}\nbudget: {trials: 200}\nseed: 1\n"
	const failing = "study: fl\nspace: {a: !oneof [1, 2, 3, 4, 5, 6, 7, 8]}\nobjective: {command: [sh, -c, \"exit 1\"], metrics: {v: minimize}, timeout: 10s}\nbudget: {trials: 200}\n"
	tests := []struct {
		name   string
		config string
		flags  []string
		// what the worker prints with --json
		check func(t *testing.T, code int, out workerJSON, cfg *search.Config)
	}{
		{"trials, seed and workers", branin, []string{"--trials", "7", "--seed", "3", "--workers", "2"},
			func(t *testing.T, code int, out workerJSON, cfg *search.Config) {
				if code != 0 || out.StudyEnded != 7 || out.Budget != 7 {
					t.Errorf("worker: exit %d, %+v; want 7 trials", code, out)
				}
				if cfg.Seed != 3 || cfg.Workers != 2 || cfg.Budget.Trials != 7 {
					t.Errorf("kept config: seed %d, workers %d, trials %d; want 3, 2, 7", cfg.Seed, cfg.Workers, cfg.Budget.Trials)
				}
			}},
		{"completed", branin, []string{"--trials", "0", "--completed", "5"},
			func(t *testing.T, code int, out workerJSON, cfg *search.Config) {
				if code != 0 || out.StudyCompleted != 5 || out.BudgetComplete != 5 || out.StopReason != "the budget of completed trials is spent" {
					t.Errorf("worker: exit %d, %+v; want 5 completed", code, out)
				}
			}},
		{"max failures", failing, []string{"--max-failures", "2"},
			func(t *testing.T, code int, out workerJSON, cfg *search.Config) {
				if code != 1 || out.StudyEnded != 3 {
					t.Errorf("worker: exit %d, %+v; want exit 1 after 3 failed trials", code, out)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := writeTestFile(t, dir, "c.yaml", tt.config)
			db := "sqlite://" + filepath.Join(dir, "s.db")
			study := map[bool]string{true: "br", false: "fl"}[strings.HasPrefix(tt.config, "study: br")]
			args := append([]string{"search", cfg, "--store", db, "--create"}, tt.flags...)
			if code, stdout, stderr := runCLI(t, t.Context(), args...); code != 0 || !strings.Contains(stdout, "start workers with: goglove worker --store "+db+" --study "+study+"\n") {
				t.Fatalf("search --create: exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			code, stdout, stderr := runCLI(t, t.Context(), "worker", "--store", db, "--study", study, "--json")
			var out workerJSON
			if err := json.Unmarshal([]byte(stdout), &out); err != nil {
				t.Fatalf("worker: exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			tt.check(t, code, out, keptConfig(t, db, study))
		})
	}
}

// TestCreateExistingStudy: search --create on a study that exists checks
// it; a flag that would change the config it keeps is refused.
func TestCreateExistingStudy(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "br.yaml", "study: br\nobjective: {builtin: branin}\nbudget: {trials: 20}\n")
	db := "sqlite://" + filepath.Join(dir, "s.db")
	if code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", db, "--create", "--trials", "7"); code != 0 {
		t.Fatalf("search --create: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for _, tc := range []struct {
		name  string
		flags []string
		code  int
		want  string
	}{
		{"the same flags", []string{"--trials", "7"}, 0, "study br is ready"},
		{"no flag", nil, 0, "study br is ready"},
		{"another budget", []string{"--trials", "9"}, 2, "the config it keeps has budget.trials 7, not 9 (--trials)"},
		{"another seed", []string{"--trials", "7", "--seed", "4"}, 2, "the config it keeps has seed 0, not 4 (--seed)"},
		{"another heartbeat", []string{"--trials", "7", "--heartbeat-interval", "1s"}, 2, "heartbeat.interval the default, not 1s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"search", cfg, "--store", db, "--create"}, tc.flags...)
			code, stdout, stderr := runCLI(t, t.Context(), args...)
			if code != tc.code || !strings.Contains(stdout+stderr, tc.want) || strings.Count(stdout+stderr, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d and one line with %q", code, stdout, stderr, tc.code, tc.want)
			}
		})
	}
}

// TestRedactedStoreURL: the URL shown in the line to start workers is
// storeurl.Redact's (tested there), quoted for a shell where it needs it.
func TestRedactedStoreURL(t *testing.T) {
	tests := []struct {
		url, want string
		hidden    bool
	}{
		{"sqlite://goglove.db", "sqlite://goglove.db", false},
		{"sqlite://my studies/a.db", "'sqlite://my studies/a.db'", false},
		{"postgres://alice:s3cret@db.example:5432/goglove?sslmode=disable", "'postgres://alice:xxxxx@db.example:5432/goglove?sslmode=disable'", true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			got, hidden := redactedStoreURL(tt.url)
			if got != tt.want || hidden != tt.hidden || strings.Contains(got, "s3cret") {
				t.Errorf("redactedStoreURL = %q, %v; want %q, %v", got, hidden, tt.want, tt.hidden)
			}
		})
	}
}
