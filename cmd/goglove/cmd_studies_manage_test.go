package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
)

// storesUnderTest returns the stores the end-to-end tests of studies run
// on: a new SQLite file, and PostgreSQL when GOGLOVE_TEST_POSTGRES is
// set; and a prefix that makes study names unique in the shared
// database.
func storesUnderTest(t *testing.T) map[string]string {
	stores := map[string]string{"sqlite": "sqlite://" + filepath.Join(t.TempDir(), "s.db")}
	if url := os.Getenv("GOGLOVE_TEST_POSTGRES"); url != "" {
		stores["postgres"] = url
	}
	return stores
}

func uniqueName(prefix string) string {
	return prefix + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
}

// writeConfig writes a search config into dir and returns its path.
func writeConfig(t *testing.T, dir, name, src string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// studyTrialCount returns the number of trials of a study, or -1 if the
// study does not exist.
func studyTrialCount(t *testing.T, store, study string) int {
	t.Helper()
	code, stdout, _ := runCLI(t, t.Context(), "trials", "--store", store, "--study", study, "--json")
	if code == 2 {
		return -1
	}
	if code != 0 {
		t.Fatalf("trials --study %s: exit %d", study, code)
	}
	return strings.Count(stdout, "\n")
}

// TestStudyAtFailureLimit runs a study whose command fails into its
// failure limit, searches it again (it stops at once), fixes the command
// and continues it with a raised limit; then copies, renames and deletes
// it, and searches it anew.
func TestStudyAtFailureLimit(t *testing.T) {
	bin := goglove(t)
	for kind, store := range storesUnderTest(t) {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			study := uniqueName("limit")
			fixed := filepath.Join(dir, "fixed")
			cfg := writeConfig(t, dir, "c.yaml", "study: "+study+"\nspace: {x: !float {min: 0, max: 1}}\n"+
				`objective: {command: [sh, -c, "read p; test -f `+fixed+` || { echo no data >&2; exit 3; }; echo '{\"v\": 1}'"], metrics: {v: maximize}}`+
				"\nbudget: {completed: 2}\nmax_failures: 2\n")
			code, _, stderr := runCLI(t, t.Context(), "search", cfg, "--store", store)
			if code != 1 || !strings.Contains(stderr, "search: too many failed trials: 3 failed (limit 2); after fixing what failed, raise the limit (--max-failures 6") ||
				!strings.Contains(stderr, "goglove studies rm "+study) {
				t.Fatalf("first search: exit %d, stderr %q; want 1 and the failure limit, saying how to go on", code, stderr)
			}
			code, _, stderr = runCLI(t, t.Context(), "search", cfg, "--store", store)
			if n := studyTrialCount(t, store, study); code != 1 || n != 3 || !strings.Contains(stderr, "3 failed (limit 2)") {
				t.Fatalf("search again: exit %d, %d trials, stderr %q; want 1 at once, 3 trials", code, n, stderr)
			}
			if err := os.WriteFile(fixed, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", store, "--max-failures", "6", "--json")
			if out := decodeSearchJSON(t, stdout, false); code != 0 || out.Completed != 2 || out.Failed != 3 {
				t.Fatalf("search with the limit raised: exit %d, %+v, stderr %q; want 2 completed after the 3 failed", code, out, stderr)
			}

			cp := study + "-copy"
			if code, stdout, stderr := runCLI(t, t.Context(), "studies", "copy", "--store", store, study, cp); code != 0 ||
				stdout != "copied study \""+study+"\" to \""+cp+"\" (5 trials)\n" {
				t.Fatalf("studies copy: exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			renamed := study + "-renamed"
			if code, stdout, stderr := runCLI(t, t.Context(), "studies", "rename", cp, renamed, "--store", store); code != 0 ||
				stdout != "renamed study \""+cp+"\" (5 trials) to \""+renamed+"\"\n" {
				t.Fatalf("studies rename: exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			if n, m := studyTrialCount(t, store, cp), studyTrialCount(t, store, renamed); n != -1 || m != 5 {
				t.Fatalf("after copy and rename: the copy's old name has %d trials, the new %d; want none (-1) and 5", n, m)
			}
			for _, args := range [][]string{
				{"studies", "rename", "--store", store, renamed, study},
				{"studies", "copy", "--store", store, renamed, study},
				{"studies", "rename", "--store", store, study + "-missing", study + "-x"},
				{"studies", "copy", "--store", store, study + "-missing", study + "-x"},
				{"studies", "rm", "--store", store, "--yes", study + "-missing"},
				{"studies", "rm", "--store", store, "--yes"},
				{"studies", "rename", "--store", store, study},
			} {
				code, stdout, stderr := runCLI(t, t.Context(), args...)
				if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 {
					t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and one line", args[1:], code, stdout, stderr)
				}
			}

			// Without a terminal and without --yes, rm refuses.
			cmd := exec.Command(bin, "studies", "rm", "--store", store, renamed)
			var errOut bytes.Buffer
			cmd.Stderr = &errOut
			err := cmd.Run()
			if code := cmd.ProcessState.ExitCode(); err == nil || code != 2 || strings.Count(errOut.String(), "\n") != 1 ||
				!strings.Contains(errOut.String(), "standard input is not a terminal; pass --yes") {
				t.Errorf("studies rm without a terminal: exit %d, stderr %q; want 2 and one line asking for --yes", code, errOut.String())
			}
			if n := studyTrialCount(t, store, renamed); n != 5 {
				t.Fatalf("the refused rm left %d trials, want 5", n)
			}
			for _, name := range []string{renamed, study} {
				code, stdout, stderr := runCLI(t, t.Context(), "studies", "rm", "--store", store, name, "--yes")
				if code != 0 || !strings.HasPrefix(stdout, "deleted study \""+name+"\" and its 5 trials from ") {
					t.Fatalf("studies rm %s --yes: exit %d, stdout %q, stderr %q", name, code, stdout, stderr)
				}
				if n := studyTrialCount(t, store, name); n != -1 {
					t.Errorf("after rm, study %s has %d trials", name, n)
				}
			}
			// The same search makes a new study.
			code, stdout, stderr = runCLI(t, t.Context(), "search", cfg, "--store", store, "--json")
			if out := decodeSearchJSON(t, stdout, false); code != 0 || out.Completed != 2 || out.Failed != 0 {
				t.Fatalf("search after rm: exit %d, %+v, stderr %q; want a new study, 2 completed", code, out, stderr)
			}
			runCLI(t, t.Context(), "studies", "rm", "--store", store, study, "--yes")
		})
	}
}

// TestStudiesRmWorkersRunning: rm and rename refuse a study with running
// trials whose heartbeats are fresh (by the study's heartbeat timeout),
// unless --force; copy does not; once the heartbeats are stale, they go
// ahead.
func TestStudiesRmWorkersRunning(t *testing.T) {
	for kind, store := range storesUnderTest(t) {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			study := uniqueName("live")
			cfg := writeConfig(t, dir, "c.yaml", "study: "+study+"\nobjective: {builtin: branin, metrics: {value: minimize}}\n"+
				"heartbeat: {interval: 100ms, timeout: 2s}\n")
			if code, _, stderr := runCLI(t, t.Context(), "search", cfg, "--store", store, "--create"); code != 0 {
				t.Fatalf("search --create: exit %d, %q", code, stderr)
			}
			st, err := openStore(t.Context(), store, newRegistry())
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			startTrial := func(name string) time.Time {
				t.Helper()
				_, _, err := st.Propose(t.Context(), name, -1, func([]search.TrialRecord, int64) (*search.TrialRecord, error) {
					return &search.TrialRecord{DNA: space.DNA{Children: []space.DNA{{Value: 1}, {Value: 2}}}, DNAText: "[1, 2]",
						State: search.Running, Attempt: 1, Worker: "elsewhere:1", Watched: true, Created: time.Now()}, nil
				})
				if err != nil {
					t.Fatal(err)
				}
				return time.Now()
			}
			started := startTrial(study)
			for _, args := range [][]string{
				{"studies", "rm", "--store", store, "--yes", study},
				{"studies", "rename", "--store", store, study, study + "-new"},
			} {
				code, _, stderr := runCLI(t, t.Context(), args...)
				if time.Since(started) >= 2*time.Second {
					t.Skip("the machine is too slow for the heartbeat timeout of this test")
				}
				if code != 1 || !strings.Contains(stderr, "workers are running study \""+study+"\" (1 running trial with a heartbeat younger than 2s); stop them first, or pass --force") {
					t.Errorf("%v with a live trial: exit %d, stderr %q; want 1, refused", args[1], code, stderr)
				}
			}
			if code, _, stderr := runCLI(t, t.Context(), "studies", "copy", "--store", store, study, study+"-copy"); code != 0 {
				t.Errorf("copy with a live trial: exit %d, %q; want 0", code, stderr)
			}
			time.Sleep(time.Until(started.Add(2100 * time.Millisecond)))
			if code, _, stderr := runCLI(t, t.Context(), "studies", "rm", "--store", store, "--yes", study); code != 0 {
				t.Errorf("rm once the heartbeat is stale: exit %d, %q; want 0", code, stderr)
			}
			startTrial(study + "-copy") // the copy's trial was stale; this one is live
			if code, _, stderr := runCLI(t, t.Context(), "studies", "rm", "--store", store, "--yes", "--force", study+"-copy"); code != 0 {
				t.Errorf("rm --force with a live trial: exit %d, %q; want 0", code, stderr)
			}
			if n := studyTrialCount(t, store, study+"-copy"); n != -1 {
				t.Errorf("after rm --force the copy has %d trials", n)
			}
		})
	}
}

// TestStudiesRmConfirm: on a terminal, rm asks and deletes only on yes.
func TestStudiesRmConfirm(t *testing.T) {
	store := "sqlite://" + filepath.Join(t.TempDir(), "s.db")
	cfg := writeConfig(t, t.TempDir(), "c.yaml", "study: s\nobjective: {builtin: branin, metrics: {value: minimize}}\nbudget: {trials: 2}\n")
	if code, _, stderr := runCLI(t, t.Context(), "search", cfg, "--store", store); code != 0 {
		t.Fatalf("search: exit %d, %q", code, stderr)
	}
	tests := []struct {
		name, answer string
		wantErr      string // "": deleted
	}{
		{"no answer", "", `studies rm: not confirmed; study "s" is kept`},
		{"no", "n\n", `studies rm: not confirmed; study "s" is kept`},
		{"other", "sure\n", `studies rm: not confirmed; study "s" is kept`},
		{"yes", " Yes \n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := runStudiesRm(t.Context(), studiesManageOptions{Store: store, terminal: true}, []string{"s"},
				strings.NewReader(tc.answer), &stdout, &stderr)
			wantPrompt := `goglove: delete study "s" and its 2 trials from the SQLite file ` + strings.TrimPrefix(store, "sqlite://") + "? [y/N] "
			if stderr.String() != wantPrompt {
				t.Errorf("prompt %q, want %q", stderr.String(), wantPrompt)
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("answer %q: %v, want the study deleted", tc.answer, err)
			case tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr || exitCode(err) != exitFailure):
				t.Fatalf("answer %q: %v (exit %d), want %q, exit 1", tc.answer, err, exitCode(err), tc.wantErr)
			}
			n := studyTrialCount(t, store, "s")
			if tc.wantErr == "" && (n != -1 || !strings.HasPrefix(stdout.String(), `deleted study "s" and its 2 trials`)) ||
				tc.wantErr != "" && n != 2 {
				t.Errorf("answer %q: the study has %d trials after, stdout %q", tc.answer, n, stdout.String())
			}
		})
	}
}
