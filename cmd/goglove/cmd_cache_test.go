package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"
)

// cacheProgram is the program of the test entries.
const cacheProgram = "_type: trainer.Classifier\nmodel: {_type: trainer.MLP, hidden: [4]}\n"

// testCache points GOGLOVE_CACHE at a new directory and opens the cache
// there.
func testCache(t *testing.T) *cache.Cache {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "models")
	t.Setenv(cache.EnvDir, dir)
	t.Setenv(cache.EnvSize, "")
	c, err := cache.Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// putEntry stores an entry of n values under the key of name, with the
// given test accuracy, last used at used, and returns its key.
func putEntry(t *testing.T, c *cache.Cache, name string, n int, acc float64, used time.Time) string {
	t.Helper()
	key := cache.Key([]byte(name))
	mj, err := json.Marshal(map[string]float64{"test_accuracy": acc})
	if err != nil {
		t.Fatal(err)
	}
	ckpt := &checkpoint.Checkpoint{
		Tensors:  []checkpoint.Tensor{{Name: "w", Shape: []int{n}, Data: make([]float32, n)}},
		Metadata: map[string]string{checkpoint.KeyProgram: cacheProgram, checkpoint.KeyMetrics: string(mj)},
	}
	if err := c.Put(key, ckpt); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(c.Path(key), used, used); err != nil {
		t.Fatal(err)
	}
	return key
}

// mustRunCache runs a cache verb and fails the test unless it exits 0.
func mustRunCache(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := runCLI(t, t.Context(), append([]string{"cache"}, args...)...)
	if code != 0 {
		t.Fatalf("goglove cache %s: exit %d, stderr %q", strings.Join(args, " "), code, stderr)
	}
	return stdout
}

func TestCacheLs(t *testing.T) {
	c := testCache(t)
	now := time.Now()
	older := putEntry(t, c, "older", 100_000, 0.5, now.Add(-2*time.Hour))
	newer := putEntry(t, c, "newer", 300_000, 0.9375, now.Add(-time.Minute))
	out := mustRunCache(t, "ls")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("cache ls printed %d lines, want 2 entries and a total:\n%s", len(lines), out)
	}
	for i, want := range []struct {
		key, size, acc string
	}{{newer, "1.2 MB", "test_accuracy 0.9375"}, {older, "400 kB", "test_accuracy 0.5"}} {
		for _, part := range []string{want.key[:12], want.size, want.acc, "trainer.Classifier (trainer.MLP)"} {
			if !strings.Contains(lines[i], part) {
				t.Errorf("line %d %q lacks %q", i+1, lines[i], part)
			}
		}
		if strings.Contains(lines[i], want.key[:13]) {
			t.Errorf("line %d %q shows more than 12 digits of the key", i+1, lines[i])
		}
	}
	var sum int64
	for _, k := range []string{older, newer} {
		st, err := os.Stat(c.Path(k))
		if err != nil {
			t.Fatal(err)
		}
		sum += st.Size()
	}
	if want := "2 entries, " + cache.FormatSize(sum) + " in " + c.Dir + " (limit " + cache.FormatSize(cache.DefaultMaxBytes) + ")"; lines[2] != want {
		t.Errorf("total line %q, want %q", lines[2], want)
	}
	t.Setenv(cache.EnvSize, "1GiB")
	out = mustRunCache(t, "ls")
	if !strings.Contains(out, "(limit 1.1 GB)") {
		t.Errorf("cache ls does not show the limit of %s=1GiB:\n%s", cache.EnvSize, out)
	}

	var got struct {
		Dir        string `json:"dir"`
		MaxBytes   int64  `json:"max_bytes"`
		TotalBytes int64  `json:"total_bytes"`
		Entries    []struct {
			Key       string             `json:"key"`
			Path      string             `json:"path"`
			SizeBytes int64              `json:"size_bytes"`
			Used      time.Time          `json:"used"`
			Program   string             `json:"program"`
			Metrics   map[string]float64 `json:"metrics"`
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(mustRunCache(t, "ls", "--json")), &got); err != nil {
		t.Fatal(err)
	}
	if got.Dir != c.Dir || got.MaxBytes != 1<<30 || len(got.Entries) != 2 {
		t.Fatalf("cache ls --json = %+v, want dir %s, max_bytes 1 GiB, 2 entries", got, c.Dir)
	}
	var total int64
	for i, key := range []string{newer, older} {
		e := got.Entries[i]
		st, err := os.Stat(c.Path(key))
		if err != nil {
			t.Fatal(err)
		}
		total += st.Size()
		if e.Key != key || e.Path != c.Path(key) || e.SizeBytes != st.Size() || e.Program != "trainer.Classifier (trainer.MLP)" {
			t.Errorf("entry %d = %+v, want key %s, size %d", i, e, key, st.Size())
		}
		if d := e.Used.Sub(st.ModTime()); d > time.Second || d < -time.Second {
			t.Errorf("entry %d used %v, the file's time is %v", i, e.Used, st.ModTime())
		}
	}
	if d := cmp.Diff(map[string]float64{"test_accuracy": 0.9375}, got.Entries[0].Metrics); d != "" {
		t.Errorf("metrics (-want +got):\n%s", d)
	}
	if got.TotalBytes != total {
		t.Errorf("total_bytes %d, the files add up to %d", got.TotalBytes, total)
	}
	// An empty cache lists [] and a zero total.
	testCache(t)
	if out := mustRunCache(t, "ls", "--json"); !strings.Contains(out, `"entries": []`) || !strings.Contains(out, `"total_bytes": 0`) {
		t.Errorf("cache ls --json of an empty cache:\n%s", out)
	}
}

