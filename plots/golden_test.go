package plots_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/c2602f9e/goglove/plots"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden compares each kind's chart data for the fixture study with
// testdata/golden/KIND.json (go test -update rewrites them).
func TestGolden(t *testing.T) {
	s := fixture(t, 24)
	for _, kind := range plots.Kinds {
		t.Run(kind, func(t *testing.T) {
			c, err := plots.Build(kind, s, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(c, "", " ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", kind+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(want, got) {
				t.Errorf("%s: the chart differs from %s; got:\n%s", kind, path, got)
			}
		})
	}
}
