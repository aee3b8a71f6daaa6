package trainer

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Defaults are the model-level values of a Sequential, resolved: the
// value each layer field of the same name takes when it is left empty.
// The Builder carries them to every layer, Residual bodies included.
//
// A new model-level default joins with a field here and a field of the
// same Go name in Sequential that declares its symbolic name: a *string
// with enum and default tags, or a program (an interface type, the same
// here and in Sequential) whose declared default, the value of a nil
// field, is in programDefaults. A layer field with that symbolic name and
// type then inherits it (Builder.Defaults gives the value, Inherited
// reports it).
type Defaults struct {
	// Activation is relu, gelu or tanh.
	Activation string
	// Init is he_uniform, glorot_uniform, he_normal or torch_linear.
	Init string
	// Quant is the quantizer of Dense layers, FP32 unless the model sets
	// one; never nil once resolved.
	Quant Quantizer
}

// programDefaults holds the declared default of each model-level default
// that is a program, by its Go name: the value a nil field stands for.
var programDefaults = map[string]any{"Quant": FP32{}}

// defaultField is one model-level default as Sequential declares it.
type defaultField struct {
	key      string   // the symbolic name, "activation"
	seq, out int      // the field's index in Sequential and in Defaults
	values   []string // the accepted values (the enum); nil for a program
	value    string   // the declared default of a string
	program  any      // the declared default of a program, nil for a string
}

// defaultFields lists the model-level defaults in the order of Defaults.
var defaultFields = readDefaultFields()

// readDefaultFields reads the model-level defaults from the declarations
// of Defaults and Sequential, so the two cannot drift apart. It panics on
// a declaration that breaks the pattern, which every test would catch.
func readDefaultFields() []defaultField {
	seq, d := reflect.TypeFor[Sequential](), reflect.TypeFor[Defaults]()
	out := make([]defaultField, d.NumField())
	for i := range d.NumField() {
		df := d.Field(i)
		name := df.Name
		f, ok := seq.FieldByName(name)
		key, _, _ := strings.Cut(f.Tag.Get("sym"), ",")
		if df.Type.Kind() == reflect.Interface {
			def, has := programDefaults[name]
			if !ok || f.Type != df.Type || key == "" || !has || !reflect.TypeOf(def).Implements(df.Type) {
				panic("trainer: Defaults." + name + " needs a field Sequential." + name + " of its interface type with a sym tag, and a declared default in programDefaults")
			}
			out[i] = defaultField{key: key, seq: f.Index[0], out: i, program: def}
			continue
		}
		values := strings.Split(f.Tag.Get("enum"), ",")
		def := f.Tag.Get("default")
		if !ok || f.Type != reflect.TypeFor[*string]() || key == "" || !slices.Contains(values, def) {
			panic("trainer: Defaults." + name + " needs a *string field Sequential." + name + " with sym, enum and default tags, the default one of the enum")
		}
		out[i] = defaultField{key: key, seq: f.Index[0], out: i, values: values, value: def}
	}
	return out
}

// Defaults returns s's model-level values, a field left empty (nil)
// taking its declared default. It fails, naming the key path
// (model.activation, model.quant.scale), on a value the field does not
// accept.
func (s Sequential) Defaults() (Defaults, error) {
	var d Defaults
	sv, dv := reflect.ValueOf(s), reflect.ValueOf(&d).Elem()
	for _, f := range defaultFields {
		if f.program != nil {
			v := sv.Field(f.seq)
			if v.IsNil() {
				v = reflect.ValueOf(f.program)
			}
			dv.Field(f.out).Set(v)
			continue
		}
		v := f.value
		if p := sv.Field(f.seq).Interface().(*string); p != nil {
			v = *p
			if !slices.Contains(f.values, v) {
				return Defaults{}, fmt.Errorf("%w: model.%s: want one of %s, got %q", ErrProgram, f.key, strings.Join(f.values, ", "), v)
			}
		}
		dv.Field(f.out).SetString(v)
	}
	if _, _, err := quantConfig(d.Quant, "model.quant"); err != nil {
		return Defaults{}, err
	}
	return d, nil
}

// inherit returns the value of a layer field: its own when set, else the
// model's.
func inherit(own *string, model string) string {
	if own != nil {
		return *own
	}
	return model
}

// inheritProgram is inherit for a program field: its own when not nil,
// else the model's.
func inheritProgram[T comparable](own, model T) T {
	var zero T
	if own != zero {
		return own
	}
	return model
}
