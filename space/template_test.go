package space

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

// A child program in the shape of goglove's trainer, for Template.

type tplOptimizer struct {
	Name     string  `enum:"sgd,adam" default:"sgd"`
	LR       float64 `sym:"lr" min:"0" max:"1" default:"0.1"`
	Momentum float64 `min:"0" max:"1"`
}

type tplSchedule struct {
	Warmup int `min:"0" max:"100"`
	Total  int `min:"1" max:"1000" default:"10"`
}

// OnBound rejects a warm-up longer than the whole schedule.
func (s *tplSchedule) OnBound() error {
	if s.Warmup > s.Total {
		return fmt.Errorf("warmup %d exceeds total %d", s.Warmup, s.Total)
	}
	return nil
}

type tplProgram struct {
	Hidden   []int   `min:"1" max:"512" default:"[64]"`
	Act      string  `enum:"relu,gelu,tanh" default:"relu"`
	Dropout  float64 `min:"0" max:"0.9"`
	Opt      tplOptimizer
	Schedule tplSchedule
	Seed     int64
}

func tplRegistry(tb testing.TB) *symbolic.Registry {
	tb.Helper()
	r := symbolic.NewRegistry()
	if err := Register(r); err != nil {
		tb.Fatal(err)
	}
	symbolic.MustRegister[tplOptimizer](r, "tpl.Optimizer", "")
	symbolic.MustRegister[tplSchedule](r, "tpl.Schedule", "")
	symbolic.MustRegister[tplProgram](r, "tpl.Program", "a small training program")
	return r
}

func tplBase() tplProgram {
	return tplProgram{
		Hidden:   []int{64, 64},
		Act:      "relu",
		Opt:      tplOptimizer{Name: "sgd", LR: 0.1, Momentum: 0.9},
		Schedule: tplSchedule{Warmup: 0, Total: 10},
	}
}

// TestTemplateErrors: a hyper-value at a place the program does not have,
// or with a candidate the place cannot hold, is one line naming the path.
func TestTemplateErrors(t *testing.T) {
	reg := tplRegistry(t)
	tests := []struct {
		name   string
		hypers map[string]Hyper
		want   string
	}{
		{"unknown field", map[string]Hyper{"width": OneOf(1, 2)},
			"space: width: no such place in the program: no field width in tpl.Program (fields: hidden, act, dropout, opt, schedule, seed) at the root"},
		{"unknown nested field", map[string]Hyper{"opt.beta": Float(0, 1)},
			"space: opt.beta: no such place in the program: no field beta in tpl.Optimizer (fields: name, lr, momentum) at opt"},
		{"index out of range", map[string]Hyper{"hidden[2]": OneOf(1, 2)},
			"space: hidden[2]: no such place in the program: index [2] out of range for list of length 2 at hidden"},
		{"candidate of the wrong Go type", map[string]Hyper{"act": OneOf("relu", 3)},
			"symbolic: act: candidate 1 of !oneof: want one of relu, gelu, tanh, got int 3"},
		{"candidate out of the enum", map[string]Hyper{"act": OneOf("relu", "swish")},
			`symbolic: act: candidate 1 of !oneof: want one of relu, gelu, tanh, got string "swish"`},
		{"candidate out of bounds", map[string]Hyper{"hidden[0]": OneOf(64, 1024)},
			"symbolic: hidden[0]: candidate 1 of !oneof: want int in [1, 512], got int 1024"},
		{"ManyOf candidate out of the list's bounds", map[string]Hyper{"hidden": ManyOf(2, 64, 0)},
			"symbolic: hidden: candidate 1 of !manyof: want int in [1, 512], got int 0"}, // see TestTemplateManyOfErrorPath
		{"ManyOf in a scalar field", map[string]Hyper{"act": ManyOf(1, "relu")},
			"symbolic: act: candidate 0 of !manyof: want one of relu, gelu, tanh, got list"},
		{"Float beyond the field's bounds", map[string]Hyper{"dropout": Float(0, 1)},
			"symbolic: dropout: !float bound 1: want float in [0, 0.9], got float 1.0"},
		{"Float in an int field", map[string]Hyper{"seed": Float(0, 1)},
			"symbolic: seed: !float bound 0: want int, got float 0.0"},
		{"Int beyond the field's bounds", map[string]Hyper{"schedule.warmup": Int(0, 200)},
			"symbolic: schedule.warmup: !int bound 200: want int in [0, 100], got int 200"},
		{"object candidate of another type", map[string]Hyper{"opt": OneOf(tplOptimizer{Name: "adam", LR: 0.01}, tplSchedule{Total: 5})},
			"symbolic: opt: candidate 1 of !oneof: want object of type tpl.Optimizer, got object of type tpl.Schedule"},
		{"invalid Go candidate", map[string]Hyper{"opt": OneOf(tplOptimizer{Name: "rmsprop"})},
			`symbolic: opt.name: candidate 0 of !oneof: want one of sgd, adam, got string "rmsprop"`},
		{"malformed hyper-value", map[string]Hyper{"act": OneOf()},
			"symbolic: act: !oneof: no candidates"},
		{"nil hyper-value", map[string]Hyper{"act": nil}, "space: hyper-value at act is nil"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Template(reg, tplBase(), tc.hypers)
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n%s\nwant\n%s", err, tc.want)
			}
		})
	}
	t.Run("unregistered program", func(t *testing.T) {
		type unregistered struct{ X int }
		if _, err := Template(reg, unregistered{}, nil); err == nil {
			t.Fatal("no error")
		}
	})
}

