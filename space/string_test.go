package space

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

func TestDNAString(t *testing.T) {
	tests := []struct {
		name string
		d    DNA
		want string
	}{
		{"zero", DNA{}, "[0]"},
		{"empty children", DNA{Children: []DNA{{Value: 2, Children: []DNA{}}, {}}}, "[0,[[2,[]],[0]]]"},
		{"floats", DNA{Children: []DNA{{Value: 0.25}, {Value: -1e-09}, {Value: 3}}}, "[0,[[0.25],[-1e-09],[3]]]"},
		{"nested", DNA{Children: []DNA{{Value: 1, Children: []DNA{{Value: 0, Children: []DNA{{Value: 4}}}}}}}, "[0,[[1,[[0,[[4]]]]]]]"},
		{"not finite", DNA{Children: []DNA{{Value: math.NaN()}, {Value: math.Inf(-1)}}}, "[0,[[NaN],[-Inf]]]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.String(); got != tt.want {
				t.Errorf("String() = %s, want %s", got, tt.want)
			}
		})
	}
	t.Run("MarshalJSON", func(t *testing.T) {
		s := MustNew(mustTreeForJSON(t))
		rng := rand.New(rand.NewPCG(2, 2))
		for range 100 {
			d := s.Spec().Random(rng)
			b, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			if d.String() != string(b) {
				t.Fatalf("String() = %s, MarshalJSON = %s", d, b)
			}
		}
		if _, err := json.Marshal(DNA{Children: []DNA{{}, {Value: math.Inf(1)}}}); err == nil || !strings.Contains(err.Error(), "+Inf is not finite") {
			t.Errorf("Marshal of an infinite value: %v, want an error naming +Inf", err)
		}
	})
}

func TestDNASpecString(t *testing.T) {
	tests := []struct {
		name string
		tree any
		want string
	}{
		{"none", map[string]any{"a": 1}, "no decision points\nsize: 1"},
		{"flat", map[string]any{
			"act": OneOf("relu", "gelu").WithHints("arch"),
			"lr":  Float(1e-4, 0.1).Log(),
			"w":   Int(1, 8).Named("width"),
		}, "act: oneof of 2 (hints: arch)\nlr: float in [0.0001, 0.1] log\nw (name width): int in [1, 8]\nsize: continuous"},
		{"conditional", map[string]any{
			"opt": OneOf(
				map[string]any{"name": "sgd", "m": OneOf(0.0, 0.9).WithHints("training", "momentum")},
				map[string]any{"name": "adam", "b": ManyOf(2, 1, 2, OneOf(3, 4))},
			),
			"order": Permutation("x", "y"),
		}, "opt: oneof of 2\n  opt[0].m: oneof of 2 (hints: training, momentum)\n  opt[1].b: manyof 2 of 3\n" +
			"    opt[1].b[2]: oneof of 2\norder: permutation of 2\nsize: 24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := symbolic.NewRegistry().FromGo(tt.tree)
			if err != nil {
				t.Fatal(err)
			}
			s, err := New(tree)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Spec().String(); got != tt.want {
				t.Errorf("String():\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// TestPropertyDNASpecString: String lists every point of All, in order,
// indented by the number of choices enclosing it.
func TestPropertyDNASpecString(t *testing.T) {
	for seed := range propSeeds() / 5 {
		s, _ := genSpace(t, seed, randomOpts)
		var want []string
		if len(s.Spec().All()) == 0 {
			want = append(want, "no decision points")
		}
		for _, p := range s.Spec().All() {
			depth := 0
			for q, _ := p.Parent(); q != nil; q, _ = q.Parent() {
				depth++
			}
			line := strings.Repeat("  ", depth) + p.String()
			if len(p.Hints) > 0 {
				line += " (hints: " + strings.Join(p.Hints, ", ") + ")"
			}
			want = append(want, line)
		}
		want = append(want, "size: "+s.Spec().SizeString())
		if got := s.Spec().String(); got != strings.Join(want, "\n") {
			t.Fatalf("seed %d: String():\n%s\nwant:\n%s", seed, got, strings.Join(want, "\n"))
		}
	}
}
