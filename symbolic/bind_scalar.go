package symbolic

import (
	"math"
	"reflect"
)

// The binders of scalar Go kinds, called by bindInto with a non-null v.

func bindBool(ref pathRef, v Value, rv reflect.Value) error {
	b, ok := v.(Bool)
	if !ok {
		return bindMismatch(ref, rv.Type(), v)
	}
	rv.SetBool(bool(b))
	return nil
}

func bindInt(ref pathRef, v Value, rv reflect.Value) error {
	i, ok := v.(Int)
	if !ok {
		return bindMismatch(ref, rv.Type(), v)
	}
	if rv.OverflowInt(int64(i)) {
		return newError(ErrRange, ref.path(), "value "+i.String()+" overflows Go type "+rv.Type().String())
	}
	rv.SetInt(int64(i))
	return nil
}

func bindUint(ref pathRef, v Value, rv reflect.Value) error {
	i, ok := v.(Int)
	if !ok {
		return bindMismatch(ref, rv.Type(), v)
	}
	if i < 0 || rv.OverflowUint(uint64(i)) {
		return newError(ErrRange, ref.path(), "value "+i.String()+" overflows Go type "+rv.Type().String())
	}
	rv.SetUint(uint64(i))
	return nil
}

// bindFloat accepts floats and ints; a float32 rejects finite values
// beyond its range.
func bindFloat(ref pathRef, v Value, rv reflect.Value) error {
	switch x := v.(type) {
	case Float:
		if rv.Kind() == reflect.Float32 && !math.IsInf(float64(x), 0) && math.Abs(float64(x)) > math.MaxFloat32 {
			return newError(ErrRange, ref.path(), "value "+x.String()+" overflows Go type "+rv.Type().String())
		}
		rv.SetFloat(float64(x))
	case Int:
		rv.SetFloat(float64(x))
	default:
		return bindMismatch(ref, rv.Type(), v)
	}
	return nil
}

func bindString(ref pathRef, v Value, rv reflect.Value) error {
	s, ok := v.(String)
	if !ok {
		return bindMismatch(ref, rv.Type(), v)
	}
	rv.SetString(string(s))
	return nil
}
