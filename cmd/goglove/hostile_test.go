package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/sqlitestore"
)

// checkRefused checks the answer to a hostile input: exit 2, nothing on
// stdout, one line on stderr holding want and no raw control character.
func checkRefused(t *testing.T, code int, stdout, stderr, want string) {
	t.Helper()
	if code != exitBadInput || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", code, stdout, stderr, want)
	}
	if strings.ContainsAny(strings.TrimSuffix(stderr, "\n"), "\x00\x1b\x07\r\n") {
		t.Errorf("stderr carries raw control characters: %q", stderr)
	}
}

// studiesIn lists the studies of a SQLite file, none if it does not exist.
func studiesIn(t *testing.T, path string) []search.StudyInfo {
	t.Helper()
	if _, err := os.Stat(path); os.IsNotExist(err) {
		return nil
	}
	st, err := sqlitestore.Open(t.Context(), path, &sqlitestore.Options{Registry: newRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	studies, err := st.Studies(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return studies
}

// TestSearchRefusesHostileConfigs: each careless or hostile config is one
// line, exit 2, and no study is stored.
func TestSearchRefusesHostileConfigs(t *testing.T) {
	const branin = "study: s\nobjective: {builtin: branin}\n"
	huge := "study: s\nobjective: {command: [/bin/true], metrics: {loss: minimize}}\nspace: {x: !oneof [" +
		strings.Repeat("1,", search.MaxConfigBytes/2) + "1]}\n"
	tests := []struct {
		name, src string
		args      []string
		want      string
	}{
		{"workers", branin + "workers: 100000000\n", nil, "workers: want int in [1, 1024], got int 100000000"},
		{"--workers", branin, []string{"--workers", "100000000"}, "search: --workers is 100000000, want 1 to 1024"},
		{"--trials", branin, []string{"--trials", "1000000000000"}, "search: --trials is 1000000000000, want 0 (no limit) to 100000000"},
		{"budget.trials", branin + "budget: {trials: 1000000000000}\n", nil, "budget.trials: 1000000000000 is more than the limit of 100000000"},
		{"population", branin + "algorithm: {name: evolution, population: 1000000000}\n", nil, "algorithm.population: want int in [0, 100000]"},
		{"max_attempts", branin + "max_attempts: 1000000\n", nil, "max_attempts: want int in [0, 100]"},
		{"heartbeat interval", branin + "heartbeat: {interval: 1ns}\n", nil, "heartbeat.interval: 1ns is shorter than the shortest allowed, 100ms"},
		{"--heartbeat-interval", branin, []string{"--heartbeat-interval", "1ns"}, "search: --heartbeat-interval is 1ns, want 100ms to 24h0m0s"},
		{"command timeout", "study: s\nobjective: {command: [/bin/true], metrics: {loss: minimize}, timeout: 1ns}\nspace: {a: !oneof [1, 2]}\n", nil,
			"objective.timeout: 1ns is shorter than the shortest allowed, 100ms"},
		{"a config over the size limit", huge, nil, "the file has more than 1048576 bytes (1 MiB)"},
		{"study name with a NUL", "study: \"a\\0b\"\nobjective: {builtin: branin}\n", nil, `study: invalid name: study name "a\x00b"`},
		{"study name with an escape sequence", "study: \"\\e]0;pwned\\a\"\nobjective: {builtin: branin}\n", nil, `study name "\x1b]0;pwned\a"`},
		{"branin given another space", branin + "space: {x: [!float {min: 0, max: 1}]}\n", nil,
			"space: not a space of built-in objective branin: problems: branin: x: want a list of 2 numbers"},
		{"trainer.classify given plain mappings", "study: s\nobjective: {builtin: trainer.classify}\nspace: {lr: !float {min: 0.001, max: 0.1}}\n", nil,
			"space: not a space of built-in objective trainer.classify: experiments: trainer.classify: want a trainer.Classifier program"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "c.yaml")
			if err := os.WriteFile(cfg, []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			db := filepath.Join(dir, "s.db")
			start := time.Now()
			code, stdout, stderr := runCLI(t, t.Context(), append([]string{"search", cfg, "--store", "sqlite://" + db}, tc.args...)...)
			checkRefused(t, code, stdout, stderr, tc.want)
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("refusing took %s", d)
			}
			if studies := studiesIn(t, db); len(studies) != 0 {
				t.Errorf("studies stored: %v", studies)
			}
		})
	}
}

// TestJoinVerbsRefuseHostileFlags: worker, trials, best and tell check
// their counts and --study before touching the store.
func TestJoinVerbsRefuseHostileFlags(t *testing.T) {
	db := brStudy(t, "0")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"worker", "--store", db, "--study", "br", "--workers", "100000000"}, "worker: --workers is 100000000, want 0 (the config's) to 1024"},
		{[]string{"worker", "--store", db, "--study", "br", "--trials", "1000000000000"}, "worker: --trials is 1000000000000"},
		{[]string{"worker", "--store", db, "--study", "br", "--heartbeat-timeout", "1ns"}, "worker: --heartbeat-timeout is 1ns, want 500ms"},
		{[]string{"worker", "--store", db, "--study", "b\x1b[2Jr"}, `worker: --study: search: invalid name: study name "b\x1b[2Jr"`},
		{[]string{"trials", "--store", db, "--study", "b\x00r"}, `trials: --study: search: invalid name`},
		{[]string{"best", "--store", db, "--study", "br\n"}, `best: --study: search: invalid name`},
		{[]string{"ask", "--store", db, "--study", "\u202ebr"}, `ask: --study: search: invalid name`},
		{[]string{"tell", "--store", db, "--study", "br\x07", "--trial", "0", "--metrics", `{"value": 1}`}, `tell: --study: search: invalid name`},
	} {
		code, stdout, stderr := runCLI(t, t.Context(), tc.args...)
		checkRefused(t, code, stdout, stderr, tc.want)
	}
	if studies := studiesIn(t, strings.TrimPrefix(db, "sqlite://")); len(studies) != 1 {
		t.Errorf("studies: %v, want br alone", studies)
	}
}

