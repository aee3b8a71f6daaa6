package symbolic

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden from their inputs")

// noJSON lists the golden cases whose values JSON cannot express (NaN and
// infinities): they have no NAME.golden.json, and EncodeJSON must fail.
var noJSON = map[string]bool{"special_floats": true}

// TestGolden decodes each testdata/golden/NAME.in.yaml or NAME.in.json and
// compares its canonical encodings with NAME.golden.yaml and
// NAME.golden.json (go test -run TestGolden -update rewrites them). It
// then checks that the canonical forms are fixed points: decoding a golden
// file and encoding the value again gives the same bytes, and the YAML and
// JSON golden files decode to equal values.
func TestGolden(t *testing.T) {
	r := codecRegistry()
	inputs, err := filepath.Glob(filepath.Join("testdata", "golden", "*.in.*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) < 6 {
		t.Fatalf("found %d golden inputs, want at least 6", len(inputs))
	}
	names := make(map[string]string)
	for _, in := range inputs {
		base := filepath.Base(in)
		name := base[:strings.Index(base, ".in.")]
		if other, dup := names[name]; dup {
			t.Fatalf("%s and %s share the golden files of %s", other, base, name)
		}
		names[name] = base
		t.Run(base, func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			opts := &DecodeOptions{Filename: base}
			var v Value
			if strings.HasSuffix(in, ".json") {
				v, err = r.DecodeJSON(data, opts)
			} else {
				v, err = r.DecodeYAML(data, opts)
			}
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			goldenY := filepath.Join("testdata", "golden", name+".golden.yaml")
			goldenJ := filepath.Join("testdata", "golden", name+".golden.json")

			y, err := EncodeYAML(v)
			if err != nil {
				t.Fatalf("EncodeYAML: %v", err)
			}
			compareGolden(t, goldenY, y)

			j, err := EncodeJSON(v)
			if noJSON[name] {
				if !errors.Is(err, ErrRange) {
					t.Errorf("EncodeJSON: got error %v, want ErrRange", err)
				}
				if _, err := os.Stat(goldenJ); err == nil {
					t.Errorf("%s exists, but %s has no JSON form", goldenJ, name)
				}
			} else {
				if err != nil {
					t.Fatalf("EncodeJSON: %v", err)
				}
				compareGolden(t, goldenJ, j)
			}
			if t.Failed() {
				return
			}

			// The golden YAML is a fixed point, and YAML→value→JSON→value
			// gives back the value.
			gy, err := os.ReadFile(goldenY)
			if err != nil {
				t.Fatal(err)
			}
			vy, err := r.DecodeYAML(gy, &DecodeOptions{Filename: goldenY})
			if err != nil {
				t.Fatalf("decode %s: %v", goldenY, err)
			}
			if !Equal(vy, v) {
				t.Errorf("%s decodes to\n%v\nwant\n%v", goldenY, vy, v)
			}
			if again, err := EncodeYAML(vy); err != nil || !bytes.Equal(again, gy) {
				t.Errorf("EncodeYAML(DecodeYAML(%s)) differs (err %v):\n%s", goldenY, err, again)
			}
			if noJSON[name] {
				return
			}
			viaJSON, err := EncodeJSON(vy)
			if err != nil {
				t.Fatalf("EncodeJSON(DecodeYAML(%s)): %v", goldenY, err)
			}
			vj, err := r.DecodeJSON(viaJSON, nil)
			if err != nil || !Equal(vj, vy) {
				t.Errorf("YAML→value→JSON→value: got %v (err %v), want %v", vj, err, vy)
			}

			// The golden JSON is a fixed point too, and decodes to the
			// same value as the golden YAML.
			gj, err := os.ReadFile(goldenJ)
			if err != nil {
				t.Fatal(err)
			}
			vj, err = r.DecodeJSON(gj, &DecodeOptions{Filename: goldenJ})
			if err != nil {
				t.Fatalf("decode %s: %v", goldenJ, err)
			}
			if !Equal(vj, vy) {
				t.Errorf("%s and %s decode to different values:\n%v\n%v", goldenJ, goldenY, vj, vy)
			}
			if again, err := EncodeJSON(vj); err != nil || !bytes.Equal(again, gj) {
				t.Errorf("EncodeJSON(DecodeJSON(%s)) differs (err %v):\n%s", goldenJ, err, again)
			}
		})
	}
}

// compareGolden compares got with the golden file, or rewrites the file
// with -update.
func compareGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update if the change is intended):\n--- got\n%s\n--- want\n%s", golden, got, want)
	}
}
