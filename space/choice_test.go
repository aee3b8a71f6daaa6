package space

import (
	"slices"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

// TestHyperValueAPI: the builder methods return modified copies, and a
// hyper-value's tag and content are its YAML form.
func TestHyperValueAPI(t *testing.T) {
	base := OneOf("a", "b")
	named := base.Named("act").WithHints("arch")
	if base.Name() != "" || len(base.Hints()) != 0 {
		t.Error("Named/WithHints changed the original")
	}
	if named.Name() != "act" || !slices.Equal(named.Hints(), []string{"arch"}) {
		t.Errorf("named: %q %v", named.Name(), named.Hints())
	}
	tests := []struct {
		h         symbolic.Tagged
		tag, text string
		k         int
	}{
		{base, "!oneof", "!oneof [a, b]", 1},
		{named, "!oneof", "!oneof {candidates: [a, b], name: act, hints: [arch]}", 1},
		{ManyOf(2, "a", "b", "c"), "!manyof", "!manyof {k: 2, candidates: [a, b, c], distinct: true, sorted: false}", 2},
		{ManyOf(2, "a", "b").Distinct(false).Sorted(true), "!manyof", "!manyof {k: 2, candidates: [a, b], distinct: false, sorted: true}", 2},
		{Permutation("a", "b", "c"), "!permutation", "!permutation [a, b, c]", 3},
		{Float(0.001, 0.1).Log().Named("lr"), "!float", "!float {min: 0.001, max: 0.1, scale: log, name: lr}", 0},
		{Int(1, 8).WithHints("hw", "arch"), "!int", "!int {min: 1, max: 8, hints: [hw, arch]}", 0},
	}
	for _, tc := range tests {
		if tc.h.Tag() != tc.tag || tc.h.String() != tc.text || tc.h.Kind() != symbolic.KindTagged {
			t.Errorf("%s: tag %s, kind %v", tc.h, tc.h.Tag(), tc.h.Kind())
		}
		if c, ok := tc.h.(*Choice); ok && c.K() != tc.k {
			t.Errorf("%s: K = %d, want %d", tc.h, c.K(), tc.k)
		}
	}
	f := Float(1, 2).Log()
	if lo, hi := f.Bounds(); lo != 1 || hi != 2 || f.Scale() != Log || Float(1, 2).Scale() != Linear {
		t.Errorf("Float bounds %v %v scale %v", lo, hi, f.Scale())
	}
	if Log.String() != "log" || Linear.String() != "linear" || KindManyOf.String() != "manyof" || Kind(99).String() != "kind(99)" {
		t.Error("String of Scale or Kind")
	}
	if !KindPermutation.IsChoice() || KindInt.IsChoice() {
		t.Error("IsChoice")
	}
	// Hyper-values compare and hash by tag and content.
	if !symbolic.Equal(OneOf("a", "b"), OneOf("a", "b")) || symbolic.Equal(OneOf("a", "b"), OneOf("a", "b").Named("x")) {
		t.Error("Equal of hyper-values")
	}
	if symbolic.Hash(Float(0, 1)) != symbolic.Hash(Float(0, 1)) || symbolic.Hash(Float(0, 1)) == symbolic.Hash(Float(0, 2)) {
		t.Error("Hash of hyper-values")
	}
}

// TestChoiceCopiesCandidates shows that OneOf keeps a container given as
// a candidate by reference: changing it after New changes the space's
// tree and its programs (here adding a hyper-value the compiled spec does
// not know), although a Choice is documented as immutable and New as
// copying the tree.
func TestChoiceCopiesCandidates(t *testing.T) {
	d := symbolic.NewDict(1)
	d.Set("a", symbolic.Int(1))
	s := MustNew(symbolic.NewList(OneOf(d, "x")))
	d.Set("a", symbolic.Int(2))
	d.Set("b", OneOf(1, 2))
	p, err := s.Decode(mustParse(t, s, "[0]"))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.String(); got != "[{a: 1}]" {
		t.Errorf("Decode([0]) = %s after the candidate was changed, want [{a: 1}]", got)
	}
}
