package space

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

// yamlSpace decodes src with the hyper-value tags and compiles it.
func yamlSpace(tb testing.TB, src string) *Space {
	tb.Helper()
	reg := symbolic.NewRegistry()
	if err := Register(reg); err != nil {
		tb.Fatal(err)
	}
	v, err := reg.DecodeYAML([]byte(src), nil)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := New(v)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestYAMLHyperValues: each tag and option decodes to the decision point
// it declares.
func TestYAMLHyperValues(t *testing.T) {
	tests := []struct{ src, want string }{
		{"x: !oneof [a, b]", "x: oneof of 2"},
		{"x: !oneof {candidates: [a, b], name: act, hints: [arch, hw]}", "x (name act): oneof of 2 [arch hw]"},
		{"x: !manyof {k: 2, candidates: [a, b, c]}", "x: manyof 2 of 3"},
		{"x: !manyof {k: 2, candidates: [a, b, c], distinct: false, sorted: true}", "x: manyof 2 of 3 with repeats sorted"},
		{"x: !manyof {k: 3, candidates: [a, b], distinct: false}", "x: manyof 3 of 2 with repeats"},
		{"x: !permutation [a, b, c]", "x: permutation of 3"},
		{"x: !permutation {candidates: [a, b], name: order}", "x (name order): permutation of 2"},
		{"x: !float {min: 0.0001, max: 0.1, scale: log}", "x: float in [0.0001, 0.1] log"},
		{"x: !float {min: 1, max: 2, scale: linear}", "x: float in [1, 2]"},
		{"x: !int {min: -3, max: 8, name: depth}", "x (name depth): int in [-3, 8]"},
		{"x: !int {min: 2, max: 2}", "x: int in [2, 2]"},
		{"x: [1, !oneof [a, !int {min: 0, max: 3}]]", "x[1]: oneof of 2\nx[1][1]: int in [0, 3]"},
		{"!oneof [a, {b: !oneof [c, d]}]", ": oneof of 2\n[1].b: oneof of 2"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			s := yamlSpace(t, tc.src)
			var got []string
			for _, p := range s.Spec().All() {
				line := p.String()
				if len(p.Hints) > 0 {
					line += " [" + strings.Join(p.Hints, " ") + "]"
				}
				got = append(got, line)
			}
			if strings.Join(got, "\n") != tc.want {
				t.Fatalf("points:\n%s\nwant\n%s", strings.Join(got, "\n"), tc.want)
			}
		})
	}
}

