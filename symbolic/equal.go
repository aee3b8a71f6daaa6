package symbolic

import "math"

// Equal reports whether a and b are structurally equal: same kinds, equal
// scalars, lists equal item by item, dicts with the same keys in the same
// order mapping to equal values, objects of the same type with equal
// fields, and tagged values with the same tag and equal content.
//
// Objects are compared by type name, so values decoded with different
// registries that register the same types are equal.
//
// Floats compare by value except that NaN equals NaN (so a tree equals its
// decoded encoding); Int(1) and Float(1) are not equal. nil equals Null.
func Equal(a, b Value) bool {
	if a == nil {
		a = Null{}
	}
	if b == nil {
		b = Null{}
	}
	switch x := a.(type) {
	case Null:
		_, ok := b.(Null)
		return ok
	case Bool:
		y, ok := b.(Bool)
		return ok && x == y
	case Int:
		y, ok := b.(Int)
		return ok && x == y
	case Float:
		y, ok := b.(Float)
		return ok && (x == y || math.IsNaN(float64(x)) && math.IsNaN(float64(y)))
	case String:
		y, ok := b.(String)
		return ok && x == y
	case *List:
		y, ok := b.(*List)
		if !ok || len(x.items) != len(y.items) {
			return false
		}
		for i := range x.items {
			if !Equal(x.items[i], y.items[i]) {
				return false
			}
		}
		return true
	case *Dict:
		y, ok := b.(*Dict)
		if !ok || len(x.keys) != len(y.keys) {
			return false
		}
		for i := range x.keys {
			if x.keys[i] != y.keys[i] || !Equal(x.vals[i], y.vals[i]) {
				return false
			}
		}
		return true
	case *Object:
		y, ok := b.(*Object)
		if !ok || !sameType(x.typ, y.typ) {
			return false
		}
		for i := range x.fields {
			if !Equal(x.fields[i], y.fields[i]) {
				return false
			}
		}
		return true
	case Tagged:
		y, ok := b.(Tagged)
		return ok && x.Tag() == y.Tag() && Equal(x.Content(), y.Content())
	}
	return false
}

// sameType reports whether two types are the same registered type, possibly
// from different registries.
func sameType(a, b *Type) bool {
	return a == b || a.name == b.name && len(a.fields) == len(b.fields)
}
