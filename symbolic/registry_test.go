package symbolic

import (
	"strings"
	"testing"
)

type regPlain struct {
	A int
}

type regNested struct {
	P regPlain
}

type regBadKind struct {
	C chan int
}

type regBadMin struct {
	S string `min:"1"`
}

type regBadEnum struct {
	N int `enum:"a,b"`
}

type regZeroOutOfBounds struct {
	N int `min:"1"`
}

type regZeroNotInEnum struct {
	Act string `enum:"relu,gelu"`
}

type regRequiredDefault struct {
	N int `sym:",required" default:"1"`
}

type regBadDefault struct {
	N int `default:"wide"`
}

type regDefaultOutOfRange struct {
	N int `max:"3" default:"4"`
}

type regMinMax struct {
	N int `min:"5" max:"1"`
}

type regDupName struct {
	A int `sym:"x"`
	B int `sym:"x"`
}

type regBadName struct {
	A int `sym:"a.b"`
}

type regIntMap struct {
	M map[int]int
}

type regUnknownOpt struct {
	A int `sym:"a,optional"`
}

type regSelf struct {
	Next  *regSelf
	Value int
}

func TestRegisterErrors(t *testing.T) {
	tests := []struct {
		name     string
		register func(r *Registry) error
		want     string
	}{
		{"not a struct", func(r *Registry) error { return Register[int](r, "x.Int", "") }, "is not a struct type"},
		{"empty name", func(r *Registry) error { return Register[regPlain](r, "", "") }, "empty type name"},
		{"name taken", func(r *Registry) error {
			MustRegister[regPlain](r, "x.P", "")
			return Register[regNested](r, "x.P", "")
		}, `name "x.P" is taken`},
		{"type twice", func(r *Registry) error {
			MustRegister[regPlain](r, "x.P", "")
			return Register[regPlain](r, "x.Q", "")
		}, `already registered as "x.P"`},
		{"unregistered nested", func(r *Registry) error { return Register[regNested](r, "x.N", "") }, "is not registered"},
		{"channel field", func(r *Registry) error { return Register[regBadKind](r, "x.B", "") }, "field c: unsupported: Go type chan int"},
		{"min on string", func(r *Registry) error { return Register[regBadMin](r, "x.B", "") }, "min bound on a string field"},
		{"enum on int", func(r *Registry) error { return Register[regBadEnum](r, "x.B", "") }, "enum on a int field"},
		{"zero below min", func(r *Registry) error { return Register[regZeroOutOfBounds](r, "x.B", "") }, "zero value is invalid"},
		{"zero not in enum", func(r *Registry) error { return Register[regZeroNotInEnum](r, "x.B", "") }, "give a default or mark it required"},
		{"required with default", func(r *Registry) error { return Register[regRequiredDefault](r, "x.B", "") }, "required field with a default"},
		{"bad default", func(r *Registry) error { return Register[regBadDefault](r, "x.B", "") }, `want int, got string "wide"`},
		{"default out of range", func(r *Registry) error { return Register[regDefaultOutOfRange](r, "x.B", "") }, "want int in (-inf, 3]"},
		{"min above max", func(r *Registry) error { return Register[regMinMax](r, "x.B", "") }, "min 5 is greater than max 1"},
		{"duplicate field name", func(r *Registry) error { return Register[regDupName](r, "x.B", "") }, `duplicate symbolic name "x"`},
		{"invalid field name", func(r *Registry) error { return Register[regBadName](r, "x.B", "") }, `invalid symbolic name "a.b"`},
		{"int map keys", func(r *Registry) error { return Register[regIntMap](r, "x.B", "") }, "map key type int"},
		{"unknown option", func(r *Registry) error { return Register[regUnknownOpt](r, "x.B", "") }, `unknown sym option "optional"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.register(NewRegistry())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestRegisterFailureLeavesRegistryUnchanged(t *testing.T) {
	r := NewRegistry()
	if err := Register[regBadDefault](r, "x.B", ""); err == nil {
		t.Fatal("want error")
	}
	if _, ok := r.Lookup("x.B"); ok {
		t.Fatal("failed type is registered")
	}
	if _, ok := r.TypeOf(regBadDefault{}); ok {
		t.Fatal("failed Go type is registered")
	}
}

func TestRegisterSelfReferentialType(t *testing.T) {
	r := NewRegistry()
	MustRegister[regSelf](r, "x.Self", "")
	v, err := r.FromGo(&regSelf{Value: 1, Next: &regSelf{Value: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.String(); got != "{_type: x.Self, next: {_type: x.Self, next: null, value: 2}, value: 1}" {
		t.Fatalf("got %s", got)
	}
}

func TestSchema(t *testing.T) {
	r := newTestRegistry()
	typ, ok := r.Lookup("test.Classifier")
	if !ok {
		t.Fatal("test.Classifier not registered")
	}
	if typ.Doc() != "a classifier program" || typ.Name() != "test.Classifier" {
		t.Errorf("name/doc = %q/%q", typ.Name(), typ.Doc())
	}
	var names []string
	for _, f := range typ.Fields() {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, ","); got != "model,optimizer,schedule,epochs,batch,seed,tags,extra,name" {
		t.Errorf("fields = %s", got)
	}
	tests := []struct {
		field, expected string
		required        bool
		def             string
	}{
		{"model", "object of a type implementing symbolic.testModel (test.MLP, test.Residual) or null", true, ""},
		{"optimizer", "object of a type implementing symbolic.testOptimizer (test.AdamW, test.SGD) or null", false, "null"},
		{"schedule", "object of type test.Schedule or null", false, "null"},
		{"epochs", "int in [1, +inf)", false, "5"},
		{"seed", "int", false, "0"},
		{"tags", "dict of string", false, "{}"},
		{"extra", "any", false, "null"},
		{"name", "string", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			f, ok := typ.Field(tt.field)
			if !ok {
				t.Fatal("no such field")
			}
			if got := f.Spec.Expected(); got != tt.expected {
				t.Errorf("Expected() = %q, want %q", got, tt.expected)
			}
			if f.Required != tt.required {
				t.Errorf("Required = %v", f.Required)
			}
			if !tt.required && f.Default.String() != tt.def {
				t.Errorf("Default = %s, want %s", f.Default, tt.def)
			}
		})
	}
	mlp, _ := r.Lookup("test.MLP")
	hidden, _ := mlp.Field("hidden")
	if got := hidden.Spec.Expected(); got != "list of int in [1, 4096]" {
		t.Errorf("hidden: %q", got)
	}
	if hidden.Doc != "hidden layer widths" {
		t.Errorf("hidden doc: %q", hidden.Doc)
	}
	act, _ := mlp.Field("activation")
	if got := act.Spec.Expected(); got != "one of relu, gelu, tanh" {
		t.Errorf("activation: %q", got)
	}
	if len(r.Types()) != 6 || r.Types()[0].Name() != "test.AdamW" {
		t.Errorf("Types() = %v", r.Types())
	}
}

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{
		"LR": "lr", "WeightDecay": "weight_decay", "HTTPServer": "http_server",
		"Hidden": "hidden", "Layer2Units": "layer2_units", "ID": "id", "MaxLRScale": "max_lr_scale",
	} {
		if got := snakeCase(in); got != want {
			t.Errorf("snakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRegisterTagErrors(t *testing.T) {
	r := NewRegistry()
	for _, tag := range []string{"", "!", "oneof", "!!str"} {
		if err := r.RegisterTag(tag, decodeTestTagged); err == nil {
			t.Errorf("RegisterTag(%q) succeeded", tag)
		}
	}
	if err := r.RegisterTag("!x", decodeTestTagged); err != nil {
		t.Fatal(err)
	}
	if err := r.RegisterTag("!x", decodeTestTagged); err == nil {
		t.Error("duplicate tag accepted")
	}
}
