package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/internal/proctest"
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

// TestWorkerKilledEndsObjective kills a worker with SIGKILL while its
// command objective runs, with a child, a grandchild and a grandchild
// that ignores SIGTERM: afterwards no process of the objective's group
// is left.
func TestWorkerKilledEndsObjective(t *testing.T) {
	bin := goglove(t)
	dir := t.TempDir()
	script := `#!/bin/sh
read p
d=$(dirname "$0")
cut -d' ' -f5 /proc/$$/stat > "$d/pgid.tmp" && mv "$d/pgid.tmp" "$d/pgid"
sleep 60 &
sh -c 'sleep 60 & wait' &
sh -c 'trap "" TERM; sleep 60 & wait' &
sleep 60
echo '{"value": 1}'
`
	if err := os.WriteFile(filepath.Join(dir, "eval.sh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := "study: kill9\nspace: {a: !oneof [1, 2]}\nobjective: {command: [./eval.sh], metrics: {value: minimize}}\nbudget: {trials: 1}\n"
	if err := os.WriteFile(filepath.Join(dir, "kill9.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	store := "sqlite://" + filepath.Join(dir, "study.db")
	if out, err := exec.Command(bin, "search", filepath.Join(dir, "kill9.yaml"), "--store", store, "--create").CombinedOutput(); err != nil {
		t.Fatalf("search --create: %v\n%s", err, out)
	}
	worker := exec.Command(bin, "worker", "--store", store, "--study", "kill9")
	if err := worker.Start(); err != nil {
		t.Fatal(err)
	}
	defer worker.Process.Kill()
	var pgid int
	deadline := time.Now().Add(10 * time.Second)
	for pgid == 0 {
		if b, err := os.ReadFile(filepath.Join(dir, "pgid")); err == nil {
			if pgid, err = strconv.Atoi(strings.TrimSpace(string(b))); err != nil {
				t.Fatal(err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the objective did not start within 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The watchdog, eval.sh, its three sleeps and two shells.
	for len(groupMembers(t, pgid)) < 7 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if m := groupMembers(t, pgid); len(m) < 7 {
		t.Fatalf("the objective's group %d has %v; want 7 processes", pgid, m)
	}
	if err := worker.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	worker.Wait()
	deadline = time.Now().Add(3 * time.Second)
	for {
		left := groupMembers(t, pgid)
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("3s after the worker was killed, the objective's group %d still has %v", pgid, left)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
