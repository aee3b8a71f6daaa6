package symbolic

import "reflect"

// New returns a Go value of the registered struct type T (or a pointer to
// a new one, when T is a pointer to a registered struct type) whose
// optional fields hold their schema defaults: the same values decoding a
// file that leaves those fields out gives. Required fields are left at
// their Go zero value for the caller to set. Nested registered structs
// hold their defaults too; pointer and interface fields without a
// default are nil, slices and maps without one empty.
//
// This is how a program built in Go starts from the documented defaults,
// since FromGo takes every field as given (a zero field is a zero, not a
// missing value):
//
//	sgd := symbolic.MustNew[trainer.SGD](reg) // momentum 0.9, as in YAML
//	sgd.LR = 0.1
//	tree, err := reg.FromGo(sgd)
//
// New does not run T's OnBound hook (the value is usually changed before
// use); FromGo and To run it. It fails if T is not registered in r.
func New[T any](r *Registry) (T, error) {
	var out T
	rv := reflect.ValueOf(&out).Elem()
	t := rv.Type()
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	typ, ok := r.typeFor(t)
	if !ok {
		return out, newError(ErrUnsupported, KeyPath{}, "new: Go type "+rv.Type().String()+" is not a registered struct type or a pointer to one")
	}
	sv := rv
	if rv.Kind() == reflect.Pointer {
		rv.Set(reflect.New(t))
		sv = rv.Elem()
	}
	if err := typ.fillDefaults(KeyPath{}, sv); err != nil {
		return out, err
	}
	return out, nil
}

// MustNew is like New but panics if T is not registered in r, which is a
// programmer error.
func MustNew[T any](r *Registry) T {
	v, err := New[T](r)
	if err != nil {
		panic(err)
	}
	return v
}

// fillDefaults stores the default of every optional field of t into the
// struct sv. Nested objects are bound as To binds them (their hooks run);
// t's own hook does not.
func (t *Type) fillDefaults(path KeyPath, sv reflect.Value) error {
	for i := range t.fields {
		f := &t.fields[i]
		if f.Required {
			continue
		}
		if err := bindInto(atChild(path, Key(f.Name)), f.Default, sv.FieldByIndex(f.goIndex)); err != nil {
			return err
		}
	}
	return nil
}
