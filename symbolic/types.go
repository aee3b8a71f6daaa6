package symbolic

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode"
)

// OnBounder is implemented by registered types that validate their fields,
// or derive unexported or sym:"-" fields from them, once a value is bound.
// OnBound runs, on a Go value built from the tree, whenever an object of
// the type is decoded, converted from Go or changed by Rebind, and on the
// value To returns. An error rejects the value (decoding or Rebind fails
// and the tree is left unchanged).
type OnBounder interface {
	OnBound() error
}

var (
	onBounderType = reflect.TypeFor[OnBounder]()
	valueType     = reflect.TypeFor[Value]()
)

// Type is a registered struct type: its stable name and schema. Types are
// immutable and safe for concurrent use.
type Type struct {
	name    string
	goType  reflect.Type
	doc     string
	fields  []Field
	byName  map[string]int
	hasHook bool
	ptrHook bool // the hook has a pointer receiver
	// hookFree: no value of this type can hold an object with a hook, so
	// runHooks can skip it.
	hookFree bool
}

// Name returns the registered name.
func (t *Type) Name() string { return t.name }

// Doc returns the type's documentation.
func (t *Type) Doc() string { return t.doc }

// GoType returns the Go struct type.
func (t *Type) GoType() reflect.Type { return t.goType }

// Fields returns the type's fields in declaration order. The slice must not
// be modified.
func (t *Type) Fields() []Field { return t.fields }

// Field returns the field named name.
func (t *Type) Field(name string) (*Field, bool) {
	i, ok := t.byName[name]
	if !ok {
		return nil, false
	}
	return &t.fields[i], true
}

func (t *Type) fieldIndex(name string) int {
	if i, ok := t.byName[name]; ok {
		return i
	}
	return -1
}

// implements reports whether values of t (or pointers to them) implement
// the interface iface.
func (t *Type) implements(iface reflect.Type) bool {
	return t.goType.Implements(iface) || reflect.PointerTo(t.goType).Implements(iface)
}

// fieldNames lists the field names, for error messages.
func (t *Type) fieldNames() string {
	names := make([]string, len(t.fields))
	for i, f := range t.fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

func (r *Registry) buildFields(typ *Type) error {
	t := typ.goType
	typ.byName = make(map[string]int)
	typ.hasHook = t.Implements(onBounderType) || reflect.PointerTo(t).Implements(onBounderType)
	typ.ptrHook = typ.hasHook && !t.Implements(onBounderType)
	for _, sf := range reflect.VisibleFields(t) {
		if !sf.IsExported() || sf.Anonymous {
			continue
		}
		tag := sf.Tag.Get("sym")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = snakeCase(sf.Name)
		}
		if !isIdent(name) || name == "_type" || name == "_tag" {
			return fmt.Errorf("field %s: invalid symbolic name %q", sf.Name, name)
		}
		if _, dup := typ.byName[name]; dup {
			return fmt.Errorf("field %s: duplicate symbolic name %q", sf.Name, name)
		}
		spec, err := r.specFor(sf.Type, true)
		if err != nil {
			return fmt.Errorf("field %s: %w", name, err)
		}
		if err := applyConstraints(spec, sf.Tag); err != nil {
			return fmt.Errorf("field %s: %w", name, err)
		}
		f := Field{Name: name, Spec: spec, Doc: sf.Tag.Get("doc"), goIndex: sf.Index}
		switch opts {
		case "":
		case "required":
			f.Required = true
		default:
			return fmt.Errorf("field %s: unknown sym option %q", name, opts)
		}
		if def, ok := sf.Tag.Lookup("default"); ok {
			if f.Required {
				return fmt.Errorf("field %s: required field with a default", name)
			}
			v, err := decodeYAMLText(def)
			if err != nil {
				return fmt.Errorf("field %s: default %q: %w", name, def, err)
			}
			if v, err = spec.check(at(Path(Key(name))), v); err != nil {
				return fmt.Errorf("field %s: default: %w", name, err)
			}
			f.Default = v
		} else if !f.Required {
			z, err := zeroValue(spec)
			if err != nil {
				return fmt.Errorf("field %s: %w; give a default or mark it required", name, err)
			}
			if z, err = spec.check(at(Path(Key(name))), z); err != nil {
				return fmt.Errorf("field %s: zero value is invalid (%w); give a default or mark it required", name, err)
			}
			f.Default = z
		}
		typ.byName[name] = len(typ.fields)
		typ.fields = append(typ.fields, f)
	}
	typ.hookFree = !typ.hasHook
	for i := range typ.fields {
		if !specHookFree(typ.fields[i].Spec, typ) {
			typ.hookFree = false
		}
	}
	return nil
}

// specHookFree reports whether no value a spec accepts can hold an object
// whose type has an OnBound hook. self is the type being registered.
func specHookFree(s *Spec, self *Type) bool {
	switch {
	case s.Elem != nil:
		return specHookFree(s.Elem, self)
	case s.Kind == KindAny || s.Iface != nil:
		return false
	case s.Type != nil:
		return s.Type == self || s.Type.hookFree
	}
	return true
}