// sharedPrefixNames returns two names whose keys share their first 6 hex
// digits.
func sharedPrefixNames(t *testing.T) (string, string) {
	seen := map[string]string{}
	for i := range 1 << 20 {
		name := "n" + strconv.Itoa(i)
		p := cache.Key([]byte(name))[:6]
		if other, ok := seen[p]; ok {
			return other, name
		}
		seen[p] = name
	}
	t.Fatal("no two keys share a 6-digit prefix")
	return "", ""
}

func TestCacheRm(t *testing.T) {
	c := testCache(t)
	now := time.Now()
	a := putEntry(t, c, "a", 10, 0.1, now)
	b := putEntry(t, c, "b", 10, 0.2, now)
	n1, n2 := sharedPrefixNames(t)
	s1 := putEntry(t, c, n1, 10, 0.3, now)
	s2 := putEntry(t, c, n2, 10, 0.4, now)

	bad := []struct {
		args []string
		want string
	}{
		{[]string{"rm"}, "give KEYs or --all"},
		{[]string{"rm", "--all", a[:8]}, "--all takes no KEY"},
		{[]string{"rm", a[:5]}, `key "` + a[:5] + `" is not a key or a prefix of 6 to 64 hex digits`},
		{[]string{"rm", "xyzxyzxyz"}, `"xyzxyzxyz"`},
		{[]string{"rm", a[:8], s1[:6]}, "ambiguous key prefix " + s1[:6]},
		{[]string{"rm", b[:10], unknownPrefix(a, b, s1, s2)}, "no entry with a key starting " + unknownPrefix(a, b, s1, s2)},
	}
	for _, tt := range bad {
		code, stdout, stderr := runCLI(t, t.Context(), append([]string{"cache"}, tt.args...)...)
		if code != 2 || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
			t.Errorf("cache %s: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", strings.Join(tt.args, " "), code, stdout, stderr, tt.want)
		}
	}
	// No bad KEY removed anything.
	if entries, err := c.List(); err != nil || len(entries) != 4 {
		t.Fatalf("after the failed rm calls the cache holds %d entries, %v; want 4", len(entries), err)
	}
	out := mustRunCache(t, "rm", a[:6], strings.ToUpper(b[:12]), s2)
	for _, k := range []string{a, b, s2} {
		if !strings.Contains(out, "removed  "+k[:12]) {
			t.Errorf("rm output does not name %s:\n%s", k[:12], out)
		}
		if _, err := c.Get(k); err == nil {
			t.Errorf("entry %s is still there after rm", k[:12])
		}
	}
	if _, err := c.Get(s1); err != nil {
		t.Errorf("rm removed an entry it was not given: %v", err)
	}
	st, err := os.Stat(c.Path(s1))
	if err != nil {
		t.Fatal(err)
	}
	out = mustRunCache(t, "rm", "--all")
	if want := "removed  " + s1[:12] + "  " + cache.FormatSize(st.Size()) + "  trainer.Classifier (trainer.MLP)  test_accuracy 0.3\nremoved 1 entry, " + cache.FormatSize(st.Size()) + "\n"; out != want {
		t.Errorf("rm --all printed\n%s\nwant\n%s", out, want)
	}
	if entries, err := c.List(); err != nil || len(entries) != 0 {
		t.Errorf("after rm --all the cache holds %d entries, %v", len(entries), err)
	}
}

