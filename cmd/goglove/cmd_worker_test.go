package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// newTestStudy writes the config src to a new directory (with the files
// given beside it, executable) and creates its study, named study, in a
// new SQLite file there; it returns the store URL and the directory.
func newTestStudy(t *testing.T, study, src string, files map[string]string) (db, dir string) {
	t.Helper()
	dir = t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	db = "sqlite://" + filepath.Join(dir, "s.db")
	code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", db, "--create")
	if code != 0 || !strings.Contains(stdout, "study "+study+" is ready") {
		t.Fatalf("search --create: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	return db, dir
}

// brStudy creates a branin study with the budget given; it returns the
// store URL.
func brStudy(t *testing.T, trials string) string {
	t.Helper()
	db, _ := newTestStudy(t, "br", "study: br\nobjective: {builtin: branin, metrics: {value: minimize}}\nalgorithm: {name: tpe}\nbudget: {trials: "+trials+"}\n", nil)
	return db
}

func TestWorkersShareStudy(t *testing.T) {
	db := brStudy(t, "30")
	var wg sync.WaitGroup
	outs := make([]workerJSON, 3)
	for i := range outs {
		wg.Go(func() {
			code, stdout, stderr := runCLI(t, t.Context(), "worker", "--store", db, "--study", "br", "--json", "--name", "w"+strconv.Itoa(i))
			if code != 0 || json.Unmarshal([]byte(stdout), &outs[i]) != nil {
				t.Errorf("worker %d: exit %d, stdout %q, stderr %q", i, code, stdout, stderr)
			}
		})
	}
	wg.Wait()
	total := 0
	for _, o := range outs {
		total += o.Completed
		if o.StudyCompleted != 30 || o.Budget != 30 || o.StopReason != "the trial budget is spent" {
			t.Errorf("worker result %+v", o)
		}
	}
	if total != 30 {
		t.Errorf("the workers completed %d trials together, want 30", total)
	}
	// A worker joining a finished study exits at once.
	code, stdout, _ := runCLI(t, t.Context(), "worker", "--store", db, "--study", "br")
	if code != 0 || !strings.Contains(stdout, "evaluated 0 trials") {
		t.Errorf("worker on a finished study: exit %d, %q", code, stdout)
	}
}

func TestWorkerLimitAndErrors(t *testing.T) {
	db := brStudy(t, "0")
	code, stdout, stderr := runCLI(t, t.Context(), "worker", "--store", db, "--study", "br", "--trials", "4", "--json")
	var out workerJSON
	if code != 0 || json.Unmarshal([]byte(stdout), &out) != nil || out.Evaluated != 4 || out.StopReason != "this worker's trial limit is reached" {
		t.Errorf("worker --trials 4: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"worker", "--store", db}, "missing --study"},
		{[]string{"worker", "--store", db, "--study", "nope"}, `study "nope"`},
		{[]string{"worker", "--store", db, "--study", "br", "--heartbeat-interval", "2s", "--heartbeat-timeout", "1s"}, "not longer than the interval"},
		{[]string{"worker", "--store", "sqlite://" + filepath.Join(t.TempDir(), "none.db"), "--study", "br"}, "no SQLite file"},
		{[]string{"ask", "--store", db}, "missing --study"},
		{[]string{"tell", "--store", db, "--study", "br", "--trial", "0"}, "give --metrics or --fail"},
		{[]string{"tell", "--store", db, "--study", "br", "--trial", "0", "--metrics", "[1]"}, "want a JSON object"},
		{[]string{"tell", "--store", db, "--study", "br", "--trial", "99", "--metrics", `{"value": 1}`}, "trial 99"},
	} {
		code, stdout, stderr := runCLI(t, t.Context(), tc.args...)
		if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and one line with %q", tc.args, code, stdout, stderr, tc.want)
		}
	}
}

func TestAskTell(t *testing.T) {
	db := brStudy(t, "2")
	ask := func() (askJSON, int) {
		code, stdout, stderr := runCLI(t, t.Context(), "ask", "--store", db, "--study", "br", "--json")
		var a askJSON
		if err := json.Unmarshal([]byte(stdout), &a); err != nil {
			t.Fatalf("ask: exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
		return a, code
	}
	a, code := ask()
	if code != 0 || a.Trial == nil || *a.Trial != 0 || len(a.DNA) == 0 || len(a.Program) == 0 {
		t.Fatalf("first ask: %d, %+v", code, a)
	}
	tell := func(args ...string) (int, string) {
		code, stdout, stderr := runCLI(t, t.Context(), append([]string{"tell", "--store", db, "--study", "br"}, args...)...)
		return code, stdout + stderr
	}
	if code, out := tell("--trial", "0", "--metrics", `{"loss": 1}`); code != 2 || !strings.Contains(out, `metric "value" is missing`) {
		t.Errorf("tell without the objective: %d %q", code, out)
	}
	if code, out := tell("--trial", "0", "--metrics", `{"value": 1.5}`); code != 0 || !strings.Contains(out, "trial 0 of study br: completed") {
		t.Errorf("tell: %d %q", code, out)
	}
	if code, out := tell("--trial", "0", "--metrics", `{"value": 1.5}`); code != 0 {
		t.Errorf("telling the same result again: %d %q", code, out)
	}
	if code, out := tell("--trial", "0", "--metrics", `{"value": 2}`); code != 1 || !strings.Contains(out, "already ended") {
		t.Errorf("telling another result: %d %q", code, out)
	}
	code, stdout, _ := runCLI(t, t.Context(), "ask", "--store", db, "--study", "br")
	if code != 0 || !strings.HasPrefix(stdout, "trial 1 of study br\ndna: ") || !strings.Contains(stdout, "program:\n  ") {
		t.Errorf("ask (text): %d %q", code, stdout)
	}
	// The budget of 2 is taken: exit 3, with the reason.
	if a, code := ask(); code != exitNoTrial || a.Trial != nil || !strings.Contains(a.Reason, "taken by 1 running") {
		t.Errorf("ask with the budget taken: %d %+v", code, a)
	}
	if code, out := tell("--trial", "1", "--fail", "diverged"); code != 0 || !strings.Contains(out, "failed") {
		t.Errorf("tell --fail: %d %q", code, out)
	}
	// The failed trial spent the budget of 2 trials.
	if a, code := ask(); code != exitNoTrial || a.Trial != nil || a.Reason != "the trial budget is spent" {
		t.Errorf("ask with the budget spent by a completed and a failed trial: %d %+v", code, a)
	}
}

// TestUnreachableStore: a database that cannot be reached at start is one
// clear line, exit 1, without the URL's password.
func TestUnreachableStore(t *testing.T) {
	url := "postgres://someone:sekrit-pw@127.0.0.1:1/db"
	for _, args := range [][]string{
		{"worker", "--store", url, "--study", "s"},
		{"search", searchFile("branin.yaml"), "--store", url},
		{"ask", "--store", url, "--study", "s"},
		{"studies", "--store", url},
	} {
		code, stdout, stderr := runCLI(t, t.Context(), args...)
		if code != 1 || stdout != "" || strings.Count(stderr, "\n") != 1 ||
			!strings.Contains(stderr, "connection refused") || strings.Contains(stderr, "sekrit") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 1 and one line without the password", args[0], code, stdout, stderr)
		}
	}
}
