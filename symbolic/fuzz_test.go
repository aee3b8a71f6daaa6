package symbolic

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// The fuzz targets' seed corpora are in testdata/fuzz/FuzzNAME; the f.Add
// seeds below are a few more. Run a target with, for example,
//
//	go test ./symbolic -run '^$' -fuzz '^FuzzDecodeYAML$' -fuzztime 90s

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"", "model.layers[2].units", `a["x.y"][0]`, `["\u00e9"]`, "[01]", `a["\xff"]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrSyntax) {
				t.Fatalf("ParsePath(%q): error %v is not an *Error wrapping ErrSyntax", s, err)
			}
			return
		}
		text := p.String()
		q, err := ParsePath(text)
		if err != nil {
			t.Fatalf("ParsePath(%q) = %#v, whose String %q does not parse: %v", s, p, text, err)
		}
		if !q.Equal(p) {
			t.Fatalf("ParsePath(%q) = %#v; String %q parses to %#v", s, p, text, q)
		}
		if again := q.String(); again != text {
			t.Fatalf("String is not a fixed point: %q, then %q", text, again)
		}
	})
}

// fuzzOpts bounds the values a fuzzed input may build, so that inputs the
// decoder accepts still encode and decode again quickly.
var fuzzOpts = &DecodeOptions{MaxNodes: 20_000}

// fuzzCrossOpts decodes one codec's output of the other: JSON writes a
// tagged value's content one level deeper than YAML does.
var fuzzCrossOpts = &DecodeOptions{MaxNodes: 40_000, MaxDepth: 2*defaultMaxDepth + 2}

func FuzzDecodeYAML(f *testing.F) {
	for _, s := range []string{
		"a: 1\nb: [x, 2.5, null]\n",
		"_type: test.Classifier\nname: x\nmodel: {_type: test.MLP}\n",
		"a: !choice [1, 2]\n",
		"a: &x {b: 1}\nc: *x\nd: {<<: *x, e: 2}\n",
		"a: &a [*a]\n",
		"- \"\\u00e9\\t\"\n- '1'\n- |\n  x\n",
	} {
		f.Add([]byte(s))
	}
	r := newTestRegistry()
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := r.DecodeYAML(data, fuzzOpts)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		checkYAMLSize(t, r, data)
		y, err := EncodeYAML(v)
		if err != nil {
			t.Fatalf("EncodeYAML of a decoded value: %v\nvalue: %v", err, v)
		}
		v2, err := r.DecodeYAML(y, fuzzOpts)
		if err != nil {
			t.Fatalf("DecodeYAML(EncodeYAML(v)): %v\nencoding:\n%s", err, y)
		}
		if !Equal(v, v2) {
			t.Fatalf("YAML round trip changed the value:\n before: %v\n  after: %v\nencoding:\n%s", v, v2, y)
		}
		y2, err := EncodeYAML(v2)
		if err != nil || !bytes.Equal(y, y2) {
			t.Fatalf("YAML encoding is not a fixed point (err %v):\nfirst:\n%s\nsecond:\n%s", err, y, y2)
		}
		// YAML → value → JSON → value.
		j, err := EncodeJSON(v)
		if err != nil {
			if errors.Is(err, ErrRange) && hasNonFinite(v) {
				return // NaN and infinities have no JSON form
			}
			t.Fatalf("EncodeJSON of a decoded value: %v\nvalue: %v", err, v)
		}
		v3, err := r.DecodeJSON(j, fuzzCrossOpts)
		if err != nil {
			t.Fatalf("DecodeJSON(EncodeJSON(v)): %v\nencoding:\n%s", err, j)
		}
		if !Equal(v, v3) {
			t.Fatalf("YAML→JSON round trip changed the value:\n before: %v\n  after: %v\nencoding:\n%s", v, v3, j)
		}
	})
}

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"a": 1, "b": [true, null, -0.5e3, "x"]}`,
		`{"_type": "test.Classifier", "name": "x", "model": {"_type": "test.MLP"}}`,
		`{"_tag": "!choice", "_value": [1, 2]}`,
		`"\ud83d\ude00\u0000"`,
		`[[[[]]]]`,
		`{"a": 1, "a": 2}`,
	} {
		f.Add([]byte(s))
	}
	r := newTestRegistry()
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := r.DecodeJSON(data, fuzzOpts)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		if hasNonFinite(v) {
			t.Fatalf("JSON decoded to a NaN or an infinity: %v", v)
		}
		for _, encode := range []func(Value) ([]byte, error){EncodeJSON, EncodeJSONCompact} {
			j, err := encode(v)
			if err != nil {
				t.Fatalf("EncodeJSON of a decoded value: %v\nvalue: %v", err, v)
			}
			v2, err := r.DecodeJSON(j, fuzzOpts)
			if err != nil {
				t.Fatalf("DecodeJSON(EncodeJSON(v)): %v\nencoding:\n%s", err, j)
			}
			if !Equal(v, v2) {
				t.Fatalf("JSON round trip changed the value:\n before: %v\n  after: %v\nencoding:\n%s", v, v2, j)
			}
			j2, err := encode(v2)
			if err != nil || !bytes.Equal(j, j2) {
				t.Fatalf("JSON encoding is not a fixed point (err %v):\nfirst:\n%s\nsecond:\n%s", err, j, j2)
			}
		}
		// JSON → value → YAML → value.
		y, err := EncodeYAML(v)
		if err != nil {
			t.Fatalf("EncodeYAML of a decoded value: %v\nvalue: %v", err, v)
		}
		v3, err := r.DecodeYAML(y, fuzzCrossOpts)
		if err != nil {
			t.Fatalf("DecodeYAML(EncodeYAML(v)): %v\nencoding:\n%s", err, y)
		}
		if !Equal(v, v3) {
			t.Fatalf("JSON→YAML round trip changed the value:\n before: %v\n  after: %v\nencoding:\n%s", v, v3, y)
		}
	})
}

// checkFuzzError asserts the contract of decoding errors: an *Error
// wrapping an error, whose text is one line.
func checkFuzzError(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Err == nil {
		t.Fatalf("error %v (%T) is not an *Error wrapping a sentinel", err, err)
	}
	if msg := err.Error(); strings.ContainsAny(msg, "\n\r") {
		t.Fatalf("error text spans several lines: %q", msg)
	}
}

// checkYAMLSize asserts that, for an input that decodes, the size the
// decoder computes to refuse alias bombs early is the number of values it
// counts when it decodes the input with the full parser.
func checkYAMLSize(t *testing.T, r *Registry, data []byte) {
	t.Helper()
	var doc yaml.Node
	if err := parseYAMLNode(data, &doc); err != nil {
		t.Fatalf("DecodeYAML accepted input the yaml package refuses: %v", err)
	}
	if doc.Kind == 0 {
		return // an empty document, which decodes to null without counting
	}
	sizer := yamlDecoder{decoder: newDecoder(r, fuzzOpts), expanding: map[*yaml.Node]bool{}}
	size := sizer.size(&doc, 0)
	counter := yamlDecoder{decoder: newDecoder(r, fuzzOpts), expanding: map[*yaml.Node]bool{}}
	if _, err := counter.node(KeyPath{}, &doc, 0); err != nil {
		t.Fatalf("DecodeYAML accepted input the full decoder refuses: %v", err)
	}
	if size != counter.nodes {
		t.Fatalf("size %d, but decoding counted %d values", size, counter.nodes)
	}
}
