package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/search"
)

// cmdStudy creates a study whose objective is the script given, as
// ./eval.sh --fast relative to the config; it returns the store URL and
// the directory.
func cmdStudy(t *testing.T, script string) (db, dir string) {
	t.Helper()
	return newTestStudy(t, "c", "study: c\nspace: {x: !float {min: 0, max: 1}}\nobjective: {command: [./eval.sh, --fast], metrics: {value: minimize}, timeout: 10s}\nbudget: {trials: 3}\n",
		map[string]string{"eval.sh": script})
}

// TestWorkerSaysWhatItRuns: a worker names the command it will run and
// its fingerprint when it starts, and --expect-command refuses a study
// whose command is another (exit 2, no trial run).
func TestWorkerSaysWhatItRuns(t *testing.T) {
	db, dir := cmdStudy(t, "#!/bin/sh\necho '{\"value\": 1}'\n")
	argv := []string{filepath.Join(dir, "eval.sh"), "--fast"}
	fp := commandFingerprint(argv)
	for _, tc := range []struct {
		name   string
		expect string
		code   int
	}{
		{"other command", "/usr/bin/evil --fast", 2},
		{"other fingerprint", commandFingerprint([]string{"x"}), 2},
		{"the fingerprint", fp, 0},
		{"the command as printed", shellWords(argv), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), "worker", "--store", db, "--study", "c", "--trials", "1", "--expect-command", tc.expect)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stdout %q, stderr %q", code, tc.code, stdout, stderr)
			}
			if tc.code != 0 {
				if !strings.Contains(stderr, "not the expected") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
					t.Errorf("stderr %q: want one line saying the command is not the expected one", stderr)
				}
				return
			}
			if !strings.Contains(stderr, "runs, for each trial, the command "+shellWords(argv)+" ("+fp+")") {
				t.Errorf("stderr %q does not name the command and its fingerprint", stderr)
			}
		})
	}
	st, err := openStore(t.Context(), db, newRegistry())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	trials, _ := st.Trials(t.Context(), "c")
	if len(trials) != 2 {
		t.Errorf("%d trials run, want 2 (one per accepted worker)", len(trials))
	}
}

func TestShellWords(t *testing.T) {
	for _, tc := range []struct {
		argv []string
		want string
	}{
		{[]string{"python3", "train.py", "--lr=0.1"}, "python3 train.py --lr=0.1"},
		{[]string{"sh", "-c", "echo hi"}, "sh -c 'echo hi'"},
		{[]string{"a", ""}, "a ''"},
		{[]string{"it's"}, `"it's"`},
		{[]string{"x\x1b[2Jy"}, `"x\x1b[2Jy"`},
	} {
		if got := shellWords(tc.argv); got != tc.want {
			t.Errorf("shellWords(%q) = %s, want %s", tc.argv, got, tc.want)
		}
	}
}

// TestKeptCompleted: a worker's summary counts what the store kept, not
// results it rejected, nor other workers' trials, nor earlier runs'.
func TestKeptCompleted(t *testing.T) {
	ctx := t.Context()
	st := search.NewMemStore()
	if err := st.CreateStudy(ctx, search.StudyInfo{Name: "s"}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for _, r := range []search.TrialRecord{
		{State: search.Completed, Worker: "me", Finished: start.Add(time.Second)},
		{State: search.Completed, Worker: "other", Finished: start.Add(time.Second)}, // taken over: its result is the other's
		{State: search.Failed, Worker: "me", Finished: start.Add(time.Second)},
		{State: search.Completed, Worker: "me", Finished: start.Add(-time.Hour)}, // an earlier run of the same name
	} {
		if _, err := st.AddTrial(ctx, "s", r); err != nil {
			t.Fatal(err)
		}
	}
	if n := keptCompleted(ctx, st, "s", "me", start); n != 1 {
		t.Errorf("keptCompleted = %d, want 1", n)
	}
}
