package space

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/c2602f9e/goglove/symbolic"
)

type dbrConfig struct {
	Act      string
	Width    int
	LR       float64
	Opt      string
	Momentum float64
	Layers   []int
	Order    []string
}

func dbrSpace(t *testing.T) *DefineByRun[dbrConfig] {
	t.Helper()
	s, err := Trace(func(h *Decider) dbrConfig {
		c := dbrConfig{
			Act:   Choose(h, "act", "relu", "gelu", "tanh"),
			Width: IntIn(h, "width", 16, 64),
			LR:    FloatIn(h, "lr", 1e-4, 1e-1, Log),
		}
		c.Opt = ChooseFunc(h, "opt",
			func(h *Decider) string { c.Momentum = Choose(h, "momentum", 0.0, 0.9); return "sgd" },
			func(h *Decider) string { return "adam" })
		c.Layers = ChooseK(h, "layers", 2, 8, 16, 32)
		c.Order = Permute(h, "order", "a", "b")
		if Choose(h, "act", "relu", "gelu", "tanh") != c.Act { // a shared decision
			panic("shared decision differs")
		}
		return c
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTraceSpec(t *testing.T) {
	s := dbrSpace(t)
	var got []string
	for _, p := range s.Spec().All() {
		got = append(got, p.String())
	}
	want := []string{
		"act: oneof of 3",
		"width: int in [16, 64]",
		"lr: float in [0.0001, 0.1] log",
		"opt: oneof of 2",
		"opt[0].momentum: oneof of 2",
		"layers: manyof 2 of 3",
		"order: permutation of 2",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("spec (-want +got):\n%s", d)
	}
	if s.Spec().SizeString() != "continuous" {
		t.Errorf("size %s", s.Spec().SizeString())
	}
}

func TestTraceDecode(t *testing.T) {
	s := dbrSpace(t)
	d, err := s.Spec().ParseNumbers("[1, 32, 0.01, 0, 1, 2, 0, 1, 0]")
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Decode(d)
	if err != nil {
		t.Fatal(err)
	}
	want := dbrConfig{Act: "gelu", Width: 32, LR: 0.01, Opt: "sgd", Momentum: 0.9, Layers: []int{32, 8}, Order: []string{"b", "a"}}
	if c.Act != want.Act || c.Width != want.Width || c.LR != want.LR || c.Opt != want.Opt || c.Momentum != want.Momentum {
		t.Fatalf("decoded %+v, want %+v", c, want)
	}
	if len(c.Layers) != 2 || c.Layers[0] != 32 || c.Layers[1] != 8 || c.Order[0] != "b" || c.Order[1] != "a" {
		t.Fatalf("decoded %+v, want %+v", c, want)
	}
	adam, err := s.Spec().ParseNumbers("[0, 16, 0.001, 1, 0, 1, 0, 1]")
	if err != nil {
		t.Fatal(err)
	}
	if c, err := s.Decode(adam); err != nil || c.Opt != "adam" || c.Momentum != 0 {
		t.Fatalf("adam: %+v, %v", c, err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for range 200 {
		d := s.Spec().Random(rng)
		if _, err := s.Decode(d); err != nil {
			t.Fatalf("random DNA %s: %v", s.Spec().Format(d), err)
		}
	}
}

func TestTraceErrors(t *testing.T) {
	tests := []struct {
		name string
		fn   func(h *Decider) int
		msg  string
	}{
		{"dependent decision outside ChooseFunc", func(h *Decider) int {
			if Choose(h, "opt", "sgd", "adam") == "sgd" {
				return IntIn(h, "m", 0, 3)
			}
			return 0
		}, `space: decision "m": made when tracing but not when decoding [1, 0]: the function's decisions change with the DNA; make dependent decisions inside a ChooseFunc candidate`},
		{"decision appearing only for some choices", func(h *Decider) int {
			if Choose(h, "opt", "sgd", "adam") == "adam" {
				return IntIn(h, "beta", 0, 3)
			}
			return 0
		}, `space: decision "beta": made when decoding but not when tracing: a decision that depends on another one must be made inside a ChooseFunc candidate`},
		{"name reused for another decision", func(h *Decider) int {
			Choose(h, "a", 1, 2)
			return Choose(h, "a", 1, 2, 3)
		}, `space: decision "a": used again with another definition (a: oneof of 3 after a: oneof of 2); give each decision its own name`},
		{"no candidates", func(h *Decider) int { return Choose[int](h, "a") }, `space: decision "a": Choose needs at least one candidate`},
		{"bad bounds", func(h *Decider) int { return IntIn(h, "n", 3, 1) }, `space: decision "n": !int: min 3 is greater than max 1`},
		{"bad k", func(h *Decider) int { return len(ChooseK(h, "k", 3, 1, 2)) }, `space: decision "k": ChooseK needs 1 ≤ k ≤ 2, got k = 3`},
		{"panic", func(h *Decider) int { panic("boom") }, "space: the define-by-run function panicked: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Trace(tt.fn)
			if !errors.Is(err, ErrTrace) || err.Error() != tt.msg {
				t.Fatalf("error = %v\nwant %s", err, tt.msg)
			}
		})
	}
}

func TestTraceMatchesTemplateSpec(t *testing.T) {
	// The same space declared by run and in YAML has the same shape.
	s, err := Trace(func(h *Decider) [2]any {
		return [2]any{Choose(h, "a", "x", "y"), IntIn(h, "b", 1, 3)}
	})
	if err != nil {
		t.Fatal(err)
	}
	y := dbrYAMLSpace(t, "a: !oneof [x, y]\nb: !int {min: 1, max: 3}\n")
	if s.Spec().SizeString() != y.Spec().SizeString() || len(s.Spec().All()) != len(y.Spec().All()) {
		t.Fatalf("sizes %s vs %s", s.Spec().SizeString(), y.Spec().SizeString())
	}
	for i, p := range s.Spec().All() {
		q := y.Spec().All()[i]
		if p.ID != q.ID || p.Kind != q.Kind || len(p.Candidates) != len(q.Candidates) || p.Min != q.Min || p.Max != q.Max {
			t.Errorf("point %d: %v vs %v", i, p, q)
		}
	}
}

func dbrYAMLSpace(t *testing.T, src string) *Space {
	t.Helper()
	r := symbolic.NewRegistry()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
	v, err := r.DecodeYAML([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
