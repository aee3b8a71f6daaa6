package symbolic

import "reflect"

// bindInterface stores v into an interface-typed rv: objects as their Go
// type (by value if that implements the interface, else by pointer), other
// values in their natural Go form (bool, int64, float64, string, []any,
// map[string]any) when the interface is empty.
func bindInterface(ref pathRef, v Value, rv reflect.Value) error {
	t := rv.Type()
	var gv reflect.Value
	switch x := v.(type) {
	case *Object:
		sv, err := bindObject(ref, x)
		if err != nil {
			return err
		}
		switch {
		case x.typ.goType.Implements(t):
			gv = sv
		case reflect.PointerTo(x.typ.goType).Implements(t):
			gv = sv.Addr()
		default:
			return bindMismatch(ref, t, v)
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
		if err := bindInto(ref, v, gv); err != nil {
			return err
		}
	case *Dict:
		var m map[string]any
		gv = reflect.ValueOf(&m).Elem()
		if err := bindInto(ref, v, gv); err != nil {
			return err
		}
	default:
		gv = reflect.ValueOf(v)
	}
	if !gv.Type().AssignableTo(t) {
		return bindMismatch(ref, t, v)
	}
	rv.Set(gv)
	return nil
}
