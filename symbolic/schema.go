package symbolic

import (
	"math"
	"reflect"
	"strconv"
	"strings"
)

// Spec says which values a place in a typed tree accepts: a field of a
// registered type, or an element of a list or dict inside one. Specs are
// built when a type is registered and are immutable afterwards.
type Spec struct {
	// Kind is the kind of value accepted; KindAny accepts every value.
	Kind Kind
	// Nullable reports whether null is accepted besides Kind.
	Nullable bool
	// Elem is the spec of the elements of a list or the values of a dict.
	Elem *Spec
	// Type is the registered type an object must have, when the place holds
	// a concrete struct type.
	Type *Type
	// Iface, when not nil, is the Go interface that the Go type of an object
	// placed here must implement.
	Iface reflect.Type
	// Min and Max bound ints and floats (inclusive) when not nil.
	Min, Max *float64
	// Enum, when not empty, lists the strings accepted.
	Enum []string

	goType reflect.Type // the Go type values are bound to
	raw    bool         // the Go field has type symbolic.Value
	reg    *Registry    // for Iface specs: where to find implementations
}

// Expected describes what the spec accepts, for error messages, e.g.
// "int in [1, 4096]" or "one of relu, gelu".
func (s *Spec) Expected() string {
	var b strings.Builder
	switch {
	case s.Kind == KindObject && s.Type != nil:
		b.WriteString("object of type " + s.Type.name)
	case s.Kind == KindObject && s.Iface != nil:
		b.WriteString("object of a type implementing " + s.Iface.String())
		if s.reg != nil {
			b.WriteString(s.reg.implementations(s.Iface))
		}
	case len(s.Enum) > 0:
		b.WriteString("one of ")
		b.WriteString(strings.Join(s.Enum, ", "))
	case s.Kind == KindList && s.Elem != nil && s.Elem.Kind != KindAny:
		b.WriteString("list of " + s.Elem.Expected())
	case s.Kind == KindDict && s.Elem != nil && s.Elem.Kind != KindAny:
		b.WriteString("dict of " + s.Elem.Expected())
	default:
		b.WriteString(s.Kind.String())
	}
	if (s.Kind == KindInt || s.Kind == KindFloat) && (s.Min != nil || s.Max != nil) {
		b.WriteString(" in ")
		b.WriteString(boundString(s.Min, '[', true))
		b.WriteString(", ")
		b.WriteString(boundString(s.Max, ']', false))
	}
	if s.Nullable && s.Kind != KindAny {
		b.WriteString(" or null")
	}
	return b.String()
}

func boundString(v *float64, bracket byte, low bool) string {
	if v == nil {
		if low {
			return "(-inf"
		}
		return "+inf)"
	}
	s := strconv.FormatFloat(*v, 'g', -1, 64)
	if low {
		return string(bracket) + s
	}
	return s + string(bracket)
}

// pathRef is a key path given as a parent and one more step, so that the
// path is only built (allocated) when an error needs it.
type pathRef struct {
	parent KeyPath
	step   Step
	has    bool // the step is part of the path
}

func at(p KeyPath) pathRef              { return pathRef{parent: p} }
func atChild(p KeyPath, s Step) pathRef { return pathRef{parent: p, step: s, has: true} }
func (r pathRef) path() KeyPath {
	if !r.has {
		return r.parent
	}
	return r.parent.Child(r.step)
}

// inBounds reports whether f is within the spec's bounds; NaN is only
// accepted when there are none.
func (s *Spec) inBounds(f float64) bool {
	if math.IsNaN(f) {
		return s.Min == nil && s.Max == nil
	}
	return (s.Min == nil || f >= *s.Min) && (s.Max == nil || f <= *s.Max)
}

func (s *Spec) mismatch(path KeyPath, v Value) error {
	return newError(ErrKind, path, "want "+s.Expected()+", got "+describe(v))
}

func (s *Spec) outOfRange(path KeyPath, v Value) error {
	return newError(ErrRange, path, "want "+s.Expected()+", got "+describe(v))
}

// Field is one field of a registered type.
type Field struct {
	// Name is the field's symbolic name, used in files and key paths.
	Name string
	// Spec says which values the field accepts.
	Spec *Spec
	// Required fields must be given; others take Default when missing.
	Required bool
	// Default is the value of a missing optional field. Never nil for
	// optional fields; callers must Clone it before mutating it.
	Default Value
	// Doc documents the field.
	Doc string

	goIndex []int // reflect field index in the Go struct
}
