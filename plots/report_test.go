package plots_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/c2602f9e/goglove/plots"
)

// TestReportGolden writes the fixture's report and compares its Markdown
// with testdata/golden/report.md; every plot it shows is a file written.
func TestReportGolden(t *testing.T) {
	dir := t.TempDir()
	files, err := plots.WriteReport(dir, fixture(t, 30), &plots.ReportOptions{Store: "the SQLite file fixture.db", Top: 5})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, plots.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	images := regexp.MustCompile(`!\[[a-z]+\]\((plots/[a-z]+\.svg)\)`).FindAllSubmatch(got, -1)
	if len(images) != len(plots.Kinds) || len(files) != len(images)+1 {
		t.Errorf("%d images in the report, %d files written; want %d and %d", len(images), len(files), len(plots.Kinds), len(plots.Kinds)+1)
	}
	for _, m := range images {
		if _, err := os.Stat(filepath.Join(dir, string(m[1]))); err != nil {
			t.Errorf("the report shows %s: %v", m[1], err)
		}
	}
	path := filepath.Join("testdata", "golden", "report.md")
	if *update {
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
		t.Errorf("the report differs from %s; got:\n%s", path, got)
	}
}
