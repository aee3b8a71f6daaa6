package symbolic

import "reflect"

// FromGo converts a Go value to a symbolic tree. Registered structs (and
// pointers to them) become objects, validated against their schema and
// passed to their OnBound hooks; slices and arrays become lists; maps with
// string keys become dicts (sorted by key, as Go maps have no order);
// nil pointers, interfaces, slices and maps become null; symbolic Values
// are cloned. Other types, and strings that are not valid UTF-8, are
// errors.
//
// FromGo takes every field as given: it never applies a schema default,
// because a Go value cannot tell a field left at its zero value from one
// set to zero (momentum 0 is plain SGD, not a missing momentum). A field
// whose zero value is outside its bounds is an error. To start a Go value
// from the defaults that decoding applies to missing fields, build it
// with New and change what differs; FromGo then gives the tree that
// decoding the same program gives.
func (r *Registry) FromGo(x any) (Value, error) {
	v, err := r.fromGo(at(KeyPath{}), reflect.ValueOf(x))
	if err != nil {
		return nil, err
	}
	if err := runHooks(KeyPath{}, v); err != nil {
		return nil, err
	}
	return v, nil
}

// fromGo converts rv, found at ref (a key path built only for an error, as
// in Spec.check). It handles what every Go type shares (an invalid
// value, a symbolic.Value) and hands the rest to the converter of rv's
// kind: scalars in convert_scalar.go, containers and registered structs in
// convert_container.go.
func (r *Registry) fromGo(ref pathRef, rv reflect.Value) (Value, error) {
	if !rv.IsValid() {
		return Null{}, nil
	}
	if rv.Type().Implements(valueType) && (rv.Kind() != reflect.Interface && rv.Kind() != reflect.Pointer || !rv.IsNil()) {
		return Clone(rv.Interface().(Value)), nil
	}
	switch rv.Kind() {
	case reflect.Bool:
		return Bool(rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return Int(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintFromGo(ref, rv)
	case reflect.Float32:
		return float32FromGo(rv), nil
	case reflect.Float64:
		return Float(rv.Float()), nil
	case reflect.String:
		return stringFromGo(ref, rv)
	case reflect.Slice, reflect.Array:
		return r.listFromGo(ref, rv)
	case reflect.Map:
		return r.dictFromGo(ref, rv)
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return Null{}, nil
		}
		return r.fromGo(ref, rv.Elem())
	case reflect.Struct:
		return r.objectFromGo(ref, rv)
	}
	return nil, newError(ErrUnsupported, ref.path(), "Go type "+rv.Type().String()+" has no symbolic form")
}
