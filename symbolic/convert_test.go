package symbolic

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// randomClassifier draws a fixture program, to check conversions as
// properties over many values.
func randomClassifier(rng *rand.Rand) *testClassifier {
	acts := []string{"relu", "gelu", "tanh"}
	hidden := make([]int, rng.IntN(4))
	for i := range hidden {
		hidden[i] = 1 + rng.IntN(4096)
	}
	var model testModel = testMLP{Hidden: hidden, Activation: acts[rng.IntN(3)], Dropout: rng.Float64()}
	if rng.IntN(2) == 0 {
		model = &testResidual{Inner: model, Blocks: 1 + rng.IntN(8)}
	}
	c := &testClassifier{Model: model, Epochs: 1 + rng.IntN(100), Batch: 1 + rng.IntN(1000),
		Seed: rng.Int64(), Name: strings.Repeat("é", rng.IntN(3)) + "n"}
	switch rng.IntN(3) {
	case 0:
		c.Optimizer = testSGD{LR: rng.Float64(), Momentum: rng.Float64()}
	case 1:
		c.Optimizer = testAdamW{LR: rng.Float64(), WeightDecay: rng.Float64()}
	}
	if rng.IntN(2) == 0 {
		total := 1 + rng.IntN(100)
		c.Schedule = &testSchedule{Warmup: rng.IntN(total + 1), Total: total}
		c.Schedule.decay = c.Schedule.Total - c.Schedule.Warmup
	}
	if rng.IntN(2) == 0 {
		c.Tags = map[string]string{"a": "x", "b c": "y"}
	}
	return c
}

func TestFromGoToRoundTripProperty(t *testing.T) {
	r := newTestRegistry()
	rng := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		want := randomClassifier(rng)
		v, err := r.FromGo(want)
		if err != nil {
			t.Fatalf("FromGo(%+v): %v", want, err)
		}
		got, err := To[*testClassifier](v)
		if err != nil {
			t.Fatalf("To(%v): %v", v, err)
		}
		if want.Tags == nil {
			want.Tags = map[string]string{} // a nil map becomes the empty dict
		}
		if d := cmp.Diff(want, got, cmp.AllowUnexported(testSchedule{})); d != "" {
			t.Fatalf("round trip (-want +got):\n%s", d)
		}
		// And the tree survives the text codecs.
		data, err := EncodeYAML(v)
		if err != nil {
			t.Fatal(err)
		}
		w, err := r.DecodeYAML(data, nil)
		if err != nil {
			t.Fatalf("decode %s: %v", data, err)
		}
		if !Equal(v, w) || Hash(v) != Hash(w) {
			t.Fatalf("YAML round trip changed %v into %v", v, w)
		}
	}
}

