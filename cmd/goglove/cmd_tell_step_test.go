package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ashaStudy creates, in a new SQLite file, a study for ask and tell with
// ASHA early stopping; it returns the store URL.
func ashaStudy(t *testing.T, extra string) string {
	t.Helper()
	db, _ := newTestStudy(t, "st", "study: st\nspace: {a: !oneof [1, 2, 3, 4]}\nalgorithm: grid\n"+
		"objective: {command: [sh, -c, 'exit 1'], metrics: {value: minimize}}\n"+
		"early_stopping: {name: asha, min_resource: 1, reduction_factor: 2}\n"+extra, nil)
	return db
}

// TestTellStep: tell --step records a step of a trial ask handed out and
// answers whether the study's ASHA stops it; a stopped trial is told
// early-stopped; a step told again is recorded once.
func TestTellStep(t *testing.T) {
	db := ashaStudy(t, "")
	run := func(args ...string) (int, string, string) {
		t.Helper()
		return runCLI(t, t.Context(), append([]string{args[0], "--store", db, "--study", "st"}, args[1:]...)...)
	}
	for i := range 2 {
		if code, stdout, stderr := run("ask", "--json"); code != 0 {
			t.Fatalf("ask %d: exit %d, %q %q", i, code, stdout, stderr)
		}
	}
	steps := []struct {
		name  string
		args  []string
		want  string
		stops bool
	}{
		// Trial 0 is alone at ASHA's first rung: it goes on.
		{"the first at a rung", []string{"--trial", "0", "--step", "1", "--metrics", `{"value": 1}`}, "trial 0 of study st: step 1 recorded: continue\n", false},
		{"told again", []string{"--trial", "0", "--step", "1", "--metrics", `{"value": 1}`}, "trial 0 of study st: step 1 recorded: continue\n", false},
		// Trial 1 is worse than trial 0 at that rung: stopped.
		{"worse at the rung", []string{"--trial", "1", "--attempt", "1", "--step", "1", "--metrics", `{"value": 5, "loss": 2}`}, "trial 1 of study st: step 1 recorded: stop\n", true},
		// Steps below the first rung tell nothing, but a stopped trial
		// stays stopped.
		{"a stopped trial stays stopped", []string{"--trial", "1", "--step", "2", "--metrics", `{"value": 0.5}`}, "trial 1 of study st: step 2 recorded: stop\n", true},
		{"without the primary metric", []string{"--trial", "0", "--step", "2", "--metrics", `{"loss": 3}`}, "trial 0 of study st: step 2 recorded: continue\n", false},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			code, stdout, stderr := run(append([]string{"tell"}, s.args...)...)
			if code != 0 || stdout != s.want {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and %q", code, stdout, stderr, s.want)
			}
			code, stdout, stderr = run(append([]string{"tell", "--json"}, s.args...)...)
			var out tellJSON
			if code != 0 || json.Unmarshal([]byte(stdout), &out) != nil || out.ShouldStop == nil || *out.ShouldStop != s.stops ||
				out.Step == nil || out.State != "running" || out.Attempt != 1 {
				t.Fatalf("--json: exit %d, stdout %q, stderr %q; want should_stop %v", code, stdout, stderr, s.stops)
			}
		})
	}
	if code, stdout, stderr := run("tell", "--trial", "1", "--early-stopped", "--metrics", `{"value": 0.5}`, "--json"); code != 0 ||
		!strings.Contains(stdout, `"state": "early_stopped"`) || strings.Contains(stdout, "should_stop") || strings.Contains(stdout, `"step"`) {
		t.Fatalf("tell --early-stopped: exit %d, %q %q", code, stdout, stderr)
	}
	code, stdout, stderr := run("trials", "--json")
	if code != 0 {
		t.Fatalf("trials: %d %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	want := []struct {
		state string
		steps int
	}{{"running", 2}, {"early_stopped", 2}}
	for i, line := range lines {
		var tr trialLineJSON
		if err := json.Unmarshal([]byte(line), &tr); err != nil || i >= len(want) || tr.State != want[i].state || len(tr.Steps) != want[i].steps {
			t.Fatalf("trial %d: %q; want %+v", i, line, want)
		}
	}

	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"a step of an ended trial", []string{"--trial", "1", "--step", "3", "--metrics", `{"value": 1}`}, 1, "tell: trial 1: search: trial attempt superseded: trial 1 already ended (early_stopped)"},
		{"another attempt", []string{"--trial", "0", "--attempt", "2", "--step", "3", "--metrics", `{"value": 1}`}, 1, "is at attempt 1, not 2"},
		{"a step with --fail", []string{"--trial", "0", "--step", "3", "--fail", "x"}, 2, "--step records metrics"},
		{"a negative step", []string{"--trial", "0", "--step", "-2", "--metrics", `{"value": 1}`}, 2, "--step is -2"},
		{"a step and --early-stopped", []string{"--trial", "0", "--step", "3", "--early-stopped", "--metrics", `{"value": 1}`}, 2, "--early-stopped and --force are for a trial's result"},
		{"a step of no trial", []string{"--trial", "7", "--step", "3", "--metrics", `{"value": 1}`}, 2, "trial 7"},
		{"a bad metric", []string{"--trial", "0", "--step", "3", "--metrics", `{"value": null}`}, 2, "null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(append([]string{"tell"}, tc.args...)...)
			if code != tc.code || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want %d and one line with %q", code, stdout, stderr, tc.code, tc.want)
			}
		})
	}
}

