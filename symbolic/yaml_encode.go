package symbolic

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// EncodeYAML returns the canonical YAML form of v: block style with
// two-space indentation, dict keys in order, object fields in their type's
// order after the _type key, lists of scalars in flow style ([1, 2]) when
// they fit on a line, strings quoted only when YAML would read them as
// something else, floats always with a decimal point or exponent. Decoding
// the output gives a value Equal to v, and encoding that value gives the
// same bytes.
//
// Dicts holding the reserved keys _type or _tag, and strings that are not
// valid UTF-8, cannot be encoded.
func EncodeYAML(v Value) ([]byte, error) {
	e := yamlEncoder{buf: make([]byte, 0, 512)}
	if err := e.top(v); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// flowMaxWidth is the longest flow-style list written on the line of its key.
const flowMaxWidth = 72

type yamlEncoder struct {
	buf  []byte
	path []Step
}

func (e *yamlEncoder) err(sentinel error, msg string) error {
	return newError(sentinel, Path(e.path...), msg)
}

func (e *yamlEncoder) indent(n int) {
	for range n {
		e.buf = append(e.buf, ' ')
	}
}

func (e *yamlEncoder) top(v Value) error {
	if inlinable(v) {
		return e.flowLine(v)
	}
	if t, ok := v.(Tagged); ok {
		if err := checkTagged(t, e.path); err != nil {
			return err
		}
		e.buf = append(e.buf, t.Tag()...)
		e.buf = append(e.buf, '\n')
		return e.block(t.Content(), 0, false)
	}
	return e.block(v, 0, false)
}

// flowLine writes v in flow style and ends the line.
func (e *yamlEncoder) flowLine(v Value) error {
	var err error
	e.buf, err = appendFlow(e.buf, v, e.path)
	e.buf = append(e.buf, '\n')
	return err
}

// afterKey writes v after "key:" on a started line.
func (e *yamlEncoder) afterKey(v Value, indent int) error {
	if inlinable(v) {
		e.buf = append(e.buf, ' ')
		return e.flowLine(v)
	}
	if t, ok := v.(Tagged); ok {
		if err := checkTagged(t, e.path); err != nil {
			return err
		}
		e.buf = append(e.buf, ' ')
		e.buf = append(e.buf, t.Tag()...)
		e.buf = append(e.buf, '\n')
		return e.block(t.Content(), indent+2, false)
	}
	e.buf = append(e.buf, '\n')
	return e.block(v, indent+2, false)
}

// afterDash writes v after "- " at column indent-2.
func (e *yamlEncoder) afterDash(v Value, indent int) error {
	if inlinable(v) {
		return e.flowLine(v)
	}
	if t, ok := v.(Tagged); ok {
		if err := checkTagged(t, e.path); err != nil {
			return err
		}
		e.buf = append(e.buf, t.Tag()...)
		e.buf = append(e.buf, '\n')
		return e.block(t.Content(), indent, false)
	}
	return e.block(v, indent, true)
}

// block writes a non-empty list, dict or object in block style at the
// given indentation; when started, the first line is already indented.
func (e *yamlEncoder) block(v Value, indent int, started bool) error {
	line := func(i int) {
		if i > 0 || !started {
			e.indent(indent)
		}
	}
	switch x := v.(type) {
	case *List:
		for i, item := range x.items {
			line(i)
			e.buf = append(e.buf, "- "...)
			e.path = append(e.path, Index(i))
			if err := e.afterDash(item, indent+2); err != nil {
				return err
			}
			e.path = e.path[:len(e.path)-1]
		}
	case *Dict:
		for i, k := range x.keys {
			e.path = append(e.path, Key(k))
			if k == reservedTypeKey || k == reservedTagKey {
				return e.err(ErrKind, "dict key "+k+" is reserved")
			}
			line(i)
			var err error
			if e.buf, err = appendYAMLKey(e.buf, k, e.path); err != nil {
				return err
			}
			if err := e.afterKey(x.vals[i], indent); err != nil {
				return err
			}
			e.path = e.path[:len(e.path)-1]
		}
	case *Object:
		line(0)
		e.buf = append(e.buf, "_type: "...)
		e.buf = appendYAMLString(e.buf, x.typ.name)
		e.buf = append(e.buf, '\n')
		for i, f := range x.fields {
			e.indent(indent)
			name := x.typ.fields[i].Name
			e.buf = appendYAMLString(e.buf, name) // quoted if YAML would not read it as a string (null)
			e.buf = append(e.buf, ':')
			e.path = append(e.path, Key(name))
			if err := e.afterKey(f, indent); err != nil {
				return err
			}
			e.path = e.path[:len(e.path)-1]
		}
	default:
		return e.flowLine(v)
	}
	return nil
}

// inlinable reports whether v is written in flow style on one line: a
// scalar, an empty container, a short list of scalars, or a tagged value
// whose content is inlinable.
func inlinable(v Value) bool {
	switch x := v.(type) {
	case *List:
		if len(x.items) == 0 {
			return true
		}
		width := 2
		for _, item := range x.items {
			switch s := item.(type) {
			case *List, *Dict, *Object, Tagged:
				return false
			case String:
				width += len(s) + 4
			default:
				width += 8
			}
		}
		return width <= flowMaxWidth
	case *Dict:
		return len(x.keys) == 0
	case *Object:
		return false
	case Tagged:
		// Short option dicts of tags read best on one line:
		// lr: !float {min: 0.0001, max: 0.1, scale: log}
		if d, ok := x.Content().(*Dict); ok {
			width := 2 + len(x.Tag())
			for i, k := range d.keys {
				switch item := d.vals[i].(type) {
				case *Dict, *Object, Tagged:
					return false
				case *List:
					if !inlinable(item) {
						return false
					}
					width += len(k) + 4 + 8*len(item.items)
				case String:
					width += len(k) + len(item) + 4
				default:
					width += len(k) + 10
				}
			}
			return width <= flowMaxWidth
		}
		return inlinable(x.Content())
	}
	return true
}

// flowString returns v in YAML flow style on one line; encoding errors
// (reserved keys, invalid UTF-8) are shown in the text.
func flowString(v Value) string {
	b, err := appendFlow(nil, v, nil)
	if err != nil {
		return string(b) + "<!" + err.Error() + ">"
	}
	return string(b)
}

func appendFlow(b []byte, v Value, path []Step) ([]byte, error) {
	var err error
	switch x := v.(type) {
	case nil, Null:
		return append(b, "null"...), nil
	case Int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case Bool:
		return strconv.AppendBool(b, bool(x)), nil
	case Float:
		return appendFloat(b, float64(x)), nil
	case String:
		if !utf8.ValidString(string(x)) {
			return b, newError(ErrKind, Path(path...), "string is not valid UTF-8")
		}
		return appendYAMLString(b, string(x)), nil
	case *List:
		b = append(b, '[')
		for i, item := range x.items {
			if i > 0 {
				b = append(b, ", "...)
			}
			if b, err = appendFlow(b, item, append(path, Index(i))); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case *Dict:
		b = append(b, '{')
		for i, k := range x.keys {
			if i > 0 {
				b = append(b, ", "...)
			}
			p := append(path, Key(k))
			if k == reservedTypeKey || k == reservedTagKey {
				return b, newError(ErrKind, Path(p...), "dict key "+k+" is reserved")
			}
			if b, err = appendYAMLKey(b, k, p); err != nil {
				return b, err
			}
			b = append(b, ' ')
			if b, err = appendFlow(b, x.vals[i], p); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	case *Object:
		b = append(b, "{_type: "...)
		b = appendYAMLString(b, x.typ.name)
		for i, f := range x.fields {
			name := x.typ.fields[i].Name
			b = append(b, ", "...)
			b = appendYAMLString(b, name)
			b = append(b, ": "...)
			if b, err = appendFlow(b, f, append(path, Key(name))); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	case Tagged:
		if err := checkTagged(x, path); err != nil {
			return b, err
		}
		b = append(b, x.Tag()...)
		b = append(b, ' ')
		return appendFlow(b, x.Content(), path)
	}
	return b, newError(ErrUnsupported, Path(path...), "cannot encode value of kind "+v.Kind().String())
}

// checkTagged refuses a tagged value whose content is tagged too: YAML
// gives a node one tag at most.
func checkTagged(t Tagged, path []Step) error {
	if c, ok := t.Content().(Tagged); ok {
		return newError(ErrUnsupported, Path(path...), "tagged value "+t.Tag()+" holds tagged value "+c.Tag()+", which YAML cannot write")
	}
	return nil
}

func appendYAMLKey(b []byte, k string, path []Step) ([]byte, error) {
	if !utf8.ValidString(k) {
		return b, newError(ErrKind, Path(path...), "key is not valid UTF-8")
	}
	b = appendYAMLString(b, k)
	return append(b, ':'), nil
}

// appendYAMLString appends s as a plain scalar when that is safe (it reads
// back as the same string, also inside flow collections), else
// double-quoted.
func appendYAMLString(b []byte, s string) []byte {
	if plainSafe(s) {
		return append(b, s...)
	}
	return strconv.AppendQuote(b, s)
}

// plainSafe reports whether s can be written unquoted: it starts with a
// letter or underscore, holds only letters, digits, interior spaces and
// _ . / - characters,
// and YAML does not resolve it to another kind (true, null, …).
func plainSafe(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case i > 0 && (c >= '0' && c <= '9' || c == '.' || c == '/' || c == '-'):
		case c == ' ' && i > 0 && i < len(s)-1: // interior spaces: "hello world"
		default:
			return false
		}
	}
	if len(s) <= 3 && (strings.EqualFold(s, "yes") || strings.EqualFold(s, "no") ||
		strings.EqualFold(s, "on") || strings.EqualFold(s, "off")) {
		return false // booleans to YAML 1.1 readers such as PyYAML
	}
	return plainTag(s) == "!!str"
}