// TestTellRefusesHostileResults: null and badly named metrics, and a
// trial a worker runs, are refused with one line and exit 2, and the
// trial stays as it was; --force tells a worker's trial; ask prints the
// attempt tell may check.
func TestTellRefusesHostileResults(t *testing.T) {
	db := brStudy(t, "0")
	code, stdout, stderr := runCLI(t, t.Context(), "ask", "--store", db, "--study", "br", "--json")
	var a askJSON
	if code != 0 || json.Unmarshal([]byte(stdout), &a) != nil || a.Trial == nil || *a.Trial != 0 || a.Attempt != 1 ||
		!strings.Contains(stdout, `"attempt": 1`) {
		t.Fatalf("ask: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// A worker's trial: trial 1, with a heartbeat.
	path := strings.TrimPrefix(db, "sqlite://")
	st, err := sqlitestore.Open(t.Context(), path, &sqlitestore.Options{Registry: newRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	trials, err := st.Trials(t.Context(), "br")
	if err != nil {
		t.Fatal(err)
	}
	w := trials[0]
	w.Worker = "host:1"
	n, err := st.AddTrial(t.Context(), "br", w)
	if err == nil {
		err = st.Heartbeat(t.Context(), "br", n, w.Attempt)
	}
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	tell := func(args ...string) (int, string, string) {
		return runCLI(t, t.Context(), append([]string{"tell", "--store", db, "--study", "br"}, args...)...)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"null", []string{"--trial", "0", "--metrics", `{"value": null}`}, `tell: --metrics: want a JSON object of numbers such as {"loss": 0.3}, got "{\"value\": null}": search: bad metrics: metric "value" is null`},
		{"null among others", []string{"--trial", "0", "--metrics", `{"value": 1, "regret": null}`}, `metric "regret" is null`},
		{"overflow", []string{"--trial", "0", "--metrics", `{"value": 1e999}`}, "tell: --metrics"},
		{"name with a control character", []string{"--trial", "0", "--metrics", `{"value": 1, "a\u001b[2J": 2}`}, `metric name "a\x1b[2J"`},
		{"a worker's trial", []string{"--trial", "1", "--metrics", `{"value": 0}`}, `search: the trial is run by a worker: trial 1 is run by worker "host:1"`},
		{"a worker's trial, failed", []string{"--trial", "1", "--fail", "x"}, "is run by a worker"},
		{"negative attempt", []string{"--trial", "0", "--attempt", "-1", "--metrics", `{"value": 1}`}, "tell: --attempt is -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := tell(tc.args...)
			checkRefused(t, code, stdout, stderr, tc.want)
		})
	}
	code, stdout, stderr = tell("--trial", "0", "--attempt", "2", "--metrics", `{"value": 1}`)
	if code != exitFailure || !strings.Contains(stderr, "trial 0 is at attempt 1, not 2") {
		t.Errorf("tell --attempt 2: exit %d, %q %q", code, stdout, stderr)
	}
	st, err = sqlitestore.Open(t.Context(), path, &sqlitestore.Options{Registry: newRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if trials, err = st.Trials(t.Context(), "br"); err != nil || len(trials) != 2 {
		t.Fatalf("Trials: %v, %v", trials, err)
	}
	for _, tr := range trials {
		if tr.State != search.Running || tr.Metrics != nil {
			t.Errorf("a refused tell changed trial %d: %s %v", tr.Number, tr.State, tr.Metrics)
		}
	}
	if code, stdout, stderr := tell("--trial", "0", "--attempt", "1", "--metrics", `{"value": 1.5}`); code != 0 || !strings.Contains(stdout, "completed") {
		t.Errorf("tell --attempt 1: exit %d, %q %q", code, stdout, stderr)
	}
	if code, stdout, stderr := tell("--trial", "1", "--force", "--fail", "replaced"); code != 0 || !strings.Contains(stdout, "failed") {
		t.Errorf("tell --force of a worker's trial: exit %d, %q %q", code, stdout, stderr)
	}
}

// TestStoredTextIsEscaped: a failure reason holding escape sequences (as
// a command's standard error may) is printed escaped by trials (table
// and CSV), and JSON output carries no raw control character either.
func TestStoredTextIsEscaped(t *testing.T) {
	db := brStudy(t, "0")
	if code, _, stderr := runCLI(t, t.Context(), "ask", "--store", db, "--study", "br"); code != 0 {
		t.Fatalf("ask: %d %q", code, stderr)
	}
	reason := "boom\x1b]0;pwned\x07\x1b[2J\u009b31m\u202e\x7f"
	if code, _, stderr := runCLI(t, t.Context(), "tell", "--store", db, "--study", "br", "--trial", "0", "--fail", reason); code != 0 {
		t.Fatalf("tell --fail: %d %q", code, stderr)
	}
	for _, args := range [][]string{
		{"trials", "--store", db, "--study", "br"},
		{"trials", "--store", db, "--study", "br", "--csv"},
		{"trials", "--store", db, "--study", "br", "--json"},
		{"studies", "--store", db},
		{"best", "--store", db, "--study", "br"},
	} {
		code, stdout, stderr := runCLI(t, t.Context(), args...)
		out := stdout + stderr
		if strings.ContainsAny(out, "\x1b\x07\x7f\u009b\u202e") {
			t.Errorf("%v: exit %d, raw control characters in %q", args, code, out)
		}
		if args[0] == "trials" && !strings.Contains(out, `boom\`) {
			t.Errorf("%v: the reason is missing: %q", args, out)
		}
	}
	code, stdout, _ := runCLI(t, t.Context(), "trials", "--store", db, "--study", "br")
	if code != 0 || !strings.Contains(stdout, `boom\x1b]0;pwned\x07\x1b[2J\u009b31m\u202e\x7f`) {
		t.Errorf("trials table: %d %q", code, stdout)
	}
	code, stdout, _ = runCLI(t, t.Context(), "trials", "--store", db, "--study", "br", "--json")
	var line trialLineJSON
	if code != 0 || json.Unmarshal([]byte(stdout), &line) != nil || line.Error != reason {
		t.Errorf("trials --json: the reason does not decode to what was told: %d %q", code, stdout)
	}
}
