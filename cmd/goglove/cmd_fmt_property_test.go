package main

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

// trickyStrings are strings that YAML could read as something else, or
// that need quoting or escaping, used as keys and values of random trees.
var trickyStrings = []string{
	"", " ", "  x  ", "plain", "two words", "yes", "no", "on", "off", "true", "False", "null", "NULL", "~",
	"1", "-1", "1.5", "1e3", "0x1F", "0o17", "1_000", ".inf", "-.inf", ".nan", "12:30", "2001-01-01",
	"-", "- a", "a:", ": b", "a: b", "a:b", "#", "a #b", "a# b", "'", `"`, `\`, "\n", "a\nb\n", "tab\there",
	"\r", "é", "☃ snow", "\u2028", "\ufeffbom", "---", "...", "@at", "`tick", "%pct", "!bang", "&amp", "*star",
	"[", "]", "{", "}", ",", "a, b", "?", "? x", "|", ">", "<<", "=", "\x00", "\x7f", "x\x1b[0m",
}

// randomTree returns a random tree of dicts, lists and scalars (no NaN or
// infinities, which JSON cannot express, and no reserved keys).
func randomTree(r *rand.Rand, depth int) symbolic.Value {
	kinds := 9
	if depth >= 4 {
		kinds = 5 // scalars only
	}
	switch r.IntN(kinds) {
	case 0:
		return symbolic.Null{}
	case 1:
		return symbolic.Bool(r.IntN(2) == 0)
	case 2:
		n := r.Int64() >> r.IntN(64)
		if r.IntN(2) == 0 {
			n = -n
		}
		return symbolic.Int(n)
	case 3:
		floats := []float64{0, math.Copysign(0, -1), 0.1, 1, 1e21, 1e-7, 5e-324, math.MaxFloat64, -2.5}
		if r.IntN(2) == 0 {
			return symbolic.Float(floats[r.IntN(len(floats))])
		}
		return symbolic.Float(r.NormFloat64() * math.Pow(10, float64(r.IntN(40)-20)))
	case 4:
		return symbolic.String(randomString(r))
	case 5, 6:
		l := symbolic.NewList()
		for range r.IntN(5) {
			l.Append(randomTree(r, depth+1))
		}
		return l
	default:
		d := symbolic.NewDict(0)
		for range r.IntN(5) {
			d.Set(randomString(r), randomTree(r, depth+1))
		}
		return d
	}
}

func randomString(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return "k" + strconv.Itoa(r.IntN(100))
	}
	return trickyStrings[r.IntN(len(trickyStrings))]
}

// TestFmtFixedPointRandom checks, on random trees written on one line (as
// compact JSON, and in YAML flow form by Value.String), that fmt's output
// is a fixed point of fmt in both formats, and that it decodes to the tree
// it was made from.
func TestFmtFixedPointRandom(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 50
	}
	r := rand.New(rand.NewPCG(1, 2))
	dir := t.TempDir()
	reg := newRegistry()
	for i := range n {
		tree := randomTree(r, 0)
		compact, err := symbolic.EncodeJSONCompact(tree)
		if err != nil {
			t.Fatalf("tree %d: %v", i, err)
		}
		inputs := map[string][]byte{".json": compact, ".yaml": []byte(tree.String())}
		for _, ext := range []string{".json", ".yaml"} {
			in := filepath.Join(dir, "in"+ext)
			if err := os.WriteFile(in, inputs[ext], 0o644); err != nil {
				t.Fatal(err)
			}
			first := callFmt(t, t.Context(), fmtOptions{}, in)
			if first.code != 0 {
				t.Fatalf("tree %d: fmt %s of %q: %s", i, ext, inputs[ext], first.stderr)
			}
			checkFixedPoint(t, first.stdout, ext == ".json")
			var back symbolic.Value
			if ext == ".json" {
				back, err = reg.DecodeJSON([]byte(first.stdout), nil)
			} else {
				back, err = reg.DecodeYAML([]byte(first.stdout), nil)
			}
			if err != nil || !symbolic.Equal(back, tree) {
				t.Fatalf("tree %d: fmt %s output does not decode to the input (%v):\ninput %s\noutput:\n%s", i, ext, err, inputs[ext], first.stdout)
			}
			if t.Failed() {
				t.Fatalf("tree %d (%s): %q", i, ext, inputs[ext])
			}
		}
	}
}
