package symbolic

import (
	"reflect"
)

// To binds a symbolic value to a new Go value of type T: a registered
// struct type (or a pointer to one), an interface that registered types
// implement, or any Go type a field may have (see Register). The result
// shares nothing with v. The OnBound hooks of the objects bound run, so
// derived fields are set.
//
// Binding an object of the wrong type, or a value that does not fit T, is
// an *Error naming the key path.
func To[T any](v Value) (T, error) {
	var out T
	rv := reflect.ValueOf(&out).Elem()
	if err := bindInto(at(KeyPath{}), v, rv); err != nil {
		return out, err
	}
	return out, nil
}

// bindInto stores the Go form of v into the settable rv at ref (a key
// path built only for an error, as in Spec.check). It handles the
// cases every Go type shares (a symbolic.Value field, null) and hands the
// rest to the binder of rv's kind: scalars in bind_scalar.go, containers
// and objects in bind_container.go, interfaces in bind_interface.go.
func bindInto(ref pathRef, v Value, rv reflect.Value) error {
	t := rv.Type()
	if t == valueType {
		if v == nil {
			v = Null{}
		}
		rv.Set(reflect.ValueOf(Clone(v)))
		return nil
	}
	if isNull(v) {
		switch t.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
			rv.SetZero()
			return nil
		}
		return bindMismatch(ref, t, v)
	}
	switch t.Kind() {
	case reflect.Bool:
		return bindBool(ref, v, rv)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return bindInt(ref, v, rv)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return bindUint(ref, v, rv)
	case reflect.Float32, reflect.Float64:
		return bindFloat(ref, v, rv)
	case reflect.String:
		return bindString(ref, v, rv)
	case reflect.Slice:
		return bindSlice(ref, v, rv)
	case reflect.Map:
		return bindMap(ref, v, rv)
	case reflect.Struct:
		return bindStruct(ref, v, rv)
	case reflect.Pointer:
		return bindPointer(ref, v, rv)
	case reflect.Interface:
		return bindInterface(ref, v, rv)
	}
	return newError(ErrUnsupported, ref.path(), "cannot bind to Go type "+t.String())
}

func bindMismatch(ref pathRef, t reflect.Type, v Value) error {
	return newError(ErrKind, ref.path(), "cannot bind "+describe(v)+" to Go type "+t.String())
}
