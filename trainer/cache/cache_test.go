package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"github.com/google/go-cmp/cmp"
)

// testProgram is the program YAML of the test checkpoints.
const testProgram = "_type: trainer.Classifier\ndata: {_type: trainer.Synthetic}\nmodel: {_type: trainer.MLP, hidden: [8]}\noptimizer: {_type: trainer.SGD}\n"

// newCkpt returns a checkpoint of n float32 values, different for each
// seed, with the test program and a test_accuracy metric.
func newCkpt(n int, seed float32) *checkpoint.Checkpoint {
	data := make([]float32, n)
	for i := range data {
		data[i] = seed + float32(i)*0.25
	}
	return &checkpoint.Checkpoint{
		Tensors: []checkpoint.Tensor{{Name: "layers[0].w", Shape: []int{n}, Data: data}},
		Metadata: map[string]string{
			checkpoint.KeyProgram: testProgram,
			checkpoint.KeyMetrics: `{"test_accuracy": 0.875, "params": 80, "note": "x"}`,
		},
	}
}

// openTemp opens a cache in a new temporary directory.
func openTemp(t testing.TB, maxBytes int64) *Cache {
	t.Helper()
	c, err := Open(filepath.Join(t.TempDir(), "models"), maxBytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestKey(t *testing.T) {
	canonical := []byte(testProgram)
	sum := sha256.Sum256(append([]byte("goglove-cache-v1\n"), canonical...))
	if got, want := Key(canonical), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("Key = %s, want %s", got, want)
	}
	if Key([]byte("a")) == Key([]byte("b")) {
		t.Error("Key gives two texts the same key")
	}
	if err := checkKey(Key(nil)); err != nil {
		t.Errorf("checkKey(Key(nil)): %v", err)
	}
}

func TestRoundTrip(t *testing.T) {
	c := openTemp(t, 0)
	key := Key([]byte(testProgram))
	want := newCkpt(1000, 1)
	if err := c.Put(key, want); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(c.Dir, key[:2], key+".safetensors")); err != nil {
		t.Fatalf("the entry is not where the documentation says: %v", err)
	}
	got, err := c.Get(key)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Get after Put (-put +got):\n%s", d)
	}
	// Put replaces an entry.
	want2 := newCkpt(10, 7)
	if err := c.Put(key, want2); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Get(key); err != nil || !cmp.Equal(want2, got) {
		t.Errorf("Get after a second Put = %v, %v; want the second checkpoint", got, err)
	}
}

func TestMiss(t *testing.T) {
	c := openTemp(t, 0)
	key := Key([]byte("never stored"))
	if _, err := c.Get(key); !errors.Is(err, ErrMiss) || errors.Is(err, ErrCorrupt) {
		t.Errorf("Get of a missing key: %v, want ErrMiss", err)
	}
	if err := c.Remove(key); !errors.Is(err, ErrMiss) {
		t.Errorf("Remove of a missing key: %v, want ErrMiss", err)
	}
}

func TestBadKeys(t *testing.T) {
	c := openTemp(t, 0)
	for _, key := range []string{"", "../../etc/passwd", strings.Repeat("A", 64), strings.Repeat("a", 63), strings.Repeat("a", 62) + "/x"} {
		if _, err := c.Get(key); err == nil || !strings.Contains(err.Error(), "64 lower-case hex digits") {
			t.Errorf("Get(%q): %v, want a key error", key, err)
		}
		if err := c.Put(key, newCkpt(1, 0)); err == nil {
			t.Errorf("Put(%q) succeeded", key)
		}
		if err := c.Remove(key); err == nil {
			t.Errorf("Remove(%q) succeeded", key)
		}
		if _, err := c.Fill(t.Context(), key, func() (*checkpoint.Checkpoint, error) { return newCkpt(1, 0), nil }); err == nil {
			t.Errorf("Fill(%q) succeeded", key)
		}
	}
	if _, err := Open(t.TempDir(), -1); err == nil {
		t.Error("Open with a negative limit succeeded")
	}
}