// TestYAMLHyperErrors: a malformed hyper-value is one line naming the
// file, line, key path and what is wrong, and wraps ErrInvalidSpace.
func TestYAMLHyperErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"no candidates", "model:\n  act: !oneof []",
			"symbolic: space.yaml:2:8: model.act: !oneof: no candidates"},
		{"no candidates in dict form", "model:\n  act: !oneof {candidates: [], name: act}",
			"symbolic: space.yaml:2:8: model.act: !oneof: no candidates"},
		{"permutation without candidates", "order: !permutation []",
			"symbolic: space.yaml:1:8: order: !permutation: no candidates"},
		{"manyof without candidates", "layers: !manyof {k: 1, candidates: []}",
			"symbolic: space.yaml:1:9: layers: !manyof: no candidates"},
		{"float min > max", "opt:\n  lr: !float {min: 0.1, max: 0.01}",
			"symbolic: space.yaml:2:7: opt.lr: !float: min 0.1 is greater than max 0.01"},
		{"int min > max", "depth: !int {min: 8, max: 1}",
			"symbolic: space.yaml:1:8: depth: !int: min 8 is greater than max 1"},
		{"k > n with distinct", "layers: !manyof {k: 3, candidates: [a, b]}",
			"symbolic: space.yaml:1:9: layers: !manyof: k is 3 but there are only 2 candidates to choose distinct ones from"},
		{"k = 0", "layers: !manyof {k: 0, candidates: [a, b]}",
			"symbolic: space.yaml:1:9: layers: !manyof: k is 0, want at least 1"},
		{"k < 0 with repeats", "layers: !manyof {k: -2, candidates: [a, b], distinct: false}",
			"symbolic: space.yaml:1:9: layers: !manyof: k is -2, want at least 1"},
		{"log scale min = 0", "lr: !float {min: 0, max: 1, scale: log}",
			"symbolic: space.yaml:1:5: lr: !float: log scale needs min > 0, got 0"},
		{"log scale min < 0", "lr: !float {min: -1.5, max: 1, scale: log}",
			"symbolic: space.yaml:1:5: lr: !float: log scale needs min > 0, got -1.5"},
		{"non-integer int min", "depth: !int {min: 0.5, max: 4}",
			"symbolic: space.yaml:1:8: depth.min: !int: want an integer, got 0.5"},
		{"non-integer int max", "depth: !int {min: 0, max: 4.5}",
			"symbolic: space.yaml:1:8: depth.max: !int: want an integer, got 4.5"},
		{"int bound beyond 2^53", "depth: !int {min: 0, max: 10000000000000000}",
			"symbolic: space.yaml:1:8: depth.max: !int: want an integer within ±2^53, got 10000000000000000"},
		{"NaN bound", "lr: !float {min: .nan, max: 1}",
			"symbolic: space.yaml:1:5: lr: !float: bounds must be finite"},
		{"infinite bound", "lr: !float {min: 0, max: .inf}",
			"symbolic: space.yaml:1:5: lr: !float: bounds must be finite"},
		{"unknown oneof option", "act: !oneof {candidates: [a], weights: [1]}",
			"symbolic: space.yaml:1:6: act.weights: !oneof: unknown option (want candidates, name, hints)"},
		{"unknown manyof option", "l: !manyof {k: 1, candidates: [a], unique: true}",
			"symbolic: space.yaml:1:4: l.unique: !manyof: unknown option (want k, candidates, distinct, sorted, name, hints)"},
		{"unknown float option", "lr: !float {min: 0, max: 1, step: 0.1}",
			"symbolic: space.yaml:1:5: lr.step: !float: unknown option (want min, max, name, hints, scale)"},
		{"scale on an int", "d: !int {min: 0, max: 1, scale: log}",
			"symbolic: space.yaml:1:4: d.scale: !int: unknown option (want min, max, name, hints)"},
		{"candidates not a list", "act: !oneof {candidates: relu}",
			"symbolic: space.yaml:1:6: act.candidates: !oneof: want a list, got string"},
		{"content a scalar", "act: !oneof relu",
			"symbolic: space.yaml:1:6: act: !oneof: want {candidates, name, hints}, got string"},
		{"float content a list", "lr: !float [0, 1]",
			"symbolic: space.yaml:1:5: lr: !float: want {min, max, name, hints, scale}, got list"},
		{"name not a string", "act: !oneof {candidates: [a], name: [x]}",
			"symbolic: space.yaml:1:6: act.name: !oneof: want a string, got list"},
		{"hint not a string", "act: !oneof {candidates: [a], hints: [x, 3]}",
			"symbolic: space.yaml:1:6: act.hints[1]: !oneof: want a string, got int"},
		{"hints not a list", "act: !oneof {candidates: [a], hints: arch}",
			"symbolic: space.yaml:1:6: act.hints: !oneof: want a list, got string"},
		{"k not a number", "l: !manyof {k: two, candidates: [a]}",
			"symbolic: space.yaml:1:4: l.k: !manyof: want an integer, got string"},
		{"k not an integer", "l: !manyof {k: 1.5, candidates: [a]}",
			"symbolic: space.yaml:1:4: l.k: !manyof: want an integer, got 1.5"},
		{"distinct not a bool", "l: !manyof {k: 1, candidates: [a], distinct: 1}",
			"symbolic: space.yaml:1:4: l.distinct: !manyof: want true or false, got int"},
		{"sorted a string", "l: !manyof {k: 1, candidates: [a], sorted: yes}",
			"symbolic: space.yaml:1:4: l.sorted: !manyof: want true or false, got string"},
		{"min a string", "lr: !float {min: low, max: 1}",
			"symbolic: space.yaml:1:5: lr.min: !float: want a number, got string"},
		{"unknown scale", "lr: !float {min: 1, max: 2, scale: cubic}",
			"symbolic: space.yaml:1:5: lr.scale: !float: want linear or log, got cubic"},
		{"missing max", "lr: !float {min: 1}",
			"symbolic: space.yaml:1:5: lr: !float: missing max"},
		{"missing k", "l: !manyof {candidates: [a]}",
			"symbolic: space.yaml:1:4: l: !manyof: missing k"},
		{"missing candidates", "act: !oneof {name: act}",
			"symbolic: space.yaml:1:6: act: !oneof: missing candidates"},
		{"bad hyper-value inside a candidate", "opt: !oneof [sgd, {name: adam, beta: !float {min: 1, max: 0}}]",
			"symbolic: space.yaml:1:38: opt[1].beta: !float: min 1 is greater than max 0"},
	}
	reg := symbolic.NewRegistry()
	if err := Register(reg); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := reg.DecodeYAML([]byte(tc.src), &symbolic.DecodeOptions{Filename: "space.yaml"})
			if err == nil {
				_, err = New(v)
			}
			if err == nil {
				t.Fatalf("no error for %s", tc.src)
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n%s\nwant\n%s", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error has several lines")
			}
			if !errors.Is(err, ErrInvalidSpace) {
				t.Errorf("error does not wrap ErrInvalidSpace")
			}
		})
	}
}

