package space

import (
	"errors"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

// TestEncodeErrors: a program the space cannot produce is an error
// naming the key path (in the program) where it leaves the space.
func TestEncodeErrors(t *testing.T) {
	s := yamlSpace(t, dnaTestSpace)
	good, err := s.Decode(mustParse(t, s, dnaTestGood))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		value      any
		want       string
	}{
		{"not a candidate", "w", 64, "space: w: 64 matches no candidate of !oneof w"},
		{"literal inside a candidate differs", "opt.name", "rmsprop",
			"space: opt: {name: rmsprop, m: 0.9} matches no candidate of !oneof opt"},
		{"decision inside a candidate out of it", "opt.m", 0.5,
			"space: opt.m: 0.5 matches no candidate of !oneof opt[0].m"},
		{"candidate with an extra key", "opt", map[string]any{"name": "adam", "x": 1},
			"space: opt: {name: adam, x: 1} matches no candidate of !oneof opt"},
		{"float out of bounds", "lr", 1.0,
			"space: lr: 1.0 is outside !float {min: 0.001, max: 0.1, scale: log}"},
		{"not a number", "lr", "fast", "space: lr: got fast, want a number from !float {min: 0.001, max: 0.1, scale: log}"},
		{"int out of bounds", "depth", 9, "space: depth: 9 is outside !int {min: 1, max: 4}"},
		{"repeated in a distinct ManyOf", "layers", []any{"a", "a"},
			"space: layers: [a, a]: no assignment of its items to distinct candidates of !manyof layers"},
		{"ManyOf list too short", "layers", []any{"a"}, "space: layers: got [a], want a list of 2 from !manyof layers"},
		{"ManyOf not a list", "layers", "a", "space: layers: got a, want a list of 2 from !manyof layers"},
		{"not a ManyOf candidate", "layers[1]", "q", "space: layers[1]: q matches no candidate of !manyof layers"},
		{"unsorted in a sorted ManyOf", "sorted", []any{"c", "a"},
			"space: sorted: [c, a]: no assignment of its items to sorted candidates of !manyof sorted"},
		{"repeated in a permutation", "order", []any{"x", "x", "y"},
			"space: order: [x, x, y]: no assignment of its items to distinct candidates of !permutation order"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := symbolic.Clone(good)
			if err := symbolic.Rebind(p, map[string]any{tc.path: tc.value}); err != nil {
				t.Fatal(err)
			}
			_, err := s.Encode(p)
			if err == nil {
				t.Fatalf("Encode(%v) succeeded", p)
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n%s\nwant\n%s", err, tc.want)
			}
			if !errors.Is(err, ErrNotInSpace) {
				t.Errorf("error does not wrap ErrNotInSpace")
			}
		})
	}
	t.Run("keys in another order", func(t *testing.T) {
		p := symbolic.Clone(good).(*symbolic.Dict)
		w, _ := p.Get("w")
		p.Delete("w")
		p.Set("w", w)
		_, err := s.Encode(p)
		if want := "space: key lr where the space has key w"; err == nil || err.Error() != want {
			t.Errorf("error %v, want %s", err, want)
		}
	})
	t.Run("not a dict", func(t *testing.T) {
		_, err := s.Encode(symbolic.NewList())
		if want := "space: got [], want a dict"; err == nil || err.Error() != want {
			t.Errorf("error %v, want %s", err, want)
		}
	})
	t.Run("literal differs", func(t *testing.T) {
		s := yamlSpace(t, "model: {units: 8, act: !oneof [relu, gelu]}")
		p, _ := symbolic.NewRegistry().DecodeYAML([]byte("model: {units: 9, act: relu}"), nil)
		_, err := s.Encode(p)
		if want := "space: model.units: got 9, the space has only 8 here"; err == nil || err.Error() != want {
			t.Errorf("error %v, want %s", err, want)
		}
	})
	t.Run("filter view", func(t *testing.T) {
		_, err := s.Filter(ByNames("x")).Encode(good)
		if want := "space: cannot encode with a Filter view; encode with the whole space"; err == nil || err.Error() != want {
			t.Errorf("error %v, want %s", err, want)
		}
	})
}