func TestFromGo(t *testing.T) {
	r := newTestRegistry()
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"nil", nil, "null"},
		{"int", 3, "3"},
		{"uint8", uint8(7), "7"},
		{"float32 keeps its decimal", float32(0.1), "0.1"},
		{"float64", 0.1, "0.1"},
		{"string", "relu", "relu"},
		{"slice", []any{1, "a", nil, 2.5}, "[1, a, null, 2.5]"},
		{"nil slice", []int(nil), "null"},
		{"array", [2]bool{true, false}, "[true, false]"},
		{"map sorted", map[string]int{"b": 2, "a": 1}, "{a: 1, b: 2}"},
		{"value passes through", NewList(Int(1)), "[1]"},
		{"pointer to struct", &testSGD{LR: 0.5, Momentum: 0}, "{_type: test.SGD, lr: 0.5, momentum: 0.0}"},
		{"nested interface", testResidual{Inner: testMLP{Hidden: []int{3}, Activation: "gelu"}, Blocks: 1},
			"{_type: test.Residual, inner: {_type: test.MLP, hidden: [3], activation: gelu, dropout: 0.0}, blocks: 1}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := r.FromGo(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.String(); got != tt.want {
				t.Errorf("FromGo(%#v) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

type unregistered struct{ A int }

func TestFromGoErrors(t *testing.T) {
	r := newTestRegistry()
	tests := []struct {
		name     string
		in       any
		sentinel error
		msg      string
	}{
		{"unregistered", unregistered{}, ErrUnsupported, "symbolic: Go type symbolic.unregistered is not registered"},
		{"nested unregistered", map[string]any{"x": []any{unregistered{}}}, ErrUnsupported, "symbolic: x[0]: Go type symbolic.unregistered is not registered"},
		{"invalid utf8", []string{"\xff"}, ErrKind, "symbolic: [0]: string is not valid UTF-8"},
		{"uint overflow", uint64(1 << 63), ErrRange, "symbolic: unsigned value 9223372036854775808 does not fit an int64"},
		{"func", func() {}, ErrUnsupported, "symbolic: Go type func() has no symbolic form"},
		{"int map", map[int]int{1: 1}, ErrUnsupported, "symbolic: map key type int (want string)"},
		{"out of bounds", testMLP{Hidden: []int{0}, Activation: "relu"}, ErrRange, "symbolic: hidden[0]: want int in [1, 4096], got int 0"},
		{"enum", testMLP{Activation: "swish"}, ErrRange, `symbolic: activation: want one of relu, gelu, tanh, got string "swish"`},
		{"hook", testSchedule{Warmup: 5, Total: 1}, ErrInvalid, "symbolic: test.Schedule: warmup 5 exceeds total 1"},
		{"deep path", map[string]any{"a b": []any{nil, &testResidual{Inner: testMLP{Hidden: []int{4, 5000}, Activation: "relu"}, Blocks: 1}}},
			ErrRange, `symbolic: ["a b"][1].inner.hidden[1]: want int in [1, 4096], got int 5000`},
		{"deep utf8", map[string]any{"k": map[string][]string{"j": {"ok", "\xfe"}}}, ErrKind, "symbolic: k.j[1]: string is not valid UTF-8"},
		{"deep uint", []any{[]uint64{1, 1 << 63}}, ErrRange, "symbolic: [0][1]: unsigned value 9223372036854775808 does not fit an int64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.FromGo(tt.in)
			if !errors.Is(err, tt.sentinel) || err.Error() != tt.msg {
				t.Fatalf("error = %v, want %q wrapping %v", err, tt.msg, tt.sentinel)
			}
		})
	}
}

func TestToRunsOnBound(t *testing.T) {
	r := newTestRegistry()
	v, err := r.DecodeYAML([]byte("_type: test.Schedule\nwarmup: 10\ntotal: 50\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := To[testSchedule](v)
	if err != nil {
		t.Fatal(err)
	}
	if s.decay != 40 {
		t.Fatalf("derived decay = %d, want 40", s.decay)
	}
}

func TestToErrors(t *testing.T) {
	r := newTestRegistry()
	mlp, _ := r.FromGo(testMLP{Hidden: []int{1}, Activation: "relu"})
	tests := []struct {
		name string
		bind func() error
		msg  string
	}{
		{"wrong type", func() error { _, err := To[testSGD](mlp); return err },
			"symbolic: cannot bind object of type test.MLP to Go type symbolic.testSGD"},
		{"interface not implemented", func() error { _, err := To[testOptimizer](mlp); return err },
			"symbolic: cannot bind object of type test.MLP to Go type symbolic.testOptimizer"},
		{"overflow", func() error { _, err := To[int8](Int(300)); return err },
			"symbolic: value 300 overflows Go type int8"},
		{"negative uint", func() error { _, err := To[uint](Int(-1)); return err },
			"symbolic: value -1 overflows Go type uint"},
		{"string to int", func() error { _, err := To[[]int](NewList(String("x"))); return err },
			`symbolic: [0]: cannot bind string "x" to Go type int`},
		{"null to int", func() error { _, err := To[int](Null{}); return err },
			"symbolic: cannot bind null to Go type int"},
		{"nested path", func() error {
			d := NewDict(2)
			d.Set("a", NewList(Int(1)))
			d.Set("b.c", NewList(Int(1), Int(300)))
			_, err := To[map[string][]int8](d)
			return err
		}, `symbolic: ["b.c"][1]: value 300 overflows Go type int8`},
		{"path through a pointer", func() error {
			_, err := To[[]*uint8](NewList(Null{}, Int(1), Int(-1)))
			return err
		}, "symbolic: [2]: value -1 overflows Go type uint8"},
		{"path through an object", func() error {
			sched, _ := r.FromGo(testSchedule{Warmup: 1, Total: 2})
			_, err := To[[]testSGD](NewList(sched))
			return err
		}, "symbolic: [0]: cannot bind object of type test.Schedule to Go type symbolic.testSGD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.bind(); err == nil || err.Error() != tt.msg {
				t.Fatalf("error = %v, want %q", err, tt.msg)
			}
		})
	}
}

func TestToNaturalForms(t *testing.T) {
	d := NewDict(2)
	d.Set("a", NewList(Int(1), Float(2), String("s"), Bool(true), Null{}))
	got, err := To[any](d)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"a": []any{int64(1), 2.0, "s", true, nil}}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("To[any] (-want +got):\n%s", d)
	}
	raw, err := To[Value](d)
	if err != nil || !Equal(raw, d) || raw == Value(d) {
		t.Fatalf("To[Value] = %v, %v; want an equal copy", raw, err)
	}
	f, err := To[float32](Int(3))
	if err != nil || f != 3 {
		t.Fatalf("To[float32](3) = %v, %v", f, err)
	}
}
