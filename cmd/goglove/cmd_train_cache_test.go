package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// cacheEntries returns the safetensors files under the cache directory.
func cacheEntries(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".safetensors") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// trainProcess runs goglove train --json on file as a process with the
// cache in dir, and returns its metrics and standard error.
func trainProcess(t *testing.T, dir, file string, extra ...string) (map[string]float64, string) {
	t.Helper()
	m, stderr, err := trainProcessErr(goglove(t), dir, file, extra...)
	if err != nil {
		t.Fatal(err)
	}
	return m, stderr
}

// trainProcessErr is trainProcess for any goroutine: it returns the error
// instead of failing the test.
func trainProcessErr(bin, dir, file string, extra ...string) (map[string]float64, string, error) {
	cmd := exec.Command(bin, append([]string{"train", "--json", file}, extra...)...)
	cmd.Env = append(os.Environ(), "GOGLOVE_CACHE="+dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, "", fmt.Errorf("goglove train: %v, stderr %q", err, stderr.String())
	}
	var out trainJSON
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return nil, "", fmt.Errorf("stdout %q: %v", stdout.String(), err)
	}
	return out.Metrics, stderr.String(), nil
}

// sameRun reports whether two runs' metrics are equal, but for cached
// and train_seconds.
func sameRun(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if k != "cached" && k != "train_seconds" && b[k] != v {
			return false
		}
	}
	return true
}

// TestTrainCache trains a program, trains it again (a cache hit: no
// epoch trained, the same metrics, cached = 1), again with --no-cache
// (trained), and after damaging the entry (detected, retrained).
func TestTrainCache(t *testing.T) {
	cache := t.TempDir()
	file := filepath.Join(writeTemp(t, map[string]string{"p.yaml": trainProgram}), "p.yaml")
	first, stderr := trainProcess(t, cache, file)
	if first["cached"] != 0 || strings.Count(stderr, "epoch ") != 4 {
		t.Fatalf("first run: cached %v, stderr %q; want 0 and four epochs", first["cached"], stderr)
	}
	entries := cacheEntries(t, cache)
	if len(entries) != 1 {
		t.Fatalf("cache holds %v, want one entry", entries)
	}
	second, stderr := trainProcess(t, cache, file)
	if second["cached"] != 1 || strings.Contains(stderr, "epoch ") || !strings.Contains(stderr, "trained before") || !sameRun(first, second) {
		t.Errorf("second run: %v, stderr %q; want the first run's metrics %v with cached 1, no epoch trained", second, stderr, first)
	}
	third, stderr := trainProcess(t, cache, file, "--no-cache")
	if third["cached"] != 0 || strings.Count(stderr, "epoch ") != 4 {
		t.Errorf("--no-cache: cached %v, stderr %q; want a run trained", third["cached"], stderr)
	}
	// Flip one byte of the data section: the checksum catches it.
	b, err := os.ReadFile(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-3] ^= 0x40
	if err := os.WriteFile(entries[0], b, 0o644); err != nil {
		t.Fatal(err)
	}
	fourth, stderr := trainProcess(t, cache, file)
	if fourth["cached"] != 0 || strings.Count(stderr, "epoch ") != 4 || !strings.Contains(stderr, "corrupt entry") || !sameRun(first, fourth) {
		t.Errorf("after damage: %v, stderr %q; want one line about the damaged entry and a retrained run", fourth, stderr)
	}
	if after, _ := trainProcess(t, cache, file); after["cached"] != 1 {
		t.Errorf("the retrained run was not cached again: %v", after)
	}
}

// TestTrainCacheTwoProcesses starts two goglove train processes on one
// program and one cache at the same moment: one trains, the other waits
// for it and takes its result.
func TestTrainCacheTwoProcesses(t *testing.T) {
	cache := t.TempDir()
	// About a second of training, so that the two runs overlap.
	slow := strings.NewReplacer("train: 2000", "train: 20000", "hidden: [32]", "hidden: [512, 512]").Replace(trainProgram)
	file := filepath.Join(writeTemp(t, map[string]string{"p.yaml": slow}), "p.yaml")
	bin := goglove(t) // build once, before the race
	var wg sync.WaitGroup
	metrics := make([]map[string]float64, 2)
	stderrs := make([]string, 2)
	errs := make([]error, 2)
	var start, end [2]time.Time
	for i := range 2 {
		wg.Go(func() {
			start[i] = time.Now()
			metrics[i], stderrs[i], errs[i] = trainProcessErr(bin, cache, file)
			end[i] = time.Now()
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if !start[0].Before(end[1]) || !start[1].Before(end[0]) {
		t.Fatalf("the two processes did not overlap: %v–%v and %v–%v", start[0], end[0], start[1], end[1])
	}
	trained := 0
	for i := range 2 {
		if strings.Contains(stderrs[i], "epoch ") {
			trained++
		}
	}
	if trained != 1 || metrics[0]["cached"]+metrics[1]["cached"] != 1 || !sameRun(metrics[0], metrics[1]) {
		t.Errorf("%d processes trained, metrics %v and %v, stderr %q and %q; want one trained and one cached, equal", trained, metrics[0], metrics[1], stderrs[0], stderrs[1])
	}
	if n := len(cacheEntries(t, cache)); n != 1 {
		t.Errorf("%d cache entries, want 1", n)
	}
}
