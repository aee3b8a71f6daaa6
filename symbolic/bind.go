package symbolic

import (
	"math"
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
	if err := bindInto(KeyPath{}, v, rv); err != nil {
		return out, err
	}
	return out, nil
}

// bindInto stores the Go form of v into the settable rv.
func bindInto(path KeyPath, v Value, rv reflect.Value) error {
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
		return bindMismatch(path, t, v)
	}
	switch t.Kind() {
	case reflect.Bool:
		b, ok := v.(Bool)
		if !ok {
			return bindMismatch(path, t, v)
		}
		rv.SetBool(bool(b))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, ok := v.(Int)
		if !ok {
			return bindMismatch(path, t, v)
		}
		if rv.OverflowInt(int64(i)) {
			return newError(ErrRange, path, "value "+i.String()+" overflows Go type "+t.String())
		}
		rv.SetInt(int64(i))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		i, ok := v.(Int)
		if !ok {
			return bindMismatch(path, t, v)
		}
		if i < 0 || rv.OverflowUint(uint64(i)) {
			return newError(ErrRange, path, "value "+i.String()+" overflows Go type "+t.String())
		}
		rv.SetUint(uint64(i))
	case reflect.Float32, reflect.Float64:
		switch x := v.(type) {
		case Float:
			if t.Kind() == reflect.Float32 && !math.IsInf(float64(x), 0) && math.Abs(float64(x)) > math.MaxFloat32 {
				return newError(ErrRange, path, "value "+x.String()+" overflows Go type "+t.String())
			}
			rv.SetFloat(float64(x))
		case Int:
			rv.SetFloat(float64(x))
		default:
			return bindMismatch(path, t, v)
		}
	case reflect.String:
		s, ok := v.(String)
		if !ok {
			return bindMismatch(path, t, v)
		}
		rv.SetString(string(s))
	case reflect.Slice:
		l, ok := v.(*List)
		if !ok {
			return bindMismatch(path, t, v)
		}
		s := reflect.MakeSlice(t, len(l.items), len(l.items))
		for i, item := range l.items {
			if err := bindInto(path.Index(i), item, s.Index(i)); err != nil {
				return err
			}
		}
		rv.Set(s)
	case reflect.Map:
		d, ok := v.(*Dict)
		if !ok || t.Key().Kind() != reflect.String {
			return bindMismatch(path, t, v)
		}
		m := reflect.MakeMapWithSize(t, len(d.keys))
		elem := reflect.New(t.Elem()).Elem()
		for i, k := range d.keys {
			elem.SetZero()
			if err := bindInto(path.Key(k), d.vals[i], elem); err != nil {
				return err
			}
			m.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), elem)
		}
		rv.Set(m)
	case reflect.Struct:
		o, ok := v.(*Object)
		if !ok || o.typ.goType != t {
			return bindMismatch(path, t, v)
		}
		sv, err := bindObject(path, o)
		if err != nil {
			return err
		}
		rv.Set(sv)
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		if err := bindInto(path, v, p.Elem()); err != nil {
			return err
		}
		rv.Set(p)
	case reflect.Interface:
		return bindInterface(path, v, rv)
	default:
		return newError(ErrUnsupported, path, "cannot bind to Go type "+t.String())
	}
	return nil
}

// bindInterface stores v into an interface-typed rv: objects as their Go
// type (by value if that implements the interface, else by pointer), other
// values in their natural Go form (bool, int64, float64, string, []any,
// map[string]any) when the interface is empty.
func bindInterface(path KeyPath, v Value, rv reflect.Value) error {
	t := rv.Type()
	var gv reflect.Value
	switch x := v.(type) {
	case *Object:
		sv, err := bindObject(path, x)
		if err != nil {
			return err
		}
		switch {
		case x.typ.goType.Implements(t):
			gv = sv
		case reflect.PointerTo(x.typ.goType).Implements(t):
			gv = sv.Addr()
		default:
			return bindMismatch(path, t, v)
		}
	case Bool:
		gv = reflect.ValueOf(bool(x))
	case Int:
		gv = reflect.ValueOf(int64(x))
	case Float:
		gv = reflect.ValueOf(float64(x))
	case String:
		gv = reflect.ValueOf(string(x))
	case *List:
		var s []any
		gv = reflect.ValueOf(&s).Elem()
		if err := bindInto(path, v, gv); err != nil {
			return err
		}
	case *Dict:
		var m map[string]any
		gv = reflect.ValueOf(&m).Elem()
		if err := bindInto(path, v, gv); err != nil {
			return err
		}
	default:
		gv = reflect.ValueOf(v)
	}
	if !gv.Type().AssignableTo(t) {
		return bindMismatch(path, t, v)
	}
	rv.Set(gv)
	return nil
}

// bindObject builds an addressable Go struct from o and runs its hook.
func bindObject(path KeyPath, o *Object) (reflect.Value, error) {
	sv := reflect.New(o.typ.goType).Elem()
	for i := range o.typ.fields {
		f := &o.typ.fields[i]
		if err := bindInto(path.Key(f.Name), o.fields[i], sv.FieldByIndex(f.goIndex)); err != nil {
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

func bindMismatch(path KeyPath, t reflect.Type, v Value) error {
	return newError(ErrKind, path, "cannot bind "+describe(v)+" to Go type "+t.String())
}