func TestCorrupt(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"truncated", func(t *testing.T, path string) {
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, st.Size()-3); err != nil {
				t.Fatal(err)
			}
		}},
		{"flipped data byte", func(t *testing.T, path string) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)-10] ^= 0x40
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"empty", func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := openTemp(t, 0)
			key := Key([]byte(tt.name))
			if err := c.Put(key, newCkpt(100, 3)); err != nil {
				t.Fatal(err)
			}
			path := c.Path(key)
			tt.damage(t, path)
			_, err := c.Get(key)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Get of a damaged entry: %v, want ErrCorrupt", err)
			}
			if msg := err.Error(); !strings.Contains(msg, path) || strings.Count(msg, path) != 1 || strings.Contains(msg, "\n") {
				t.Errorf("error %q does not name the file %s once, on one line", msg, path)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the corrupt entry was not removed: %v", err)
			}
			// Damage it again: Fill reports the corruption and computes.
			if err := c.Put(key, newCkpt(100, 3)); err != nil {
				t.Fatal(err)
			}
			tt.damage(t, path)
			computed := 0
			res, err := c.Fill(t.Context(), key, func() (*checkpoint.Checkpoint, error) {
				computed++
				return newCkpt(100, 4), nil
			})
			if err != nil || computed != 1 || res.Hit || !errors.Is(res.Corrupt, ErrCorrupt) || res.StoreErr != nil {
				t.Fatalf("Fill after damage: %+v, %v, computed %d times; want one computation, Corrupt set", res, err, computed)
			}
			got, err := c.Get(key)
			if err != nil || !cmp.Equal(got, newCkpt(100, 4)) {
				t.Errorf("Get after Fill = %v, %v; want the recomputed checkpoint", got, err)
			}
		})
	}
}

// setUsed sets the last use of key's entry to t.
func setUsed(t *testing.T, c *Cache, key string, when time.Time) {
	t.Helper()
	if err := os.Chtimes(c.Path(key), when, when); err != nil {
		t.Fatal(err)
	}
}

// keysOf returns the keys of entries, in order.
func keysOf(entries []Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Key)
	}
	return out
}

func TestEvictionLRU(t *testing.T) {
	c := openTemp(t, 0)
	keys := make([]string, 5)
	for i := range keys {
		keys[i] = Key([]byte{byte('a' + i)})
		if err := c.Put(keys[i], newCkpt(1000, float32(i))); err != nil {
			t.Fatal(err)
		}
	}
	st, err := os.Stat(c.Path(keys[0]))
	if err != nil {
		t.Fatal(err)
	}
	size := st.Size()
	// Used order, oldest first: 3, 1, 4, 0, 2.
	base := time.Now().Add(-time.Hour)
	for rank, i := range []int{3, 1, 4, 0, 2} {
		setUsed(t, c, keys[i], base.Add(time.Duration(rank)*time.Minute))
	}
	entries, err := c.List()
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{keys[2], keys[0], keys[4], keys[1], keys[3]}, keysOf(entries)); d != "" {
		t.Errorf("List order, most recently used first (-want +got):\n%s", d)
	}
	// Reading 3, the oldest, makes it the most recently used.
	if _, err := c.Get(keys[3]); err != nil {
		t.Fatal(err)
	}
	// A limit of three entries: adding a sixth evicts the three least
	// recently used, 1, 4 and 0.
	c.MaxBytes = 3 * size
	six := Key([]byte("six"))
	if err := c.Put(six, newCkpt(1000, 6)); err != nil {
		t.Fatal(err)
	}
	entries, err = c.List()
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(sortedKeys([]string{keys[2], keys[3], six}), sortedKeys(keysOf(entries))); d != "" {
		t.Errorf("entries left after eviction (-want +got):\n%s", d)
	}
	if entries[0].Key != six && entries[1].Key != six {
		t.Errorf("the entry just written is not among the two most recently used: %v", keysOf(entries))
	}
	// A limit below one entry keeps only the entry just written.
	c.MaxBytes = 1
	seven := Key([]byte("seven"))
	if err := c.Put(seven, newCkpt(1000, 7)); err != nil {
		t.Fatal(err)
	}
	if entries, err := c.List(); err != nil || len(entries) != 1 || entries[0].Key != seven {
		t.Errorf("after Put with a 1-byte limit: %v, %v; want only the new entry", keysOf(entries), err)
	}
}

// sortedKeys returns keys sorted, to compare sets of keys.
func sortedKeys(keys []string) []string {
	out := slices.Clone(keys)
	slices.Sort(out)
	return out
}
