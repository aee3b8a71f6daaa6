package symbolic

import (
	"math"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"
)

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
	v, err := r.fromGo(KeyPath{}, reflect.ValueOf(x))
	if err != nil {
		return nil, err
	}
	if err := runHooks(KeyPath{}, v); err != nil {
		return nil, err
	}
	return v, nil
}

func (r *Registry) fromGo(path KeyPath, rv reflect.Value) (Value, error) {
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
		u := rv.Uint()
		if u > math.MaxInt64 {
			return nil, newError(ErrRange, path, "unsigned value "+strconv.FormatUint(u, 10)+" does not fit an int64")
		}
		return Int(u), nil
	case reflect.Float32:
		// Keep the decimal the user wrote: float32(0.1) becomes 0.1, not
		// 0.10000000149011612.
		f, _ := strconv.ParseFloat(strconv.FormatFloat(rv.Float(), 'g', -1, 32), 64)
		return Float(f), nil
	case reflect.Float64:
		return Float(rv.Float()), nil
	case reflect.String:
		s := rv.String()
		if !utf8.ValidString(s) {
			return nil, newError(ErrKind, path, "string is not valid UTF-8")
		}
		return String(s), nil
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return Null{}, nil
		}
		l := &List{items: make([]Value, rv.Len())}
		for i := range l.items {
			v, err := r.fromGo(path.Index(i), rv.Index(i))
			if err != nil {
				return nil, err
			}
			l.items[i] = v
		}
		return l, nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil, newError(ErrUnsupported, path, "map key type "+rv.Type().Key().String()+" (want string)")
		}
		if rv.IsNil() {
			return Null{}, nil
		}
		keys := make([]string, 0, rv.Len())
		for _, k := range rv.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys)
		d := NewDict(len(keys))
		for _, k := range keys {
			v, err := r.fromGo(path.Key(k), rv.MapIndex(reflect.ValueOf(k).Convert(rv.Type().Key())))
			if err != nil {
				return nil, err
			}
			d.Set(k, v)
		}
		return d, nil
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return Null{}, nil
		}
		return r.fromGo(path, rv.Elem())
	case reflect.Struct:
		typ, ok := r.typeFor(rv.Type())
		if !ok {
			return nil, newError(ErrUnsupported, path, "Go type "+rv.Type().String()+" is not registered")
		}
		o := &Object{typ: typ, fields: make([]Value, len(typ.fields))}
		for i := range typ.fields {
			f := &typ.fields[i]
			fp := path.Key(f.Name)
			v, err := r.fromGo(fp, rv.FieldByIndex(f.goIndex))
			if err != nil {
				return nil, err
			}
			if _, null := v.(Null); null && !f.Spec.Nullable {
				// A nil slice or map is the empty one.
				switch f.Spec.Kind {
				case KindList:
					v = &List{}
				case KindDict:
					v = &Dict{}
				}
			}
			if v, err = f.Spec.check(at(fp), v); err != nil {
				return nil, err
			}
			o.fields[i] = v
		}
		return o, nil
	}
	return nil, newError(ErrUnsupported, path, "Go type "+rv.Type().String()+" has no symbolic form")
}