// TestGoHyperErrors: hyper-values built in Go are checked by New, with
// the key path.
func TestGoHyperErrors(t *testing.T) {
	tests := []struct {
		name string
		h    Hyper
		want string
	}{
		{"no candidates", OneOf(), "space: model.x: !oneof: no candidates"},
		{"permutation without candidates", Permutation(), "space: model.x: !permutation: no candidates"},
		{"k > n", ManyOf(3, "a", "b"), "space: model.x: !manyof: k is 3 but there are only 2 candidates to choose distinct ones from"},
		{"k = 0", ManyOf(0, "a"), "space: model.x: !manyof: k is 0, want at least 1"},
		{"k = 0 with repeats", ManyOf(0, "a").Distinct(false), "space: model.x: !manyof: k is 0, want at least 1"},
		{"min > max", Float(1, 0), "space: model.x: !float: min 1 is greater than max 0"},
		{"int min > max", Int(1, 0), "space: model.x: !int: min 1 is greater than max 0"},
		{"log min 0", Float(0, 1).Log(), "space: model.x: !float: log scale needs min > 0, got 0"},
		{"NaN", Float(math.NaN(), 1), "space: model.x: !float: bounds must be finite"},
		{"infinite", Float(0, math.Inf(1)), "space: model.x: !float: bounds must be finite"},
		{"unconvertible candidate", OneOf("a", struct{ X chan int }{}), "space: model.x: !oneof: candidate 1: symbolic: Go type struct { X chan int } is not registered"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree := symbolic.NewDict(1)
			m := symbolic.NewDict(1)
			m.Set("x", tc.h)
			tree.Set("model", m)
			_, err := New(tree)
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n%s\nwant\n%s", err, tc.want)
			}
			if !errors.Is(err, ErrInvalidSpace) {
				t.Errorf("error does not wrap ErrInvalidSpace")
			}
		})
	}
}

// TestIntBoundsRounded shows that an Int bound just above 2^53 is
// accepted and silently rounded to 2^53 (the check converts to float64
// before comparing).
func TestIntBoundsRounded(t *testing.T) {
	if _, err := New(symbolic.NewList(Int(0, 1<<53+1))); err == nil {
		t.Errorf("Int(0, 2^53+1) accepted")
	}
	reg := symbolic.NewRegistry()
	if err := Register(reg); err != nil {
		t.Fatal(err)
	}
	if v, err := reg.DecodeYAML([]byte("d: !int {min: 0, max: 9007199254740993}"), nil); err == nil {
		t.Errorf("!int {max: 2^53+1} accepted as %v", v)
	}
}