// specFor maps a Go type to the spec of the values it holds.
func (r *Registry) specFor(t reflect.Type, top bool) (*Spec, error) {
	s := &Spec{goType: t}
	switch t.Kind() {
	case reflect.Bool:
		s.Kind = KindBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s.Kind = KindInt
		if bits := t.Bits(); bits < 64 {
			lo, hi := -math.Ldexp(1, bits-1), math.Ldexp(1, bits-1)-1
			s.Min, s.Max = &lo, &hi
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		s.Kind = KindInt
		lo := 0.0
		s.Min = &lo
		if bits := t.Bits(); bits < 64 {
			hi := math.Ldexp(1, bits) - 1
			s.Max = &hi
		} else {
			hi := float64(math.MaxInt64)
			s.Max = &hi
		}
	case reflect.Float32, reflect.Float64:
		s.Kind = KindFloat
	case reflect.String:
		s.Kind = KindString
	case reflect.Slice:
		s.Kind = KindList
		elem, err := r.specFor(t.Elem(), false)
		if err != nil {
			return nil, err
		}
		s.Elem = elem
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("%w: map key type %v (want string)", ErrUnsupported, t.Key())
		}
		s.Kind = KindDict
		elem, err := r.specFor(t.Elem(), false)
		if err != nil {
			return nil, err
		}
		s.Elem = elem
	case reflect.Struct:
		typ, ok := r.byGo[t]
		if !ok {
			return nil, fmt.Errorf("%w: struct type %v is not registered (register it before the types that use it)", ErrUnsupported, t)
		}
		s.Kind, s.Type = KindObject, typ
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Pointer {
			return nil, fmt.Errorf("%w: pointer to pointer %v", ErrUnsupported, t)
		}
		elem, err := r.specFor(t.Elem(), false)
		if err != nil {
			return nil, err
		}
		*s = *elem
		s.goType = t
		s.Nullable = true
	case reflect.Interface:
		switch {
		case t == valueType:
			s.Kind, s.Nullable, s.raw = KindAny, true, true
		case t.NumMethod() == 0:
			s.Kind, s.Nullable = KindAny, true
		default:
			s.Kind, s.Iface, s.Nullable, s.reg = KindObject, t, true, r
		}
	default:
		return nil, fmt.Errorf("%w: Go type %v", ErrUnsupported, t)
	}
	return s, nil
}

// applyConstraints applies min, max and enum tags to the innermost element
// spec of s.
func applyConstraints(s *Spec, tag reflect.StructTag) error {
	leaf := s
	for leaf.Elem != nil {
		leaf = leaf.Elem
	}
	for _, key := range []string{"min", "max"} {
		text, ok := tag.Lookup(key)
		if !ok {
			continue
		}
		if leaf.Kind != KindInt && leaf.Kind != KindFloat {
			return fmt.Errorf("%s bound on a %s field", key, leaf.Kind)
		}
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(f) {
			return fmt.Errorf("invalid %s bound %q", key, text)
		}
		if key == "min" {
			if leaf.Min == nil || f > *leaf.Min {
				leaf.Min = &f
			}
		} else if leaf.Max == nil || f < *leaf.Max {
			leaf.Max = &f
		}
	}
	if leaf.Min != nil && leaf.Max != nil && *leaf.Min > *leaf.Max {
		return fmt.Errorf("min %v is greater than max %v", *leaf.Min, *leaf.Max)
	}
	if text, ok := tag.Lookup("enum"); ok {
		if leaf.Kind != KindString {
			return fmt.Errorf("enum on a %s field", leaf.Kind)
		}
		for _, e := range strings.Split(text, ",") {
			if e = strings.TrimSpace(e); e == "" {
				return errors.New("empty enum value")
			}
			leaf.Enum = append(leaf.Enum, e)
		}
	}
	return nil
}

// zeroValue returns the symbolic form of the Go zero value for spec.
func zeroValue(s *Spec) (Value, error) {
	if s.Nullable {
		return Null{}, nil
	}
	switch s.Kind {
	case KindBool:
		return Bool(false), nil
	case KindInt:
		return Int(0), nil
	case KindFloat:
		return Float(0), nil
	case KindString:
		return String(""), nil
	case KindList:
		return &List{}, nil
	case KindDict:
		return &Dict{}, nil
	case KindObject:
		return s.Type.defaultObject()
	}
	return Null{}, nil
}

// defaultObject returns an object with every field at its default, or an
// error if the type has required fields.
func (t *Type) defaultObject() (*Object, error) {
	o := &Object{typ: t, fields: make([]Value, len(t.fields))}
	for i := range t.fields {
		f := &t.fields[i]
		if f.Required {
			return nil, fmt.Errorf("%w: type %s has required field %s, so it has no zero value", ErrRequired, t.name, f.Name)
		}
		o.fields[i] = Clone(f.Default)
	}
	return o, nil
}

// snakeCase turns a Go field name into a symbolic one: WeightDecay →
// weight_decay, HTTPServer → http_server, LR → lr.
func snakeCase(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) ||
				i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
