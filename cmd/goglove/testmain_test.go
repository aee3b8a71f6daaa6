package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// TestMain keeps the tests from writing goglove.db (the default store)
// into the package directory: verbs run without --store use memory. It
// also turns the trained-model cache off (GOGLOVE_CACHE=off), so that the
// tests train what they mean to train and write nothing to the user's
// cache directory; tests of the cache set a directory of their own.
func TestMain(m *testing.M) {
	os.Setenv("GOGLOVE_STORE", "mem://")
	os.Setenv("GOGLOVE_CACHE", "off")
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// goglove builds the goglove binary once per test run, for tests that
// run it as real processes (and kill them).
func goglove(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "goglove-bin-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "goglove")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = &buildError{out: string(out), err: err}
		}
	})
	if binErr != nil {
		t.Fatalf("building goglove: %v", binErr)
	}
	return binPath
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + ": " + e.out }