// TestTemplateErrorsWrapSentinel shows that errors for candidates that
// do not fit a field are symbolic errors wrapping symbolic's sentinels,
// though package space documents that every error it returns for bad input
// wraps one of its own (ErrInvalidSpace here).
func TestTemplateErrorsWrapSentinel(t *testing.T) {
	reg := tplRegistry(t)
	for path, h := range map[string]Hyper{
		"act":       OneOf("relu", "swish"),
		"hidden[0]": OneOf(64, 1024),
		"dropout":   Float(0, 1),
		"act ":      OneOf(),
	} {
		_, err := Template(reg, tplBase(), map[string]Hyper{strings.TrimSpace(path): h})
		if !errors.Is(err, ErrInvalidSpace) {
			t.Errorf("%s: %v does not wrap ErrInvalidSpace", path, err)
		}
	}
}

// TestTemplateManyOfErrorPath shows that a ManyOf candidate that does not
// fit the list field it is placed at is reported at the list's element 0,
// a place that is not the hyper-value's.
func TestTemplateManyOfErrorPath(t *testing.T) {
	_, err := Template(tplRegistry(t), tplBase(), map[string]Hyper{"hidden": ManyOf(2, 64, 0)})
	if want := "hidden: candidate 1 of !manyof"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want it to contain %q", err, want)
	}
}

// TestTemplateDecode: Template over a registered struct, decoded as a tree
// and, through TemplateOf, as the Go type.
func TestTemplateDecode(t *testing.T) {
	reg := tplRegistry(t)
	sgd, _ := reg.Lookup("tpl.Optimizer")
	fields := symbolic.NewDict(3)
	fields.Set("name", symbolic.String("sgd"))
	fields.Set("momentum", OneOf(0.0, 0.9)) // a hyper-value inside a candidate
	sgdObj, err := sgd.New(fields)
	if err != nil {
		t.Fatal(err)
	}
	base := tplBase()
	_, err = TemplateOf(reg, base, map[string]Hyper{
		"act":     OneOf("relu", "gelu", "tanh").Named("act"),
		"hidden":  ManyOf(2, 32, 64, 128).Sorted(true),
		"dropout": OneOf(0, 0.5), // an int candidate in a float field
		"opt":     OneOf(sgdObj, tplOptimizer{Name: "adam", LR: 0.001}),
		"opt.lr":  nil,
	})
	if err == nil {
		t.Fatal("nil hyper-value accepted")
	}
	s, err := TemplateOf(reg, base, map[string]Hyper{
		"act":             OneOf("relu", "gelu", "tanh").Named("act"),
		"hidden":          ManyOf(2, 32, 64, 128).Sorted(true),
		"dropout":         OneOf(0, 0.5), // an int candidate in a float field
		"opt":             OneOf(sgdObj, tplOptimizer{Name: "adam", LR: 0.001}),
		"schedule.warmup": Int(0, 5),
		"schedule.total":  Int(8, 9), // an Int in an int field, Int in a float field below
		"seed":            Int(1, 3),
	})
	if err != nil {
		t.Fatal(err)
	}
	if base.Act != "relu" || base.Opt.Name != "sgd" {
		t.Fatal("Template changed the Go program")
	}
	var ids []string
	for _, p := range s.Spec().All() {
		ids = append(ids, p.String())
	}
	if p, ok := s.Spec().Lookup("act"); !ok || p.Name != "act" {
		t.Errorf("Lookup(act) = %v, %v; want the point named act", p, ok)
	}
	wantIDs := "hidden: manyof 2 of 3 sorted; act: oneof of 3; dropout: oneof of 2; opt: oneof of 2; " +
		"opt[0].momentum: oneof of 2; schedule.warmup: int in [0, 5]; schedule.total: int in [8, 9]; seed: int in [1, 3]"
	if got := strings.Join(ids, "; "); got != wantIDs {
		t.Fatalf("points:\n%s\nwant\n%s", got, wantIDs)
	}
	if got := s.Spec().SizeString(); got != fmt.Sprint(3*3*2*3*6*2*3) {
		t.Errorf("size %s", got)
	}
	d := mustParse(t, s.Space, "[0, 2, 1, 1, 0, 1, 3, 9, 2]")
	p, err := s.Decode(d)
	if err != nil {
		t.Fatal(err)
	}
	want := tplProgram{Hidden: []int{32, 128}, Act: "gelu", Dropout: 0.5,
		Opt: tplOptimizer{Name: "sgd", LR: 0.1, Momentum: 0.9}, Schedule: tplSchedule{Warmup: 3, Total: 9}, Seed: 2}
	if fmt.Sprint(p) != fmt.Sprint(want) {
		t.Errorf("Decode = %+v\nwant     %+v", p, want)
	}
	tree, err := s.DecodeTree(d)
	if err != nil {
		t.Fatal(err)
	}
	if e, err := s.Encode(tree); err != nil || !e.Equal(d) {
		t.Errorf("Encode(DecodeTree(d)) = %v, %v", s.Spec().Format(e), err)
	}
	d = mustParse(t, s.Space, "[1, 2, 0, 0, 1, 0, 8, 1]")
	if p, err := s.Decode(d); err != nil || p.Opt != (tplOptimizer{Name: "adam", LR: 0.001}) || p.Dropout != 0 {
		t.Errorf("Decode(adam) = %+v, %v", p, err)
	}
	// A pointer type works too.
	ps := As[*tplProgram](s.Space)
	if p, err := ps.Decode(d); err != nil || p.Opt.Name != "adam" {
		t.Errorf("As[*tplProgram].Decode = %+v, %v", p, err)
	}
	// Binding to the wrong type fails.
	if _, err := As[tplOptimizer](s.Space).Decode(d); err == nil {
		t.Error("As[tplOptimizer].Decode succeeded on a tpl.Program")
	}
}

