package symbolic

import (
	"reflect"
	"slices"
)

// The converters of Go containers (slices, arrays, maps) and registered
// structs, called by fromGo.

func (r *Registry) listFromGo(ref pathRef, rv reflect.Value) (Value, error) {
	if rv.Kind() == reflect.Slice && rv.IsNil() {
		return Null{}, nil
	}
	l := &List{items: make([]Value, rv.Len())}
	path := ref.path()
	for i := range l.items {
		v, err := r.fromGo(atChild(path, Index(i)), rv.Index(i))
		if err != nil {
			return nil, err
		}
		l.items[i] = v
	}
	return l, nil
}

// dictFromGo converts a string-keyed map, sorted by key as Go maps have
// no order.
func (r *Registry) dictFromGo(ref pathRef, rv reflect.Value) (Value, error) {
	if rv.Type().Key().Kind() != reflect.String {
		return nil, newError(ErrUnsupported, ref.path(), "map key type "+rv.Type().Key().String()+" (want string)")
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
	path := ref.path()
	for _, k := range keys {
		v, err := r.fromGo(atChild(path, Key(k)), rv.MapIndex(reflect.ValueOf(k).Convert(rv.Type().Key())))
		if err != nil {
			return nil, err
		}
		d.Set(k, v)
	}
	return d, nil
}

// objectFromGo converts a registered struct, checking every field against
// its spec; a nil slice or map in a field that is not nullable is the
// empty one. Defaults never apply (see FromGo).
func (r *Registry) objectFromGo(ref pathRef, rv reflect.Value) (Value, error) {
	typ, ok := r.typeFor(rv.Type())
	if !ok {
		return nil, newError(ErrUnsupported, ref.path(), "Go type "+rv.Type().String()+" is not registered")
	}
	o := &Object{typ: typ, fields: make([]Value, len(typ.fields))}
	path := ref.path()
	for i := range typ.fields {
		f := &typ.fields[i]
		fp := atChild(path, Key(f.Name))
		v, err := r.fromGo(fp, rv.FieldByIndex(f.goIndex))
		if err != nil {
			return nil, err
		}
		if _, null := v.(Null); null && !f.Spec.Nullable {
			switch f.Spec.Kind {
			case KindList:
				v = &List{}
			case KindDict:
				v = &Dict{}
			}
		}
		if v, err = f.Spec.check(fp, v); err != nil {
			return nil, err
		}
		o.fields[i] = v
	}
	return o, nil
}
