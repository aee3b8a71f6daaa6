package cache

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"github.com/google/go-cmp/cmp"
)

func TestListDetails(t *testing.T) {
	c := openTemp(t, 0)
	key := Key([]byte("details"))
	if err := c.Put(key, newCkpt(10, 1)); err != nil {
		t.Fatal(err)
	}
	bare := Key([]byte("bare"))
	if err := c.Put(bare, &checkpoint.Checkpoint{Metadata: map[string]string{checkpoint.KeyProgram: "just text\nmore"}}); err != nil {
		t.Fatal(err)
	}
	setUsed(t, c, bare, time.Now().Add(-time.Minute))
	broken := Key([]byte("broken"))
	if err := os.MkdirAll(filepath.Dir(c.Path(broken)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.Path(broken), []byte{1, 2}, 0o644); err != nil {
		t.Fatal(err)
	}
	setUsed(t, c, broken, time.Now().Add(-time.Hour))
	// Files that are not entries: a temporary file, a lock file, a file
	// in the wrong shard, a stray file at the top.
	for _, name := range []string{"." + key + ".safetensors.tmp123", "." + key + ".lock", "README"} {
		if err := os.WriteFile(filepath.Join(c.Dir, key[:2], name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(c.Dir, "zz"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.Dir, "zz", key+".safetensors"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.Dir, "stray"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	entries, err := c.List()
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{key, bare, broken}, keysOf(entries)); d != "" {
		t.Fatalf("List keys (-want +got):\n%s", d)
	}
	e := entries[0]
	st, err := os.Stat(c.Path(key))
	if err != nil {
		t.Fatal(err)
	}
	if e.Path != c.Path(key) || e.Size != st.Size() || !e.Used.Equal(st.ModTime()) || e.Err != nil {
		t.Errorf("entry = %+v, want path %s, size %d, used %v", e, c.Path(key), st.Size(), st.ModTime())
	}
	if e.Program != "trainer.Classifier (trainer.MLP)" {
		t.Errorf("Program = %q, want the program and model types", e.Program)
	}
	if d := cmp.Diff(map[string]float64{"test_accuracy": 0.875, "params": 80}, e.Metrics); d != "" {
		t.Errorf("Metrics (-want +got):\n%s", d)
	}
	if entries[1].Program != "just text" || entries[1].Metrics != nil {
		t.Errorf("a program that is no mapping: Program %q, Metrics %v; want its first line, none", entries[1].Program, entries[1].Metrics)
	}
	if entries[2].Err == nil {
		t.Error("an entry of two bytes has no header error")
	}
}

func TestResolveAndRemove(t *testing.T) {
	c := openTemp(t, 0)
	// Find two keys sharing their first 3 hex digits.
	seen := map[string]string{}
	var a, b string
	for i := 0; a == ""; i++ {
		k := Key([]byte{byte(i), byte(i >> 8)})
		if other, ok := seen[k[:3]]; ok {
			a, b = other, k
		}
		seen[k[:3]] = k
	}
	for _, k := range []string{a, b} {
		if err := c.Put(k, newCkpt(2, 0)); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := c.Resolve(a[:10]); got != a || err != nil {
		t.Errorf("Resolve(%s) = %s, %v; want %s", a[:10], got, err, a)
	}
	if got, err := c.Resolve(b); got != b || err != nil {
		t.Errorf("Resolve(whole key) = %s, %v", got, err)
	}
	if _, err := c.Resolve(a[:3]); !errors.Is(err, ErrAmbiguous) {
		t.Errorf("Resolve of a shared prefix: %v, want ErrAmbiguous", err)
	}
	unknown := "0" + a[1:10]
	if a[0] == '0' {
		unknown = "1" + a[1:10]
	}
	if _, err := c.Resolve(unknown); !errors.Is(err, ErrMiss) {
		t.Errorf("Resolve of an unknown prefix: %v, want ErrMiss", err)
	}
	for _, bad := range []string{"", "a", "XYZ", "../x"} {
		if _, err := c.Resolve(bad); err == nil || errors.Is(err, ErrMiss) {
			t.Errorf("Resolve(%q): %v, want a prefix error", bad, err)
		}
	}
	if err := c.Remove(a); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(a); !errors.Is(err, ErrMiss) {
		t.Errorf("Get after Remove: %v, want ErrMiss", err)
	}
	if got, err := c.Resolve(a[:3]); got != b || err != nil {
		t.Errorf("Resolve after removing one of two: %s, %v; want %s", got, err, b)
	}
}

func TestPrune(t *testing.T) {
	c := openTemp(t, 0)
	keys := []string{Key([]byte("p0")), Key([]byte("p1")), Key([]byte("p2"))}
	for i, k := range keys {
		if err := c.Put(k, newCkpt(100, float32(i))); err != nil {
			t.Fatal(err)
		}
		setUsed(t, c, k, time.Now().Add(time.Duration(i-10)*time.Minute))
	}
	old := time.Now().Add(-2 * StaleAge)
	shard := filepath.Join(c.Dir, keys[0][:2])
	staleTmp := filepath.Join(shard, "."+keys[0]+".safetensors.tmp1")
	freshTmp := filepath.Join(shard, "."+keys[0]+".safetensors.tmp2")
	staleLock := filepath.Join(shard, "."+keys[0]+".lock")
	for _, p := range []string{staleTmp, freshTmp, staleLock} {
		if err := os.WriteFile(p, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{staleTmp, staleLock} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	// A stale lock file a process holds stays.
	heldKey := Key([]byte("held"))
	l, err := c.lock(t.Context(), heldKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(c.lockPath(heldKey), old, old); err != nil {
		t.Fatal(err)
	}
	removed, err := c.Prune(-1)
	if err != nil || len(removed) != 0 {
		t.Fatalf("Prune(-1) = %v, %v; want no entry removed", removed, err)
	}
	for p, want := range map[string]bool{staleTmp: false, freshTmp: true, staleLock: false, c.lockPath(heldKey): fileLocks} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("after Prune %s exists: %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
	l.unlock()
	st, err := os.Stat(c.Path(keys[0]))
	if err != nil {
		t.Fatal(err)
	}
	removed, err = c.Prune(2*st.Size() + 1)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{keys[0]}, keysOf(removed)); d != "" {
		t.Errorf("Prune to two entries removed (-want +got):\n%s", d)
	}
	if removed[0].Program == "" || removed[0].Size != st.Size() {
		t.Errorf("removed entry %+v lacks its details", removed[0])
	}
	removed, err = c.Prune(0)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{keys[1], keys[2]}, keysOf(removed)); d != "" {
		t.Errorf("Prune(0) removed (-want +got):\n%s", d)
	}
	if entries, err := c.List(); err != nil || len(entries) != 0 {
		t.Errorf("after Prune(0) List = %v, %v; want none", entries, err)
	}
}