func TestCachePrune(t *testing.T) {
	c := testCache(t)
	now := time.Now()
	oldest := putEntry(t, c, "oldest", 1000, 0.1, now.Add(-3*time.Hour))
	middle := putEntry(t, c, "middle", 1000, 0.2, now.Add(-2*time.Hour))
	newest := putEntry(t, c, "newest", 1000, 0.3, now.Add(-time.Hour))
	st, err := os.Stat(c.Path(oldest))
	if err != nil {
		t.Fatal(err)
	}
	size := st.Size()
	// No limit configured: nothing is removed.
	t.Setenv(cache.EnvSize, "0")
	if out := mustRunCache(t, "prune"); !strings.HasPrefix(out, "removed 0 entries, 0 B; 3 entries left") || !strings.Contains(out, "(no limit)") {
		t.Errorf("prune without a limit:\n%s", out)
	}
	// The configured limit, two entries' worth: the oldest goes.
	t.Setenv(cache.EnvSize, strconvItoa(2*size))
	out := mustRunCache(t, "prune")
	if !strings.Contains(out, "removed  "+oldest[:12]) || strings.Contains(out, middle[:12]) || !strings.Contains(out, "2 entries left") {
		t.Errorf("prune to the configured limit removed the wrong entries:\n%s", out)
	}
	// --max-size overrides it.
	out = mustRunCache(t, "prune", "--max-size", strconvItoa(size)+"B")
	if !strings.Contains(out, middle[:12]) || strings.Contains(out, newest[:12]) || !strings.Contains(out, "1 entry left") {
		t.Errorf("prune --max-size removed the wrong entries:\n%s", out)
	}
	if _, err := c.Get(newest); err != nil {
		t.Errorf("the most recently used entry is gone: %v", err)
	}
	code, _, stderr := runCLI(t, t.Context(), "cache", "prune", "--max-size", "lots")
	if code != 2 || !strings.Contains(stderr, `--max-size "lots"`) {
		t.Errorf("prune --max-size lots: exit %d, stderr %q; want 2 naming the flag", code, stderr)
	}
}

// unknownPrefix returns a 10-digit prefix of no key of keys (at most
// four: each starts at most one of the five candidates).
func unknownPrefix(keys ...string) string {
	for _, p := range []string{"0000000000", "1111111111", "2222222222", "3333333333", "4444444444"} {
		known := false
		for _, k := range keys {
			known = known || strings.HasPrefix(k, p)
		}
		if !known {
			return p
		}
	}
	panic("unknownPrefix: each of the five prefixes starts one of the keys")
}

// strconvItoa formats n.
func strconvItoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestCacheDirAndOff(t *testing.T) {
	c := testCache(t)
	if out := mustRunCache(t, "dir"); out != c.Dir+"\n" {
		t.Errorf("cache dir = %q, want %q", out, c.Dir)
	}
	other := t.TempDir()
	if out := mustRunCache(t, "dir", "--dir", other); out != other+"\n" {
		t.Errorf("cache dir --dir = %q, want %q", out, other)
	}
	putEntry(t, c, "x", 4, 0.5, time.Now())
	if out := mustRunCache(t, "--dir", other, "ls"); !strings.HasPrefix(out, "0 entries") {
		t.Errorf("cache --dir OTHER ls lists the default cache:\n%s", out)
	}
	t.Setenv(cache.EnvDir, "off")
	for _, args := range [][]string{{"ls"}, {"ls", "--json"}, {"rm", "--all"}, {"rm", "abcdef"}, {"prune"}, {"dir"}} {
		code, stdout, stderr := runCLI(t, t.Context(), append([]string{"cache"}, args...)...)
		if code != 2 || stdout != "" || stderr != "goglove: caching is off (GOGLOVE_CACHE=off); unset it or give --dir\n" {
			t.Errorf("cache %s with caching off: exit %d, stdout %q, stderr %q; want exit 2 and one line", strings.Join(args, " "), code, stdout, stderr)
		}
	}
	t.Setenv(cache.EnvDir, c.Dir)
	t.Setenv(cache.EnvSize, "2 parsecs")
	code, _, stderr := runCLI(t, t.Context(), "cache", "ls")
	if code != 2 || !strings.HasPrefix(stderr, "goglove: cache: GOGLOVE_CACHE_SIZE \"2 parsecs\": ") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("a bad %s: exit %d, stderr %q; want exit 2 and one line naming it", cache.EnvSize, code, stderr)
	}
	code, _, stderr = runCLI(t, t.Context(), "cache", "ls", "extra")
	if code != 2 || !strings.Contains(stderr, `unexpected argument "extra"`) {
		t.Errorf("cache ls extra: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCLI(t, t.Context(), "cache", "lss")
	if code != 2 || !strings.Contains(stderr, `did you mean "ls"`) {
		t.Errorf("cache lss: exit %d, stderr %q", code, stderr)
	}
}

// TestCacheHelp: the help of every cache verb shows its usage line and
// all of its flags.
func TestCacheHelp(t *testing.T) {
	verbs := newCacheCmd().Commands()
	if len(verbs) != 4 {
		t.Fatalf("cache has %d verbs, want ls, rm, prune and dir", len(verbs))
	}
	for _, verb := range verbs {
		args := []string{"cache", verb.Name(), "--help"}
		code, stdout, stderr := runCLI(t, t.Context(), args...)
		if code != 0 || stderr != "" {
			t.Fatalf("%s: exit code %d, stderr %q", strings.Join(args, " "), code, stderr)
		}
		if !strings.Contains(stdout, "goglove cache "+verb.Name()) || !strings.Contains(stdout, "--dir") {
			t.Errorf("%s does not show the usage line or --dir:\n%s", strings.Join(args, " "), stdout)
		}
		verb.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if !strings.Contains(stdout, "--"+f.Name) || !strings.Contains(stdout, f.Usage) {
				t.Errorf("%s does not mention flag --%s", strings.Join(args, " "), f.Name)
			}
		})
	}
}
