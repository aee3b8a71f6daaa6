package symbolic

import (
	"testing"
)

// fastSeeds are YAML documents inside and just outside the fast path's
// subset; both kinds must decode exactly as the full parser decodes them.
var fastSeeds = []string{
	"a: 1\nb: [1, 2.5, x, \"y z\"]\nc:\n  d: true\n  e: null\n",
	"_type: test.Classifier\nname: c\nmodel:\n  _type: test.MLP\n  hidden: [64, 32]\n",
	"- 1\n- a: 1\n  b: 2\n-\n  c: 3\n- [x]\n",
	"key:\n- a\n- b\nother: 0x10\n",
	"x: .inf\ny: -.inf\nz: .nan\nw: 1e-05\nv: 1_000\nu: 0o17\nt: +3\n",
	"s: \"tab\\there \\u00e9 \\\"q\\\"\"\n",
	"s: \"\\xff\"\n",
	"a: hello\n  world\n",
	"a: b # comment\n",
	"a: &x 1\nb: *x\n",
	"a:\n  - 1\n   - 2\n",
	"a: 1\na: 2\n",
	"null: 1\n",
	"\"null\": 1\n",
	"[1, 2]\n",
	"plain words here\n",
	"a: -\n",
	"a: - b\n",
	"- - 1\n",
	"a: [1, [2]]\n",
	"a: [1, ]\n",
	"a: 2001-12-14\n",
	"a: True\nb: FALSE\nc: ~\n",
	"  a: 1\n  b: 2\n",
	"a:\n    b: 1\n  c: 2\n",
	"extra: !choice [1, 2]\n",
	"a: \"x\" y\n",
	"a: 9223372036854775808\n",
	"e: {}\nf: []\n",
	"a: b: c\n",
	"- a\nb: 1\n",
}

// checkFastPath asserts that, when the fast path accepts data, the full
// parser accepts it too and gives an equal value.
func checkFastPath(t *testing.T, r *Registry, data []byte) {
	t.Helper()
	if newDecoder(r, nil).checkInput(data) != nil {
		return // refused before either parser runs
	}
	fast, ok := newDecoder(r, nil).decodeYAMLFast(data)
	slow, err := newDecoder(r, nil).decodeYAMLSlow(data)
	if !ok {
		return
	}
	if err != nil {
		t.Fatalf("fast path accepted %q as %v; full parser says %v", data, fast, err)
	}
	if !Equal(fast, slow) {
		t.Fatalf("fast path decoded %q as %v; full parser as %v", data, fast, slow)
	}
}

func TestYAMLFastPathMatchesFullParser(t *testing.T) {
	r := newTestRegistry()
	for _, s := range fastSeeds {
		checkFastPath(t, r, []byte(s))
	}
}

func TestYAMLFastPathCoversCanonicalForm(t *testing.T) {
	r := newTestRegistry()
	for _, s := range fastSeeds {
		v, err := newDecoder(r, nil).decodeYAMLSlow([]byte(s))
		if err != nil {
			continue
		}
		data, err := EncodeYAML(v)
		if err != nil {
			continue
		}
		if _, hasTag := v.(*Dict); hasTag && bytesContain(data, '!') {
			continue // tagged values are outside the subset
		}
		got, ok := newDecoder(r, nil).decodeYAMLFast(data)
		if !ok {
			t.Errorf("fast path refused canonical output %q", data)
			continue
		}
		if !Equal(got, v) {
			t.Errorf("fast path decoded canonical %q as %v, want %v", data, got, v)
		}
	}
}

func bytesContain(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

func FuzzYAMLFastPath(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add([]byte(s))
	}
	r := newTestRegistry()
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastPath(t, r, data)
	})
}

func TestYAMLFastPathAcceptsCommonForms(t *testing.T) {
	r := newTestRegistry()
	for _, s := range fastSeeds[:6] {
		if _, ok := newDecoder(r, nil).decodeYAMLFast([]byte(s)); !ok {
			t.Errorf("fast path refused %q", s)
		}
	}
}
