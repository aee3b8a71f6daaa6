package symbolic

import "reflect"

// The binders of container Go kinds (slices, maps, pointers) and of
// registered structs, called by bindInto with a non-null v.

func bindSlice(ref pathRef, v Value, rv reflect.Value) error {
	l, ok := v.(*List)
	if !ok {
		return bindMismatch(ref, rv.Type(), v)
	}
	s := reflect.MakeSlice(rv.Type(), len(l.items), len(l.items))
	path := ref.path()
	for i, item := range l.items {
		if err := bindInto(atChild(path, Index(i)), item, s.Index(i)); err != nil {
			return err
		}
	}
	rv.Set(s)
	return nil
}

func bindMap(ref pathRef, v Value, rv reflect.Value) error {
	t := rv.Type()
	d, ok := v.(*Dict)
	if !ok || t.Key().Kind() != reflect.String {
		return bindMismatch(ref, t, v)
	}
	m := reflect.MakeMapWithSize(t, len(d.keys))
	elem := reflect.New(t.Elem()).Elem()
	path := ref.path()
	for i, k := range d.keys {
		elem.SetZero()
		if err := bindInto(atChild(path, Key(k)), d.vals[i], elem); err != nil {
			return err
		}
		m.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), elem)
	}
	rv.Set(m)
	return nil
}

// bindStruct binds an object of the registered type of rv.
func bindStruct(ref pathRef, v Value, rv reflect.Value) error {
	o, ok := v.(*Object)
	if !ok || o.typ.goType != rv.Type() {
		return bindMismatch(ref, rv.Type(), v)
	}
	sv, err := bindObject(ref, o)
	if err != nil {
		return err
	}
	rv.Set(sv)
	return nil
}

// bindPointer binds v to a new value of the pointed-to type.
func bindPointer(ref pathRef, v Value, rv reflect.Value) error {
	p := reflect.New(rv.Type().Elem())
	if err := bindInto(ref, v, p.Elem()); err != nil {
		return err
	}
	rv.Set(p)
	return nil
}

// bindObject builds an addressable Go struct from o and runs its hook.
func bindObject(ref pathRef, o *Object) (reflect.Value, error) {
	sv := reflect.New(o.typ.goType).Elem()
	path := ref.path()
	for i := range o.typ.fields {
		f := &o.typ.fields[i]
		if err := bindInto(atChild(path, Key(f.Name)), o.fields[i], sv.FieldByIndex(f.goIndex)); err != nil {
			return reflect.Value{}, err
		}
	}
	if o.typ.hasHook {
		if err := callHook(path, o.typ, sv); err != nil {
			return reflect.Value{}, err
		}
	}
	return sv, nil
}
