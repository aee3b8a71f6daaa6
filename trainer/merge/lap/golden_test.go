package lap

import (
	"bufio"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writeMatrices names a directory to write the golden test's matrices to,
// as raw little-endian float64 files KIND-N-SEED.f64 that
// testdata/scipy_golden.py and testdata/scipy_bench.py read.
var writeMatrices = flag.String("write-matrices", "", "write the golden and benchmark matrices to `DIR` for the Python scripts of testdata")

// goldenFile holds the totals scipy.optimize.linear_sum_assignment found
// for the matrices named by kind, n and seed (testdata/scipy_golden.py
// writes it).
const goldenFile = "testdata/scipy.golden"

// TestGolden compares Minimize's totals with scipy's on the matrices of
// testdata/scipy.golden, regenerated from their seeds.
func TestGolden(t *testing.T) {
	if *writeMatrices != "" {
		writeAll(t, *writeMatrices)
	}
	f, err := os.Open(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	lines := 0
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		kind, n, seed, want, err := parseGolden(text)
		if err != nil {
			t.Fatalf("%s:%d: %v", goldenFile, line, err)
		}
		lines++
		m := matrix(kind, n, seed)
		perm, got, err := Minimize(n, m)
		if err != nil {
			t.Fatal(err)
		}
		if !isPerm(n, perm) {
			t.Fatalf("%s:%d: %v is not a permutation", goldenFile, line, perm)
		}
		// scipy adds the same costs in another order.
		if math.Abs(got-want) > 1e-12*float64(n)*(1+math.Abs(want)) {
			t.Errorf("%s:%d: %s n = %d seed %d: Minimize total %.17g, scipy %.17g", goldenFile, line, kind, n, seed, got, want)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if lines < 8 {
		t.Fatalf("%s: %d problems, want at least 8", goldenFile, lines)
	}
}

// parseGolden parses a line "KIND N SEED TOTAL".
func parseGolden(text string) (kind string, n int, seed uint64, total float64, err error) {
	fields := strings.Fields(text)
	if len(fields) != 4 {
		return "", 0, 0, 0, fmt.Errorf("want 4 fields KIND N SEED TOTAL, got %q", text)
	}
	kind = fields[0]
	known := false
	for _, k := range kinds {
		known = known || k == kind
	}
	if !known {
		return "", 0, 0, 0, fmt.Errorf("kind %q unknown, want one of %v", kind, kinds)
	}
	if n, err = strconv.Atoi(fields[1]); err != nil || n < 0 {
		return "", 0, 0, 0, fmt.Errorf("n %q: want an integer ≥ 0", fields[1])
	}
	if seed, err = strconv.ParseUint(fields[2], 10, 64); err != nil {
		return "", 0, 0, 0, fmt.Errorf("seed %q: want an unsigned integer", fields[2])
	}
	if total, err = strconv.ParseFloat(fields[3], 64); err != nil {
		return "", 0, 0, 0, fmt.Errorf("total %q: want a number", fields[3])
	}
	return kind, n, seed, total, nil
}

// writeAll writes seeds 1, 2 and 3 of every kind at n = 64, 256 and 512
// to dir: the golden file's problems (n = 64 and 512) and the benchmarks'
// (seed 1).
func writeAll(t *testing.T, dir string) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, kind := range kinds {
		for _, n := range []int{64, 256, 512} {
			for seed := uint64(1); seed <= 3; seed++ {
				m := matrix(kind, n, seed)
				buf := make([]byte, 8*len(m))
				for k, c := range m {
					binary.LittleEndian.PutUint64(buf[8*k:], math.Float64bits(c))
				}
				name := filepath.Join(dir, fmt.Sprintf("%s-%d-%d.f64", kind, n, seed))
				if err := os.WriteFile(name, buf, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	t.Logf("wrote the matrices to %s", dir)
}
