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
)

// liveGroupMembers lists the live processes (zombies left out) of
// process group pgid, as "pid comm", from /proc.
func liveGroupMembers(t *testing.T, pgid int) []string {
	t.Helper()
	dirs, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range dirs {
		if _, err := strconv.Atoi(d.Name()); err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", d.Name(), "stat"))
		if err != nil {
			continue // gone meanwhile
		}
		s := string(stat) // pid (comm) state ppid pgrp ...; comm may hold spaces
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 3 || f[0] == "Z" || f[0] == "X" {
			continue
		}
		if g, _ := strconv.Atoi(f[2]); g == pgid {
			out = append(out, d.Name()+" "+s[strings.IndexByte(s, '(')+1:i])
		}
	}
	return out
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
	for len(liveGroupMembers(t, pgid)) < 7 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if m := liveGroupMembers(t, pgid); len(m) < 7 {
		t.Fatalf("the objective's group %d has %v; want 7 processes", pgid, m)
	}
	if err := worker.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	worker.Wait()
	deadline = time.Now().Add(3 * time.Second)
	for {
		left := liveGroupMembers(t, pgid)
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("3s after the worker was killed, the objective's group %d still has %v", pgid, left)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