// TestTemplateIntInFloatField: an Int hyper-value in a float field decodes
// to a float, encodes back, and binds.
func TestTemplateIntInFloatField(t *testing.T) {
	reg := tplRegistry(t)
	s, err := TemplateOf(reg, tplBase(), map[string]Hyper{"opt.lr": Int(0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	d := mustParse(t, s.Space, "[1]")
	tree, err := s.DecodeTree(d)
	if err != nil {
		t.Fatal(err)
	}
	lr, err := symbolic.GetPath(tree, "opt.lr")
	if err != nil || lr != symbolic.Float(1) {
		t.Fatalf("opt.lr = %#v, %v; want Float(1)", lr, err)
	}
	if e, err := s.Encode(tree); err != nil || !e.Equal(d) {
		t.Errorf("Encode = %v, %v", e, err)
	}
	p, err := s.Decode(d)
	if err != nil || p.Opt.LR != 1 {
		t.Errorf("Decode = %+v, %v", p, err)
	}
}

// TestDecodeOnBoundRejects: when a registered type's OnBound hook rejects
// the combination a DNA chose, Decode fails with the hook's error at the
// object's path; other DNA decode.
func TestDecodeOnBoundRejects(t *testing.T) {
	reg := tplRegistry(t)
	s, err := TemplateOf(reg, tplBase(), map[string]Hyper{
		"schedule.warmup": Int(0, 20),
		"schedule.total":  OneOf(5, 50),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decode(mustParse(t, s.Space, "[15, 1]")); err != nil {
		t.Fatalf("Decode([15, 1]): %v", err)
	}
	_, err = s.Decode(mustParse(t, s.Space, "[15, 0]"))
	if want := "symbolic: schedule: tpl.Schedule: warmup 15 exceeds total 5"; err == nil || err.Error() != want {
		t.Fatalf("Decode([15, 0]) = %v, want %s", err, want)
	}
	if !errors.Is(err, symbolic.ErrInvalid) {
		t.Errorf("error does not wrap symbolic.ErrInvalid")
	}
	// The same through a YAML space whose object sits deeper.
	y := "run: {schedule: {_type: tpl.Schedule, warmup: !int {min: 0, max: 20}, total: !oneof [5, 50]}}"
	v, err := reg.DecodeYAML([]byte(y), nil)
	if err != nil {
		t.Fatal(err)
	}
	ys := MustNew(v)
	_, err = ys.Decode(mustParse(t, ys, "[15, 0]"))
	if want := "symbolic: run.schedule: tpl.Schedule: warmup 15 exceeds total 5"; err == nil || err.Error() != want {
		t.Errorf("Decode = %v, want %s", err, want)
	}
}
