package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// checkSVGs fails unless the SVG files of dir are exactly names, each a
// well-formed XML document whose root is an svg element with a width and
// a height that draws something (a path).
func checkSVGs(t *testing.T, dir string, names ...string) {
	t.Helper()
	found, err := filepath.Glob(filepath.Join(dir, "*.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range found {
		found[i] = filepath.Base(found[i])
	}
	want := slices.Sorted(slices.Values(names))
	if !slices.Equal(found, want) {
		t.Errorf("the plots of %s are %v, want %v", dir, found, want)
	}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Error(err)
			continue
		}
		if err := validSVG(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// validSVG reports why data is not an SVG document that draws something.
func validSVG(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	root, paths := "", 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			root = se.Name.Local
			var w, h bool
			for _, a := range se.Attr {
				w = w || a.Name.Local == "width"
				h = h || a.Name.Local == "height"
			}
			if !w || !h {
				return errors.New("the svg element has no width or height")
			}
		}
		if se.Name.Local == "path" {
			paths++
		}
	}
	switch {
	case root != "svg":
		return errors.New("the root element is " + root + ", not svg")
	case paths == 0:
		return errors.New("nothing is drawn (no path element)")
	}
	return nil
}

// TestValidSVG: validSVG tells SVG documents from other files.
func TestValidSVG(t *testing.T) {
	for _, c := range []struct {
		name, data string
		ok         bool
	}{
		{"drawn", `<svg width="1" height="1"><g><path d="M0 0"/></g></svg>`, true},
		{"empty", `<svg width="1" height="1"></svg>`, false},
		{"no size", `<svg><path d="M0 0"/></svg>`, false},
		{"html", `<html width="1" height="1"><path/></html>`, false},
		{"broken", `<svg width="1" height="1"><path>`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := validSVG([]byte(c.data)); (err == nil) != c.ok {
				t.Errorf("validSVG(%s) = %v, want ok %v", c.data, err, c.ok)
			}
		})
	}
}
