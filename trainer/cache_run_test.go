package trainer_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

// cachedEnv returns an Env over a new cache, counting the epochs trained
// (each trained epoch calls Progress) and keeping the notices.
func cachedEnv(t *testing.T) (env *trainer.Env, epochs *int, notices *[]string) {
	t.Helper()
	c, err := cache.Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	epochs, notices = new(int), new([]string)
	env = &trainer.Env{
		Cache:    c,
		Progress: func(trainer.Progress) { *epochs++ },
		Notice:   func(s string) { *notices = append(*notices, s) },
	}
	return env, epochs, notices
}

// entries returns the entry files of the cache.
func entries(t *testing.T, c *cache.Cache) []string {
	t.Helper()
	var files []string
	filepath.WalkDir(c.Dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".safetensors") && !strings.HasPrefix(d.Name(), ".") {
			files = append(files, p)
		}
		return err
	})
	return files
}

// sameMetrics reports whether a and b are equal but for cached and
// train_seconds.
func sameMetrics(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if k != trainer.MetricCached && k != trainer.MetricTrainSeconds && b[k] != v {
			return false
		}
	}
	return true
}

func TestCacheHitTrainsNothing(t *testing.T) {
	env, epochs, notices := cachedEnv(t)
	c := decode(t, saveProgram)
	first, err := c.TrainedModel(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	if *epochs != 3 || first.Cached || first.Metrics[trainer.MetricCached] != 0 {
		t.Fatalf("first run: %d epochs trained, cached %v; want 3 and false", *epochs, first.Cached)
	}
	if n := len(entries(t, env.Cache)); n != 1 {
		t.Fatalf("%d cache entries after one run, want 1", n)
	}
	// The same program decoded again (another value, the same canonical
	// form) is a hit: nothing trains, and the network and metrics are the
	// first run's.
	second, err := decode(t, saveProgram).TrainedModel(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	if *epochs != 3 || !second.Cached || second.Metrics[trainer.MetricCached] != 1 || !sameMetrics(first.Metrics, second.Metrics) {
		t.Errorf("second run: %d epochs trained in all, cached %v, metrics %v; want 3, true and %v", *epochs, second.Cached, second.Metrics, first.Metrics)
	}
	for i, p := range first.Net.Params() {
		q := second.Net.Params()[i]
		if p.Name != q.Name || !slices.Equal(p.Value.Data, q.Value.Data) {
			t.Errorf("parameter %s differs after the cache", p.Name)
		}
	}
	// A stage holding the program takes the model from the cache too.
	m, err := trainer.Evaluation{Model: c}.Run(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	if *epochs != 3 || m[trainer.MetricCached] != 1 || m[trainer.MetricTestAccuracy] != first.Metrics[trainer.MetricTestAccuracy] {
		t.Errorf("evaluation: %d epochs trained in all, metrics %v", *epochs, m)
	}
	// Another program (one field changed) is another entry.
	other := decode(t, strings.Replace(saveProgram, "seed: 5", "seed: 6", 1))
	if _, err := other.Run(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	if *epochs != 6 || len(entries(t, env.Cache)) != 2 {
		t.Errorf("another seed: %d epochs trained, %d entries; want 6 and 2", *epochs, len(entries(t, env.Cache)))
	}
	if len(*notices) != 0 {
		t.Errorf("notices %q, want none", *notices)
	}
}

func TestCacheDamagedEntryIsRetrained(t *testing.T) {
	env, epochs, notices := cachedEnv(t)
	first, err := decode(t, saveProgram).Run(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	for _, damage := range []string{"flip", "truncate"} {
		files := entries(t, env.Cache)
		b, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		if damage == "flip" {
			b[len(b)-5] ^= 1
		} else {
			b = b[:len(b)-100]
		}
		if err := os.WriteFile(files[0], b, 0o644); err != nil {
			t.Fatal(err)
		}
		before := *epochs
		m, err := decode(t, saveProgram).Run(context.Background(), env)
		if err != nil {
			t.Fatal(err)
		}
		if *epochs != before+3 || m[trainer.MetricCached] != 0 || !sameMetrics(first, m) {
			t.Errorf("%s: %d epochs retrained, metrics %v; want 3 and the first run's", damage, *epochs-before, m)
		}
		if len(*notices) != 1 || !strings.Contains((*notices)[0], "corrupt entry") {
			t.Errorf("%s: notices %q, want one about the damaged entry", damage, *notices)
		}
		*notices = nil
		if m, _ := decode(t, saveProgram).Run(context.Background(), env); m[trainer.MetricCached] != 1 {
			t.Errorf("%s: the retrained run was not stored again", damage)
		}
	}
}

// TestCacheReplaysReports checks a hit under a Reporter: it receives the
// first run's per-epoch reports; a Reporter that stops the run early
// makes it train for real (each step reported once) and the stopped run
// is not stored.
func TestCacheReplaysReports(t *testing.T) {
	env, epochs, _ := cachedEnv(t)
	full := &stopper{}
	env.Reporter = full
	if _, err := decode(t, synthProgram).Run(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	replayed := &stopper{}
	env.Reporter = replayed
	m, err := decode(t, synthProgram).Run(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	if m[trainer.MetricCached] != 1 || !slices.Equal(replayed.steps, full.steps) || len(replayed.steps) != 8 {
		t.Errorf("hit: steps reported %v, cached %v; want the first run's %v", replayed.steps, m[trainer.MetricCached], full.steps)
	}
	trainedBefore := *epochs
	stopped := &stopper{stopAt: 3}
	env.Reporter = stopped
	m, err = decode(t, synthProgram).Run(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	if m[trainer.MetricStoppedEarly] != 1 || m[trainer.MetricEpochs] != 3 || m[trainer.MetricCached] != 0 || *epochs-trainedBefore != 3 {
		t.Errorf("stopped at 3: metrics %v, %d epochs trained; want stopped_early 1 after 3 epochs trained", m, *epochs-trainedBefore)
	}
	if !slices.Equal(stopped.steps, []int{1, 2, 3}) {
		t.Errorf("stopped at 3: steps reported %v, want [1 2 3] once each", stopped.steps)
	}
	// The full run is still the entry.
	env.Reporter = nil
	if m, _ := decode(t, synthProgram).Run(context.Background(), env); m[trainer.MetricCached] != 1 || m[trainer.MetricEpochs] != 8 {
		t.Errorf("after the stopped run: %v, want the cached full run", m)
	}
}

func TestCacheDoesNotStoreAStoppedRun(t *testing.T) {
	env, _, _ := cachedEnv(t)
	env.Reporter = &stopper{stopAt: 2}
	m, err := decode(t, synthProgram).Run(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	if m[trainer.MetricStoppedEarly] != 1 || len(entries(t, env.Cache)) != 0 {
		t.Errorf("stopped run: %v, %d entries; want stopped_early and no entry", m, len(entries(t, env.Cache)))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	env.Reporter = nil
	if _, err := decode(t, synthProgram).Run(ctx, env); err == nil || len(entries(t, env.Cache)) != 0 {
		t.Errorf("interrupted run: err %v, %d entries; want an error and no entry", err, len(entries(t, env.Cache)))
	}
}

// TestCacheEntryOfAnotherProgramIsNotUsed stores, under one program's
// key, the entry of another: it is not taken for the program (neither
// for its metrics nor for its network), which trains and replaces it.
func TestCacheEntryOfAnotherProgramIsNotUsed(t *testing.T) {
	for _, needNet := range []bool{false, true} {
		env, epochs, notices := cachedEnv(t)
		other := decode(t, strings.Replace(saveProgram, "seed: 5", "seed: 6", 1))
		if _, err := other.Run(context.Background(), env); err != nil {
			t.Fatal(err)
		}
		c := decode(t, saveProgram)
		canon, err := trainer.Canonical(c)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := checkpoint.ReadFile(entries(t, env.Cache)[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := env.Cache.Put(cache.Key(canon), stored); err != nil {
			t.Fatal(err)
		}
		run := func() map[string]float64 {
			t.Helper()
			if !needNet {
				m, err := c.Run(context.Background(), env)
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			tr, err := c.TrainedModel(context.Background(), env)
			if err != nil {
				t.Fatal(err)
			}
			return tr.Metrics
		}
		before := *epochs
		if m := run(); m[trainer.MetricCached] != 0 || *epochs-before != 3 {
			t.Errorf("needNet %v: the other program's entry was used: %v", needNet, m)
		}
		if len(*notices) != 1 || !strings.Contains((*notices)[0], "another program") {
			t.Errorf("needNet %v: notices %q, want one about another program", needNet, *notices)
		}
		if m := run(); m[trainer.MetricCached] != 1 || *epochs-before != 3 {
			t.Errorf("needNet %v: the entry was not replaced by the program's own: %v", needNet, m)
		}
	}
}
