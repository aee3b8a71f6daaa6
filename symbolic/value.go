package symbolic

import (
	"math"
	"strconv"
)

// Kind is the kind of a symbolic value.
type Kind uint8

// The kinds of symbolic values. KindAny is never the kind of a value; it
// appears in schemas for fields that accept a value of any kind.
const (
	KindNull Kind = iota
	KindBool
	KindInt
	KindFloat
	KindString
	KindList
	KindDict
	KindObject
	KindTagged
	KindAny
)

var kindNames = [...]string{
	KindNull:   "null",
	KindBool:   "bool",
	KindInt:    "int",
	KindFloat:  "float",
	KindString: "string",
	KindList:   "list",
	KindDict:   "dict",
	KindObject: "object",
	KindTagged: "tagged value",
	KindAny:    "any",
}

// String returns the kind's lower-case name, as used in error messages.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is a node of a symbolic tree: one of Null, Bool, Int, Float, String,
// *List, *Dict, *Object, or a Tagged value defined by another package.
//
// Scalars are immutable. Lists, dicts and objects are mutable containers;
// they are not safe for concurrent use while any goroutine mutates them, and
// safe for concurrent reads otherwise. Use Clone to give another goroutine
// its own copy.
type Value interface {
	// Kind reports the value's kind.
	Kind() Kind
	// String returns the value in compact YAML flow form, on one line.
	String() string
}

// Null is the null value. Its zero value is the only value.
type Null struct{}

// Bool is a boolean value.
type Bool bool

// Int is a 64-bit signed integer value.
type Int int64

// Float is a 64-bit floating-point value.
type Float float64

// String is a UTF-8 string value.
type String string

// Kind implements Value.
func (Null) Kind() Kind { return KindNull }

// Kind implements Value.
func (Bool) Kind() Kind { return KindBool }

// Kind implements Value.
func (Int) Kind() Kind { return KindInt }

// Kind implements Value.
func (Float) Kind() Kind { return KindFloat }

// Kind implements Value.
func (String) Kind() Kind { return KindString }

// String implements Value.
func (Null) String() string { return "null" }

// String implements Value.
func (b Bool) String() string { return strconv.FormatBool(bool(b)) }

// String implements Value.
func (i Int) String() string { return strconv.FormatInt(int64(i), 10) }

// String implements Value. The text parses back to the same float: it
// always has a decimal point or an exponent, and uses .inf, -.inf and .nan
// for the special values, as YAML does.
func (f Float) String() string { return string(appendFloat(nil, float64(f))) }

// String implements Value. Strings that YAML would read as another kind,
// or that contain special characters, are double-quoted.
func (s String) String() string { return string(appendYAMLString(nil, string(s))) }

// appendFloat appends the shortest text that parses back to f and that YAML
// and JSON readers see as a float, not an int.
func appendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, ".nan"...)
	case math.IsInf(f, 1):
		return append(b, ".inf"...)
	case math.IsInf(f, -1):
		return append(b, "-.inf"...)
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'g', -1, 64)
	exp := -1
	for i, c := range b[start:] {
		switch c {
		case '.':
			return b
		case 'e':
			exp = start + i
		}
	}
	if exp < 0 {
		return append(b, ".0"...)
	}
	// YAML 1.1 readers (PyYAML) read 1e-08 as a string: a float needs a
	// point, so write 1.0e-08. Go's exponent always has its sign, as they
	// also require.
	b = append(b, ".0"...)
	copy(b[exp+2:], b[exp:len(b)-2])
	copy(b[exp:], ".0")
	return b
}

// isNull reports whether v is nil or Null.
func isNull(v Value) bool {
	if v == nil {
		return true
	}
	_, ok := v.(Null)
	return ok
}
