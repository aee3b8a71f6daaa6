package symbolic

import (
	"fmt"
	"iter"
	"reflect"
	"strconv"
	"strings"
)

// Object is an instance of a registered type: the type plus one value per
// field, in the type's field order. An Object always satisfies its type's
// schema: it is built by New, by the decoders or by Registry.FromGo, and
// changed by Rebind, which all validate. It is not safe for concurrent use
// while it is mutated.
type Object struct {
	typ    *Type
	fields []Value
}

// Kind implements Value.
func (*Object) Kind() Kind { return KindObject }

// String implements Value.
func (o *Object) String() string { return flowString(o) }

// Type returns the object's registered type.
func (o *Object) Type() *Type { return o.typ }

// Get returns the value of the field named name.
func (o *Object) Get(name string) (Value, bool) {
	i := o.typ.fieldIndex(name)
	if i < 0 {
		return nil, false
	}
	return o.fields[i], true
}

// Len returns the number of fields.
func (o *Object) Len() int { return len(o.fields) }

// At returns the name and value of the i-th field.
func (o *Object) At(i int) (string, Value) { return o.typ.fields[i].Name, o.fields[i] }

// All iterates over the fields in the type's order.
func (o *Object) All() iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		for i, v := range o.fields {
			if !yield(o.typ.fields[i].Name, v) {
				return
			}
		}
	}
}

// New builds an object of type t from the given field values (nil for
// none). Missing optional fields take their defaults. The values are stored
// in the object, not copied. The object's OnBound hook, if any, runs last.
func (t *Type) New(fields *Dict) (*Object, error) {
	o, err := t.build(KeyPath{}, fields, nil)
	if err != nil {
		return nil, err
	}
	if err := runHooks(KeyPath{}, o); err != nil {
		return nil, err
	}
	return o, nil
}

// NewFromFields builds an object of type t from one value per field, in
// the type's field order, checking each against its field's schema. The
// values are stored, not copied. The object's OnBound hook, if any, runs
// last. It is the fast way to rebuild an object field by field.
func (t *Type) NewFromFields(fields []Value) (*Object, error) {
	if len(fields) != len(t.fields) {
		return nil, newError(ErrInvalid, KeyPath{}, t.name+" has "+strconv.Itoa(len(t.fields))+
			" fields, got "+strconv.Itoa(len(fields))+" values")
	}
	o := &Object{typ: t, fields: make([]Value, len(fields))}
	for i, v := range fields {
		nv, err := t.fields[i].Spec.check(atChild(KeyPath{}, Key(t.fields[i].Name)), v)
		if err != nil {
			return nil, err
		}
		o.fields[i] = nv
	}
	if err := o.runHook(KeyPath{}); err != nil {
		return nil, err
	}
	return o, nil
}

// build checks the given fields against the schema and builds the object
// without running hooks. pos, when not nil, gives the position of each
// field for error messages.
func (t *Type) build(path KeyPath, fields *Dict, pos func(key string) (line, col int)) (*Object, error) {
	o := &Object{typ: t, fields: make([]Value, len(t.fields))}
	if fields != nil {
		next := 0 // canonical input lists the fields in order: try that first
		for i, key := range fields.keys {
			fi := -1
			if next < len(t.fields) && t.fields[next].Name == key {
				fi = next
			} else {
				fi = t.fieldIndex(key)
			}
			next = fi + 1
			if fi < 0 {
				err := newError(ErrUnknownField, path.Key(key), "unknown field of "+t.name+" (fields: "+t.fieldNames()+")")
				if pos != nil {
					err.Line, err.Column = pos(key)
				}
				return nil, err
			}
			v, err := t.fields[fi].Spec.check(atChild(path, Key(key)), fields.vals[i])
			if err != nil {
				if e, ok := err.(*Error); ok && pos != nil && e.Line == 0 {
					e.Line, e.Column = pos(key)
				}
				return nil, err
			}
			o.fields[fi] = v
		}
	}
	for i := range t.fields {
		if o.fields[i] != nil {
			continue
		}
		f := &t.fields[i]
		if f.Required {
			err := newError(ErrRequired, path.Key(f.Name),
				"missing required field of "+t.name+" (want "+f.Spec.Expected()+")")
			if pos != nil {
				err.Line, err.Column = pos(reservedTypeKey)
			}
			return nil, err
		}
		o.fields[i] = Clone(f.Default)
	}
	return o, nil
}

// runHooks runs the OnBound hooks of every object in v, children first.
func runHooks(path KeyPath, v Value) error {
	switch x := v.(type) {
	case *Object:
		if x.typ.hookFree {
			return nil
		}
		for i, f := range x.fields {
			if err := runHooks(path.Key(x.typ.fields[i].Name), f); err != nil {
				return err
			}
		}
		return x.runHook(path)
	case *List:
		for i, item := range x.items {
			if err := runHooks(path.Index(i), item); err != nil {
				return err
			}
		}
	case *Dict:
		for i, item := range x.vals {
			if err := runHooks(path.Key(x.keys[i]), item); err != nil {
				return err
			}
		}
	}
	return nil
}

// runHook runs the object's own OnBound hook, if its type has one. Objects
// holding tagged values (such as the hyper-values of a search space) are
// not concrete yet; their hooks run once the values are chosen.
func (o *Object) runHook(path KeyPath) error {
	if !o.typ.hasHook || containsTagged(o) {
		return nil
	}
	_, err := bindObject(at(path), o)
	return err
}

func callHook(path KeyPath, t *Type, rv reflect.Value) error {
	var h OnBounder
	if t.ptrHook {
		h = rv.Addr().Interface().(OnBounder)
	} else {
		h = rv.Interface().(OnBounder)
	}
	if err := h.OnBound(); err != nil {
		msg := strings.Join(strings.Fields(err.Error()), " ") // one line
		return &Error{Path: path, Msg: t.name + ": " + msg, Err: fmt.Errorf("%w: %w", ErrInvalid, err)}
	}
	return nil
}
