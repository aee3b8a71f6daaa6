package search

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/internal/proctest"
	"github.com/c2602f9e/goglove/symbolic"
)

// groupMembers lists the live processes of process group pgid.
func groupMembers(t *testing.T, pgid int) []string {
	t.Helper()
	m, err := proctest.GroupMembers(pgid)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// waitGroupGone polls until group pgid has no live process, failing the
// test if some remain after within.
func waitGroupGone(t *testing.T, pgid int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		left := groupMembers(t, pgid)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("process group %d still has %v after %v", pgid, left, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitFile polls until the file at path holds a line, and returns it.
func waitFile(t *testing.T, path string, within time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if b, err := os.ReadFile(path); err == nil && strings.HasSuffix(string(b), "\n") {
			return strings.TrimSpace(string(b))
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not written within %v", path, within)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestCommandEndsItsGroup: however a command objective ends (timeout,
// interruption, or by itself with children left in the background),
// every process of its group is gone afterwards, grandchildren and
// processes that ignore SIGTERM included.
func TestCommandEndsItsGroup(t *testing.T) {
	const grace = 300 * time.Millisecond
	// The script records its process group, starts a child, a grandchild
	// and (with stubborn) a grandchild ignoring SIGTERM, says it is ready,
	// then runs the case's end.
	start := `read p
cut -d' ' -f5 /proc/$$/stat > "$D/pgid.tmp" && mv "$D/pgid.tmp" "$D/pgid"
sleep 30 &
sh -c 'sleep 30 & wait' &
`
	// The stubborn one says it is ready once it ignores SIGTERM and its
	// child runs: a SIGTERM sent before its trap would end it at once.
	stubborn := `sh -c 'trap "" TERM; sleep 30 & echo > "$D/stubborn"; wait' &
`
	tests := []struct {
		name     string
		script   string
		timeout  time.Duration
		cancel   bool
		state    State
		reason   string
		minTime  time.Duration // the grace period before SIGKILL
		children int           // processes of the group besides the watchdog, at least
	}{
		{"timed out", start + "sleep 30\n", 1500 * time.Millisecond, false, Failed, "timed out after 1.5s", 0, 4},
		{"timed out, children ignore SIGTERM", start + stubborn + "sleep 30\n", 1500 * time.Millisecond, false, Failed, "timed out", grace, 6},
		{"interrupted", start + stubborn + "sleep 30\n", 0, true, Failed, "context canceled", grace, 6},
		{"exited, children in the background", start + "sleep 0.5; echo '{\"value\": 1}'\n", 0, false, Completed, "", 0, 4},
		{"exited, stubborn children", start + stubborn + "sleep 0.5; echo '{\"value\": 1}'\n", 0, false, Completed, "", grace, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			obj, err := commandObjective([]string{"sh", "-c", tt.script}, tt.timeout, grace)
			if err != nil {
				t.Fatal(err)
			}
			t.Setenv("D", dir)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			st := NewMemStore()
			done := make(chan error, 1)
			began := time.Now()
			go func() {
				_, err := Run(ctx, Searchable[symbolic.Value](testSpace(t, "x: !oneof [1, 2]\n")), &onceAlgo{randomAlgo{seed: 1}}, obj,
					&Options{Store: st, Objectives: []Metric{{Name: "value"}}})
				done <- err
			}()
			pgid, err := strconv.Atoi(waitFile(t, filepath.Join(dir, "pgid"), 2*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			if pgid == os.Getpid() || pgid == syscall.Getpgrp() {
				t.Fatalf("the command runs in the test's own process group %d", pgid)
			}
			// Wait for the children to have started (the script forks them
			// after writing the file).
			deadline := time.Now().Add(2 * time.Second)
			for len(groupMembers(t, pgid)) < tt.children+1 && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if m := groupMembers(t, pgid); len(m) < tt.children+1 {
				t.Fatalf("group %d has %v; want the watchdog and %d more", pgid, m, tt.children)
			}
			if strings.Contains(tt.script, stubborn) {
				waitFile(t, filepath.Join(dir, "stubborn"), 2*time.Second)
			}
			if tt.cancel {
				cancel()
			}
			if err := <-done; err != nil && !tt.cancel {
				t.Fatal(err)
			}
			took := time.Since(began)
			waitGroupGone(t, pgid, 2*time.Second)
			if took < tt.minTime || took > tt.timeout+tt.minTime+3*time.Second {
				t.Errorf("took %v; want at least the grace %v, at most a few seconds", took, tt.minTime)
			}
			trials, _ := st.Trials(context.Background(), "default")
			if len(trials) != 1 {
				t.Fatalf("%d trials", len(trials))
			}
			got := trials[0]
			if tt.cancel {
				return // an interrupted trial is left to be taken over
			}
			if got.State != tt.state || !strings.Contains(got.Error, tt.reason) {
				t.Fatalf("state %v reason %q; want %v containing %q", got.State, got.Error, tt.state, tt.reason)
			}
		})
	}
}

// TestCommandFloodKeepsMemoryBounded: a command printing 200 MB to
// standard output and 50 MB to standard error costs the worker a bounded
// amount of memory, and its metrics and failure reasons are still read.
func TestCommandFloodKeepsMemoryBounded(t *testing.T) {
	tests := []struct {
		name, script, reason string
		ok                   bool
	}{
		{"completes", `read p; yes 'a line of output' | head -c 200000000; yes 'a line of error' | head -c 50000000 >&2; echo; echo '{"value": 1}'`, "", true},
		{"fails", `read p; yes 'a line of output' | head -c 200000000; yes 'a line of error' | head -c 50000000 >&2; echo 'the end' >&2; exit 1`,
			"sh: exit status 1; stderr: a line of error | a line of error | a line of error | a line of error | the end", false},
		{"a line longer than the tail", `read p; printf '{"value": 1, "pad": "'; yes x | head -c 3000000 | tr -d '\n'; echo '"}'`,
			"sh: the last line of output is longer than 1048576 bytes", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj, err := commandObjective([]string{"sh", "-c", tt.script}, 0, 300*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			r := &runner[symbolic.Value]{opts: Options{Study: "s"}}
			trial := &Trial[symbolic.Value]{Program: symbolic.Int(1), r: r, rec: TrialRecord{Attempt: 1}}
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			m, err := obj(context.Background(), trial)
			runtime.ReadMemStats(&after)
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("allocated %.1f MB while the command printed 250 MB", float64(allocated)/1e6)
			if allocated > 16<<20 {
				t.Errorf("allocated %d bytes while the command printed 250 MB; want its output's tails only", allocated)
			}
			if tt.ok {
				if err != nil || m["value"] != 1 {
					t.Fatalf("metrics %v, err %v; want value 1", m, err)
				}
				return
			}
			if err == nil || err.Error() != tt.reason {
				t.Fatalf("err %v\nwant %s", err, tt.reason)
			}
		})
	}
}

func TestCommandEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("GOGLOVE_STORE", "postgres://goglove:hunter2@db/goglove")
	t.Setenv("GOGLOVE_TEST_POSTGRES", "postgres://postgres:hunter2@127.0.0.1/test")
	t.Setenv("PGPASSWORD", "hunter2")
	t.Setenv("GOGLOVE_TRIAL", "99") // goglove's, not the trial's
	t.Setenv("GOGLOVE_DATA_DIR", "/data")
	t.Setenv("D", dir)
	obj, err := commandObjective([]string{"sh", "-c", `read p; env > "$D/env"; echo '{"value": 1}'`}, 0, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	st := NewMemStore()
	if _, err := Run(context.Background(), Searchable[symbolic.Value](testSpace(t, "x: !oneof [1, 2]\n")), &onceAlgo{randomAlgo{seed: 1}}, obj,
		&Options{Study: "env-study", Store: st, Objectives: []Metric{{Name: "value"}}}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "env"))
	if err != nil {
		t.Fatal(err)
	}
	env := string(b)
	if strings.Contains(env, "hunter2") {
		t.Errorf("the objective's environment holds the password:\n%s", env)
	}
	for _, want := range []string{"GOGLOVE_STUDY=env-study\n", "GOGLOVE_TRIAL=0\n", "GOGLOVE_ATTEMPT=1\n", "GOGLOVE_DATA_DIR=/data\n", "D=" + dir + "\n"} {
		if !strings.Contains(env, want) {
			t.Errorf("the objective's environment lacks %q:\n%s", want, env)
		}
	}
	if strings.Contains(env, "GOGLOVE_TRIAL=99") {
		t.Errorf("the objective's environment keeps the worker's GOGLOVE_TRIAL")
	}
}
