package symbolic

import (
	"math"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// The converters of scalar Go kinds that can fail or need care, called by
// fromGo; bools, ints and float64s convert inline.

func uintFromGo(ref pathRef, rv reflect.Value) (Value, error) {
	u := rv.Uint()
	if u > math.MaxInt64 {
		return nil, newError(ErrRange, ref.path(), "unsigned value "+strconv.FormatUint(u, 10)+" does not fit an int64")
	}
	return Int(u), nil
}

// float32FromGo keeps the decimal the user wrote: float32(0.1) becomes
// 0.1, not 0.10000000149011612.
func float32FromGo(rv reflect.Value) Value {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(rv.Float(), 'g', -1, 32), 64)
	return Float(f)
}

func stringFromGo(ref pathRef, rv reflect.Value) (Value, error) {
	s := rv.String()
	if !utf8.ValidString(s) {
		return nil, newError(ErrKind, ref.path(), "string is not valid UTF-8")
	}
	return String(s), nil
}