// TestEncodeMissingOrExtraKey shows that a program with a key the space
// does not have (or without one it has) is reported at the dict, without
// naming the key.
func TestEncodeMissingOrExtraKey(t *testing.T) {
	s := yamlSpace(t, "model: {act: !oneof [relu, gelu], units: 8}")
	for _, tc := range []struct{ src, path string }{
		{"model: {act: relu, units: 8, dropout: 0.5}", "model.dropout"},
		{"model: {act: relu}", "model.units"},
	} {
		p, err := symbolic.NewRegistry().DecodeYAML([]byte(tc.src), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Encode(p)
		var e *Error
		if !errors.As(err, &e) || e.Path.String() != tc.path {
			t.Errorf("Encode(%s) = %v, want an error at %s", tc.src, err, tc.path)
		}
	}
}

// TestEncodeIntMessage shows that a non-integral number for an Int
// decision is said to be "outside" bounds it is inside of.
func TestEncodeIntMessage(t *testing.T) {
	s := yamlSpace(t, "depth: !int {min: 1, max: 4}")
	p, _ := symbolic.NewRegistry().DecodeYAML([]byte("depth: 2.5"), nil)
	_, err := s.Encode(p)
	if err == nil || strings.Contains(err.Error(), "outside") {
		t.Errorf("Encode: %v; want an error saying 2.5 is not an integer", err)
	}
}

// TestEncodeOverlappingCandidates shows that Encode matches the items of
// a ManyOf to candidates greedily, so it fails on a program that Decode
// produced when a candidate holding a hyper-value can produce the same
// value as another candidate.
func TestEncodeOverlappingCandidates(t *testing.T) {
	s := MustNew(symbolic.NewList(ManyOf(2, OneOf("a", "b"), "a")))
	d := mustParse(t, s, "[1, 0, 1]") // candidate 1 (a), then candidate 0 choosing b
	p, err := s.Decode(d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Encode(p); err != nil {
		t.Errorf("Encode(%v) = %v; the space produced it from %s", p, err, s.Spec().Format(d))
	}
}

// TestEncodeObjects: programs with registered objects encode through
// their fields, and an object of another type is named.
func TestEncodeObjects(t *testing.T) {
	reg := genRegistry(t)
	node, _ := reg.Lookup("gen.Node")
	obj, err := node.NewFromFields([]symbolic.Value{symbolic.String("n"), OneOf("a", "b"), Int(0, 3), Int(-2, 2)})
	if err != nil {
		t.Fatal(err)
	}
	s := MustNew(symbolic.NewList(obj))
	d := mustParse(t, s, "[1, 2, -1]")
	p, err := s.Decode(d)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[{_type: gen.Node, name: n, value: b, count: 2, rate: -1.0}]"; p.String() != want {
		t.Fatalf("Decode = %v, want %s", p, want)
	}
	if e, err := s.Encode(p); err != nil || !e.Equal(d) {
		t.Fatalf("Encode = %v, %v", e, err)
	}
	other := symbolic.NewList(symbolic.NewDict(0))
	if _, err := s.Encode(other); err == nil || err.Error() != "space: [0]: got {}, want an object of type gen.Node" {
		t.Errorf("Encode(%v) = %v", other, err)
	}
}

// TestEncodeNumberKinds shows that Encode accepts an int for a Float
// decision and an integral float for an Int decision in untyped places,
// so the DNA it returns does not decode to the program (Int(1) and
// Float(1) are not Equal). In a typed float field the int is converted,
// so there the program is in the space.
func TestEncodeNumberKinds(t *testing.T) {
	s := yamlSpace(t, "lr: !float {min: 0, max: 2}\nd: !int {min: 0, max: 3}")
	for _, src := range []string{"lr: 1\nd: 2", "lr: 1.0\nd: 2.0"} {
		p, err := symbolic.NewRegistry().DecodeYAML([]byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		e, err := s.Encode(p)
		if err != nil {
			continue // not in the space: fine
		}
		if q, err := s.Decode(e); err != nil || !symbolic.Equal(p, q) {
			t.Errorf("Encode(%v) = %s, which decodes to %v", p, s.Spec().Format(e), q)
		}
	}
}
