package symbolic

import "slices"

// check validates v against the spec and returns the value to store, which
// differs from v only when an int is widened to a float. It checks the
// whole of v, including the fields of objects and the items of containers.
// It handles what every spec shares (any, Conformer values, null) and
// hands the rest to the checker of the spec's kind.
func (s *Spec) check(ref pathRef, v Value) (Value, error) {
	if v == nil {
		v = Null{}
	}
	if s.Kind == KindAny {
		return v, nil
	}
	switch v.(type) {
	case Bool, Int, Float, String, *List, *Dict, *Object:
		// The package's own values are neither null nor Conformers; a
		// type switch on them is cheaper than the interface assertion.
	case Null:
		if s.Nullable {
			return v, nil
		}
		return nil, s.mismatch(ref.path(), v)
	default:
		if c, ok := v.(Conformer); ok {
			return c.Conform(ref.path(), func(p KeyPath, v Value) (Value, error) { return s.check(at(p), v) })
		}
	}
	switch s.Kind {
	case KindBool:
		if _, ok := v.(Bool); !ok {
			return nil, s.mismatch(ref.path(), v)
		}
		return v, nil
	case KindInt:
		return s.checkInt(ref, v)
	case KindFloat:
		return s.checkFloat(ref, v)
	case KindString:
		return s.checkString(ref, v)
	case KindList:
		return s.checkList(ref, v)
	case KindDict:
		return s.checkDict(ref, v)
	case KindObject:
		return s.checkObject(ref, v)
	}
	return v, nil
}

func (s *Spec) checkInt(ref pathRef, v Value) (Value, error) {
	i, ok := v.(Int)
	if !ok {
		return nil, s.mismatch(ref.path(), v)
	}
	if !s.inBounds(float64(i)) {
		return nil, s.outOfRange(ref.path(), v)
	}
	return v, nil
}

// checkFloat accepts floats and ints, widening ints to floats.
func (s *Spec) checkFloat(ref pathRef, v Value) (Value, error) {
	switch x := v.(type) {
	case Float:
		if !s.inBounds(float64(x)) {
			return nil, s.outOfRange(ref.path(), v)
		}
		return v, nil
	case Int:
		f := Float(x)
		if !s.inBounds(float64(f)) {
			return nil, s.outOfRange(ref.path(), v)
		}
		return f, nil
	}
	return nil, s.mismatch(ref.path(), v)
}

func (s *Spec) checkString(ref pathRef, v Value) (Value, error) {
	str, ok := v.(String)
	if !ok {
		return nil, s.mismatch(ref.path(), v)
	}
	if len(s.Enum) > 0 && !slices.Contains(s.Enum, string(str)) {
		return nil, s.outOfRange(ref.path(), v)
	}
	return v, nil
}

// checkList checks the items against the element spec, storing widened
// items in place.
func (s *Spec) checkList(ref pathRef, v Value) (Value, error) {
	l, ok := v.(*List)
	if !ok {
		return nil, s.mismatch(ref.path(), v)
	}
	if s.Elem != nil && s.Elem.Kind != KindAny && len(l.items) > 0 {
		path := ref.path()
		for i, item := range l.items {
			nv, err := s.Elem.check(atChild(path, Index(i)), item)
			if err != nil {
				return nil, err
			}
			l.items[i] = nv
		}
	}
	return v, nil
}

// checkDict checks the values against the element spec, storing widened
// values in place.
func (s *Spec) checkDict(ref pathRef, v Value) (Value, error) {
	d, ok := v.(*Dict)
	if !ok {
		return nil, s.mismatch(ref.path(), v)
	}
	if s.Elem != nil && s.Elem.Kind != KindAny && len(d.vals) > 0 {
		path := ref.path()
		for i, item := range d.vals {
			nv, err := s.Elem.check(atChild(path, Key(d.keys[i])), item)
			if err != nil {
				return nil, err
			}
			d.vals[i] = nv
		}
	}
	return v, nil
}

// checkObject checks the object's type; its fields satisfy their specs
// already, as every Object does.
func (s *Spec) checkObject(ref pathRef, v Value) (Value, error) {
	o, ok := v.(*Object)
	if !ok {
		return nil, s.mismatch(ref.path(), v)
	}
	if s.Type != nil && o.typ != s.Type {
		return nil, s.mismatch(ref.path(), v)
	}
	if s.Iface != nil && !o.typ.implements(s.Iface) {
		return nil, s.mismatch(ref.path(), v)
	}
	return v, nil
}
