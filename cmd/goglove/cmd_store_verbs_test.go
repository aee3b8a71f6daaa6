package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// fillStore runs three searches into a SQLite file in a temporary
// directory and returns its URL: "one" (one objective, a tree program,
// some failed trials), "two" (two objectives) and "branin" (a built-in).
func fillStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := "sqlite://" + filepath.Join(dir, "studies.db")
	configs := map[string]string{
		"one": "study: one\nspace: {x: !oneof [1, 2], y: !float {min: 0, max: 1}}\nseed: 3\n" +
			`objective: {command: [sh, -c, "read p; case \"$p\" in *'\"x\":1'*) echo boom >&2; exit 3;; esac; echo '{\"v\": 1, \"extra\": 2}'"], metrics: {v: maximize}}` +
			"\nbudget: {completed: 5}\n",
		"two": "study: two\nspace: {x: !float {min: 0, max: 1}}\n" +
			`objective: {command: [sh, -c, "read p; echo '{\"a\": 1, \"b\": 2}'"], metrics: {a: minimize, b: maximize}}` +
			"\nbudget: {trials: 3}\n",
		"branin": "study: branin\nobjective: {builtin: branin, metrics: {value: minimize}}\nbudget: {trials: 4}\n",
	}
	for name, src := range configs {
		cfg := filepath.Join(dir, name+".yaml")
		if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, _, stderr := runCLI(t, t.Context(), "search", cfg, "--store", db); code != 0 {
			t.Fatalf("search %s: exit %d, stderr %q", name, code, stderr)
		}
	}
	return db
}

