package symbolic

import (
	"errors"
	"math/rand/v2"
	"testing"
)

func TestParsePath(t *testing.T) {
	tests := []struct {
		name, in, canonical string
		want                KeyPath
	}{
		{"root", "", "", KeyPath{}},
		{"one key", "model", "model", Path(Key("model"))},
		{"nested", "model.layers[2].units", "model.layers[2].units", Path(Key("model"), Key("layers"), Index(2), Key("units"))},
		{"quoted key", `a["x.y"]`, `a["x.y"]`, Path(Key("a"), Key("x.y"))},
		{"quoted first", `["x y"].b`, `["x y"].b`, Path(Key("x y"), Key("b"))},
		{"index first", "[0][1]", "[0][1]", Path(Index(0), Index(1))},
		{"quoted identifier", `a["b"]`, "a.b", Path(Key("a"), Key("b"))},
		{"escape", `a["q\"\n"]`, `a["q\"\n"]`, Path(Key("a"), Key("q\"\n"))},
		{"empty key", `a[""]`, `a[""]`, Path(Key("a"), Key(""))},
		{"digit key", `a["0"]`, `a["0"]`, Path(Key("a"), Key("0"))},
		{"underscore", "_type", "_type", Path(Key("_type"))},
		{"unicode", `["é"]`, `["é"]`, Path(Key("é"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePath(tt.in)
			if err != nil {
				t.Fatalf("ParsePath(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Fatalf("ParsePath(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.canonical {
				t.Fatalf("String() = %q, want %q", s, tt.canonical)
			}
		})
	}
}

func TestParsePathErrors(t *testing.T) {
	for _, in := range []string{".a", "a.", "a..b", "a[", "a[]", "a[-1]", "a[01]", "a[x]", `a["x]`, `a["x"`,
		`a["x"]b`, "a.0", "1a", "a b", "a[1", "a[99999999999999999999]", `a["\q"]`, "a.[0]"} {
		t.Run(in, func(t *testing.T) {
			_, err := ParsePath(in)
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("ParsePath(%q) error = %v, want ErrSyntax", in, err)
			}
		})
	}
}

func TestKeyPathOperations(t *testing.T) {
	p := MustParsePath("model.layers[2]")
	if got := p.Key("units").String(); got != "model.layers[2].units" {
		t.Errorf("Key = %q", got)
	}
	if got := p.Index(0).String(); got != "model.layers[2][0]" {
		t.Errorf("Index = %q", got)
	}
	if got := p.Parent().String(); got != "model.layers" {
		t.Errorf("Parent = %q", got)
	}
	if !(KeyPath{}).Parent().IsRoot() {
		t.Error("parent of root is not root")
	}
	if !p.HasPrefix(MustParsePath("model")) || p.HasPrefix(MustParsePath("mode")) || !p.HasPrefix(KeyPath{}) {
		t.Error("HasPrefix wrong")
	}
	if i, ok := p.Last().Index(); !ok || i != 2 {
		t.Errorf("Last = %v", p.Last())
	}
	// Child must not share storage with its parent's later children.
	a, b := p.Parent().Key("x"), p.Parent().Key("y")
	if a.String() != "model.layers.x" || b.String() != "model.layers.y" {
		t.Errorf("children share storage: %s %s", a, b)
	}
	if got := p.GoString(); got != `symbolic.Path(symbolic.Key("model"), symbolic.Key("layers"), symbolic.Index(2))` {
		t.Errorf("GoString = %s", got)
	}
}

// randomPath returns a path of random steps, with keys drawn to exercise
// quoting.
func randomPath(rng *rand.Rand) KeyPath {
	keys := []string{"a", "model", "_x1", "x.y", "a b", "", "0", "é", `q"`, "\n", "[", "]"}
	steps := make([]Step, rng.IntN(5))
	for i := range steps {
		if rng.IntN(3) == 0 {
			steps[i] = Index(rng.IntN(1000))
		} else {
			steps[i] = Key(keys[rng.IntN(len(keys))])
		}
	}
	return Path(steps...)
}

func TestKeyPathRoundTripProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		p := randomPath(rng)
		s := p.String()
		q, err := ParsePath(s)
		if err != nil {
			t.Fatalf("ParsePath(%q) of %#v: %v", s, p, err)
		}
		if !q.Equal(p) || q.String() != s {
			t.Fatalf("round trip of %#v: got %#v (%q)", p, q, q.String())
		}
	}
}
