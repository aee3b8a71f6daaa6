package cache

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"github.com/google/go-cmp/cmp"
)

func TestFillGoroutines(t *testing.T) {
	c := openTemp(t, 0)
	key := Key([]byte("goroutines"))
	var computed atomic.Int32
	compute := func() (*checkpoint.Checkpoint, error) {
		computed.Add(1)
		time.Sleep(50 * time.Millisecond)
		return newCkpt(500, 9), nil
	}
	const n = 16
	results := make([]FillResult, n)
	errs := make([]error, n)
	var start, wg sync.WaitGroup
	start.Add(1)
	for i := range n {
		wg.Go(func() {
			start.Wait()
			results[i], errs[i] = c.Fill(t.Context(), key, compute)
		})
	}
	start.Done()
	wg.Wait()
	if got := computed.Load(); got != 1 {
		t.Errorf("%d goroutines filling one key computed it %d times, want once", n, got)
	}
	misses := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Fill %d: %v", i, errs[i])
		}
		if !results[i].Hit {
			misses++
		}
		if !cmp.Equal(results[i].Checkpoint, newCkpt(500, 9)) {
			t.Errorf("Fill %d returned another checkpoint", i)
		}
	}
	if misses != 1 {
		t.Errorf("%d results say they computed the entry, want 1", misses)
	}
	if len(local.m) != 0 {
		t.Errorf("the in-process locks are not forgotten after use: %v", local.m)
	}
	if _, err := os.Stat(c.lockPath(key)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock file is left behind: %v", err)
	}
}

func TestFillComputeError(t *testing.T) {
	c := openTemp(t, 0)
	key := Key([]byte("fails"))
	boom := errors.New("training diverged")
	res, err := c.Fill(t.Context(), key, func() (*checkpoint.Checkpoint, error) { return nil, boom })
	if !errors.Is(err, boom) || res.Checkpoint != nil {
		t.Fatalf("Fill with a failing compute = %+v, %v; want the compute error", res, err)
	}
	if _, err := c.Get(key); !errors.Is(err, ErrMiss) {
		t.Errorf("after a failed compute Get gives %v, want ErrMiss", err)
	}
	calls := 0
	res, err = c.Fill(t.Context(), key, func() (*checkpoint.Checkpoint, error) { calls++; return newCkpt(3, 1), nil })
	if err != nil || calls != 1 || res.Hit {
		t.Errorf("Fill after a failure = %+v, %v, %d calls; want one computation", res, err, calls)
	}
	if _, err := c.Fill(t.Context(), Key([]byte("nil")), func() (*checkpoint.Checkpoint, error) { return nil, nil }); err == nil {
		t.Error("Fill accepted a nil checkpoint from compute")
	}
}

func TestFillCanceledWait(t *testing.T) {
	c := openTemp(t, 0)
	key := Key([]byte("held"))
	l, err := c.lock(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	called := false
	_, err = c.Fill(ctx, key, func() (*checkpoint.Checkpoint, error) { called = true; return newCkpt(1, 1), nil })
	if !errors.Is(err, context.DeadlineExceeded) || called {
		t.Errorf("Fill while the key is locked, with a deadline: %v (compute called: %v); want the deadline", err, called)
	}
	l.unlock()
	if len(local.m) != 0 {
		t.Errorf("a canceled waiter is not forgotten: %v", local.m)
	}
	if _, err := c.Fill(t.Context(), key, func() (*checkpoint.Checkpoint, error) { return newCkpt(1, 1), nil }); err != nil {
		t.Errorf("Fill after the lock was released: %v", err)
	}
}

// TestLockFileExcludes checks the file lock alone, without the in-process
// one: a second open of the lock file, as another process makes, waits
// while the first holds it.
func TestLockFileExcludes(t *testing.T) {
	if !fileLocks {
		t.Skip("no file locks on this platform")
	}
	c := openTemp(t, 0)
	key := Key([]byte("file lock"))
	f, err := lockFile(t.Context(), c.lockPath(key))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 80*time.Millisecond)
	defer cancel()
	if _, err := lockFile(ctx, c.lockPath(key)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a second lock of a held lock file: %v, want to wait until the deadline", err)
	}
	releaseFile(c.lockPath(key), f)
	f2, err := lockFile(t.Context(), c.lockPath(key))
	if err != nil {
		t.Fatal(err)
	}
	releaseFile(c.lockPath(key), f2)
}

// helperEnv selects the helper mode of the test binary:
// TestTwoProcesses runs the binary again with it set to
// "DIR|LOG|READY|N", and the helper fills one key in the cache DIR.
const helperEnv = "GOGLOVE_CACHE_TEST_HELPER"

func TestMain(m *testing.M) {
	if spec := os.Getenv(helperEnv); spec != "" {
		os.Exit(fillHelper(spec))
	}
	os.Exit(m.Run())
}

// fillHelper is one process of TestTwoProcesses: it marks itself ready,
// waits until both processes are, then fills the shared key with a
// compute that sleeps 300ms and appends a line to LOG. It prints "hit" or
// "computed".
func fillHelper(spec string) int {
	parts := strings.Split(spec, "|")
	if len(parts) != 4 {
		fmt.Fprintf(os.Stderr, "%s: want DIR|LOG|READY|N, got %q\n", helperEnv, spec)
		return 2
	}
	dir, log, ready, id := parts[0], parts[1], parts[2], parts[3]
	if err := os.WriteFile(filepath.Join(ready, id), nil, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(time.Millisecond) {
		if n, _ := os.ReadDir(ready); len(n) >= 2 {
			break
		}
		if time.Now().After(deadline) {
			fmt.Fprintln(os.Stderr, "the other process never got ready")
			return 1
		}
	}
	c, err := Open(dir, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	res, err := c.Fill(context.Background(), Key([]byte("two processes")), func() (*checkpoint.Checkpoint, error) {
		time.Sleep(300 * time.Millisecond)
		f, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		_, err = fmt.Fprintf(f, "computed by %s\n", id)
		return newCkpt(1000, 42), err
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if !cmp.Equal(res.Checkpoint, newCkpt(1000, 42)) {
		fmt.Fprintln(os.Stderr, "Fill returned another checkpoint")
		return 1
	}
	if res.Hit {
		fmt.Println("hit")
	} else {
		fmt.Println("computed")
	}
	return 0
}

func TestTwoProcesses(t *testing.T) {
	if !fileLocks {
		t.Skip("no file locks on this platform")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("cannot run the test binary again: %v", err)
	}
	tmp := t.TempDir()
	dir, log, ready := filepath.Join(tmp, "cache"), filepath.Join(tmp, "log"), filepath.Join(tmp, "ready")
	if err := os.Mkdir(ready, 0o755); err != nil {
		t.Fatal(err)
	}
	outs := make([]strings.Builder, 2)
	errOuts := make([]strings.Builder, 2)
	cmds := make([]*exec.Cmd, 2)
	for i := range cmds {
		cmd := exec.CommandContext(t.Context(), exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|%s|%s|%d", helperEnv, dir, log, ready, i))
		cmd.Stdout, cmd.Stderr = &outs[i], &errOuts[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[i] = cmd
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v: %s", i, err, errOuts[i].String())
		}
	}
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(string(b), "\n"); lines != 1 {
		t.Errorf("two processes filling one key computed it %d times, want once:\n%s", lines, b)
	}
	got := []string{strings.TrimSpace(outs[0].String()), strings.TrimSpace(outs[1].String())}
	if !(got[0] == "hit" && got[1] == "computed" || got[0] == "computed" && got[1] == "hit") {
		t.Errorf("the processes say %q, want one hit and one computed", got)
	}
}