func TestStoreVerbs(t *testing.T) {
	db := fillStore(t)

	t.Run("studies", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, t.Context(), "studies", "--store", db)
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[0], "branin ") || !strings.HasPrefix(lines[2], "two ") ||
			!strings.Contains(lines[0], "value (minimize)") || !strings.Contains(lines[0], "4 trials: 4 completed") ||
			!strings.Contains(lines[2], "a (minimize), b (maximize)") || !strings.Contains(lines[0], "created 20") {
			t.Fatalf("studies printed\n%s", stdout)
		}
	})

	got := studiesJSONLines(t, db)
	if len(got) != 3 || got[0].Name != "branin" || got[1].Name != "one" || got[2].Name != "two" {
		t.Fatalf("studies --json: %+v", got)
	}
	one := got[1]
	t.Run("studies --json", func(t *testing.T) {
		if one.Completed != 5 || one.Failed == 0 || one.Trials != one.Completed+one.Failed ||
			len(got[2].Objectives) != 2 || got[2].Objectives[1] != (objectiveJSON{"b", "maximize"}) || got[0].Created.IsZero() {
			t.Fatalf("studies --json: %+v\nwant 5 completed and some failed trials in study one", got)
		}
	})

	t.Run("trials", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, t.Context(), "trials", "--store", db, "--study", "one")
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		if len(lines) != one.Trials+1 || !strings.HasPrefix(lines[0], "NUMBER") || !strings.Contains(stdout, "boom") {
			t.Fatalf("trials printed\n%s", stdout)
		}
	})

	t.Run("trials --json", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, t.Context(), "trials", "--store", db, "--study", "one", "--json")
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		n := 0
		for line := range strings.Lines(stdout) {
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			for _, k := range []string{"number", "state", "dna", "dna_text", "program", "metrics", "attempt", "worker", "error", "created", "finished", "heartbeat"} {
				if _, ok := m[k]; !ok {
					t.Fatalf("line %q has no %q", line, k)
				}
			}
			var tr trialLineJSON
			if err := json.Unmarshal([]byte(line), &tr); err != nil {
				t.Fatal(err)
			}
			if tr.Number != n || tr.Attempt < 1 || tr.Finished == nil || !strings.HasPrefix(tr.DNAText, "[") ||
				!strings.Contains(string(tr.Program), `"y":`) {
				t.Fatalf("line %d: %s", n, line)
			}
			if tr.State == "completed" && (tr.Metrics["v"] != 1 || tr.Error != "") ||
				tr.State == "failed" && (!strings.Contains(tr.Error, "boom") || !strings.Contains(string(tr.Program), `"x":1`)) {
				t.Fatalf("line %d: %s", n, line)
			}
			n++
		}
		if n != one.Trials {
			t.Fatalf("%d lines, want %d", n, one.Trials)
		}
	})

	t.Run("trials --state --csv", func(t *testing.T) {
		for _, tc := range []struct {
			state string
			n     int
		}{{"completed", one.Completed}, {"failed", one.Failed}, {"running", 0}} {
			code, stdout, stderr := runCLI(t, t.Context(), "trials", "--csv", "--state", tc.state, "--store", db, "--study", "one")
			if code != 0 {
				t.Fatalf("%s: exit %d, stderr %q", tc.state, code, stderr)
			}
			rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			header := []string{"number", "state", "dna_text", "attempt", "worker", "error", "x", "y"} // then the decisions
			if tc.state == "completed" {
				header = append(header, "extra", "v")
			}
			if len(rows) != tc.n+1 || !slices.Equal(rows[0], header) {
				t.Fatalf("%s: csv\n%s\nwant %d rows and header %v", tc.state, stdout, tc.n, header)
			}
			for _, r := range rows[1:] {
				if _, err := strconv.Atoi(r[0]); err != nil || r[1] != tc.state {
					t.Fatalf("%s: row %v", tc.state, r)
				}
				if tc.state == "completed" && (r[6] != "2" || r[8] != "2" || r[9] != "1") {
					t.Fatalf("row %v: want extra 2 and v 1", r)
				}
			}
		}
	})

	t.Run("best", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, t.Context(), "best", "--store", db, "--study", "branin")
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		for _, want := range []string{"study branin: 4 completed", "best by value (minimize):", "  trial: ", "  dna: [", "  metrics: {value: ", "  program:\n"} {
			if !strings.Contains(stdout, want) {
				t.Fatalf("best printed\n%s\nwant %q", stdout, want)
			}
		}
		code, stdout, _ = runCLI(t, t.Context(), "best", "--study", "two", "--store", db)
		if code != 0 || !strings.Contains(stdout, "pareto front of a (minimize), b (maximize): 3 trials") || strings.Count(stdout, "- trial: ") != 3 {
			t.Fatalf("best of two: exit %d, printed\n%s", code, stdout)
		}
	})

	t.Run("best --json", func(t *testing.T) {
		for _, tc := range []struct {
			study string
			multi bool
		}{{"one", false}, {"two", true}} {
			code, stdout, stderr := runCLI(t, t.Context(), "best", "--store", db, "--study", tc.study, "--json")
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			var keys map[string]json.RawMessage
			if err := json.Unmarshal([]byte(stdout), &keys); err != nil {
				t.Fatal(err)
			}
			if _, ok := keys["pareto"]; ok != tc.multi {
				t.Fatalf("%s: pareto present %v, want %v:\n%s", tc.study, ok, tc.multi, stdout)
			}
			var out bestJSON
			dec := json.NewDecoder(strings.NewReader(stdout))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&out); err != nil {
				t.Fatal(err)
			}
			if out.Study != tc.study || out.Best == nil || out.Best.DNAText == "" || string(out.Best.Program) == "null" {
				t.Fatalf("%s: best --json printed\n%s", tc.study, stdout)
			}
			if tc.multi && len(*out.Pareto) != 3 || !tc.multi && (out.Completed != 5 || out.Failed != one.Failed || out.Best.Metrics["v"] != 1) {
				t.Fatalf("%s: best --json printed\n%s", tc.study, stdout)
			}
		}
	})

	t.Run("bad input", func(t *testing.T) {
		missing := "sqlite://" + filepath.Join(t.TempDir(), "none.db")
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"trials", "--store", db}, "trials: missing --study"},
			{[]string{"best", "--store", db}, "best: missing --study"},
			{[]string{"best", "--store", db, "--study", "nope"}, `study "nope"`},
			{[]string{"trials", "--store", db, "--study", "nope"}, `study "nope"`},
			{[]string{"trials", "--store", db, "--study", "one", "--state", "done"}, "running, completed, failed, skipped, early_stopped"},
			{[]string{"trials", "--store", db, "--study", "one", "--json", "--csv"}, "not both"},
			{[]string{"studies", "--store", db, "extra"}, `unknown command "extra" for 'goglove studies'`},
			{[]string{"studies", "--store", db, "rnm", "one"}, `(did you mean "rm"?)`},
			{[]string{"studies", "--store", missing}, "no SQLite file"},
			{[]string{"best", "--store", "ftp://x", "--study", "one"}, "unknown store"},
		} {
			code, stdout, stderr := runCLI(t, t.Context(), tc.args...)
			if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and one line with %q", tc.args, code, stdout, stderr, tc.want)
			}
		}
		if _, err := os.Stat(strings.TrimPrefix(missing, "sqlite://")); err == nil {
			t.Errorf("studies created the missing store file")
		}
	})

	// Without --store, the verbs read $GOGLOVE_STORE, else goglove.db in
	// the working directory.
	t.Run("default store", func(t *testing.T) {
		t.Setenv("GOGLOVE_STORE", db)
		code, stdout, stderr := runCLI(t, t.Context(), "trials", "--study", "one", "--json")
		if code != 0 || strings.Count(stdout, "\n") == 0 {
			t.Errorf("trials with GOGLOVE_STORE: exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
		t.Setenv("GOGLOVE_STORE", "")
		t.Chdir(t.TempDir())
		code, _, stderr = runCLI(t, t.Context(), "studies")
		if code != 2 || !strings.Contains(stderr, "no SQLite file goglove.db") {
			t.Errorf("studies with no goglove.db: exit %d, stderr %q", code, stderr)
		}
	})

	t.Run("help", func(t *testing.T) {
		for _, verb := range []string{"studies", "trials", "best"} {
			code, stdout, _ := runCLI(t, t.Context(), verb, "--help")
			if code != 0 || !strings.Contains(stdout, "--store") || !strings.Contains(stdout, "Usage:") {
				t.Errorf("%s --help: exit %d, printed\n%s", verb, code, stdout)
			}
		}
	})
}

// TestStudiesEmptyStore lists a store without studies.
func TestStudiesEmptyStore(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), "studies", "--store", "mem://", "--json")
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("studies --json of mem://: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, t.Context(), "studies", "--store", "mem://")
	if code != 0 || stdout != "" || !strings.Contains(stderr, "note: the store holds no study") {
		t.Fatalf("studies of mem://: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// studiesJSONLines runs studies --json and decodes its lines.
func studiesJSONLines(t *testing.T, db string) []studyJSON {
	t.Helper()
	code, stdout, stderr := runCLI(t, t.Context(), "studies", "--json", "--store", db)
	if code != 0 {
		t.Fatalf("studies --json: exit %d, stderr %q", code, stderr)
	}
	var got []studyJSON
	for line := range strings.Lines(stdout) {
		var s studyJSON
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil {
			t.Fatalf("studies --json line %q: %v", line, err)
		}
		got = append(got, s)
	}
	return got
}
