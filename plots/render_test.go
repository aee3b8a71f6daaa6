package plots_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/c2602f9e/goglove/plots"
)

// checkSVG fails unless data is well-formed XML whose root is an svg
// element with a width and a height.
func checkSVG(t *testing.T, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
			var w, h bool
			for _, a := range se.Attr {
				w = w || a.Name.Local == "width"
				h = h || a.Name.Local == "height"
			}
			if !w || !h {
				t.Errorf("the svg element has no width or height: %v", se.Attr)
			}
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
}

// TestRenderFiles saves every kind of the fixture as SVG and PNG and
// checks that each file is a valid image of its format.
func TestRenderFiles(t *testing.T) {
	s := fixture(t, 40)
	dir := t.TempDir()
	for _, kind := range plots.Kinds {
		c, err := plots.Build(kind, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range plots.Formats {
			t.Run(kind+"."+format, func(t *testing.T) {
				path := filepath.Join(dir, kind+"."+format)
				if err := plots.Save(c, path); err != nil {
					t.Fatal(err)
				}
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if format == "svg" {
					checkSVG(t, data)
					return
				}
				img, err := png.Decode(bytes.NewReader(data))
				if err != nil {
					t.Fatalf("not a PNG: %v", err)
				}
				if b := img.Bounds(); b.Dx() < 300 || b.Dy() < 200 {
					t.Errorf("PNG of %dx%d pixels, want at least 300x200", b.Dx(), b.Dy())
				}
			})
		}
	}
}

// TestSaveRefusesFormat checks that only .svg and .png are written.
func TestSaveRefusesFormat(t *testing.T) {
	err := plots.Save(plots.Lines("t", "x", "y"), filepath.Join(t.TempDir(), "a.pdf"))
	if !errors.Is(err, plots.ErrKind) {
		t.Fatalf("Save(a.pdf) = %v, want ErrKind", err)
	}
}

// TestHandCharts renders the charts experiments build, empty ones too.
func TestHandCharts(t *testing.T) {
	for _, c := range []plots.Chart{
		plots.Lines("loss along λ", "λ", "loss", plots.Named{Name: "naive", Points: []plots.XY{{0, 1}, {0.5, 2}, {1, 1}}},
			plots.Named{Name: "matched", Points: []plots.XY{{0, 1}, {0.5, 1.1}, {1, 1}}}),
		plots.Scatter("accuracy against size", "bits", "accuracy", plots.Named{Name: "fp32", Points: []plots.XY{{3200, 0.9}}}),
		plots.Lines("empty", "x", "y"),
	} {
		var b bytes.Buffer
		if err := plots.Render(&b, c, "svg"); err != nil {
			t.Fatalf("%s: %v", c.Title, err)
		}
		checkSVG(t, b.Bytes())
	}
}

// TestEmptyStudy: every kind of a study without trials either draws an
// empty chart or says it lacks the data; none panics.
func TestEmptyStudy(t *testing.T) {
	s := fixture(t, 0)
	for _, kind := range plots.Kinds {
		c, err := plots.Build(kind, s, nil)
		if errors.Is(err, plots.ErrNoData) {
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		var b bytes.Buffer
		if err := plots.Render(&b, c, "png"); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
	}
}