// TestAskLease: a trial asked with --lease, renewed by tell --step, is
// handed out again (attempt 2) by the next ask once its lease runs out,
// and the old attempt's result is refused.
func TestAskLease(t *testing.T) {
	db := brStudy(t, "2")
	ask := func(args ...string) askJSON {
		t.Helper()
		code, stdout, stderr := runCLI(t, t.Context(), append([]string{"ask", "--store", db, "--study", "br", "--json"}, args...)...)
		var a askJSON
		if code != 0 || json.Unmarshal([]byte(stdout), &a) != nil || a.Trial == nil {
			t.Fatalf("ask %v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
		return a
	}
	tell := func(args ...string) (int, string) {
		t.Helper()
		code, stdout, stderr := runCLI(t, t.Context(), append([]string{"tell", "--store", db, "--study", "br"}, args...)...)
		return code, stdout + stderr
	}
	if a := ask("--lease", "2s"); *a.Trial != 0 || a.Attempt != 1 || a.Lease != 2 {
		t.Fatalf("ask --lease 2s: %+v", a)
	}
	for i := range 3 {
		time.Sleep(700 * time.Millisecond)
		if code, out := tell("--trial", "0", "--attempt", "1", "--step", strconv.Itoa(i), "--metrics", `{"value": 3}`); code != 0 || !strings.HasSuffix(out, "continue\n") {
			t.Fatalf("tell --step %d: %d %q", i, code, out)
		}
	}
	// Renewed: trial 0 is still the asker's, so ask proposes trial 1.
	if a := ask("--lease", "1m"); *a.Trial != 1 || a.Attempt != 1 {
		t.Fatalf("ask within the renewed lease: %+v, want trial 1", a)
	}
	time.Sleep(2500 * time.Millisecond)
	if a := ask("--lease", "1m"); *a.Trial != 0 || a.Attempt != 2 || a.Lease != 60 {
		t.Fatalf("ask after the lease ran out: %+v, want trial 0 at attempt 2", a)
	}
	if code, out := tell("--trial", "0", "--attempt", "1", "--metrics", `{"value": 1}`); code != 1 || !strings.Contains(out, "is at attempt 2, not 1") {
		t.Errorf("the old attempt's result: %d %q", code, out)
	}
	if code, out := tell("--trial", "0", "--attempt", "2", "--metrics", `{"value": 1}`); code != 0 || !strings.Contains(out, "completed") {
		t.Errorf("the new attempt's result: %d %q", code, out)
	}
	for _, bad := range []string{"-1s", "200h", "soon"} {
		code, stdout, stderr := runCLI(t, t.Context(), "ask", "--store", db, "--study", "br", "--lease", bad)
		if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("ask --lease %s: exit %d, %q %q; want 2 and one line", bad, code, stdout, stderr)
		}
	}
}
