package symbolic

import (
	"math"
	"unicode/utf8"
)

// EncodeJSON returns the canonical JSON form of v, indented by two spaces:
// dict keys in order, objects as {"_type": NAME, fields…} in their type's
// field order, tagged values as {"_tag": "!name", "_value": content},
// floats always with a decimal point or exponent (so they decode as
// floats). NaN and infinities, which JSON cannot express, are errors, as
// are reserved dict keys and strings that are not valid UTF-8.
func EncodeJSON(v Value) ([]byte, error) {
	e := jsonEncoder{buf: make([]byte, 0, 512), indent: true}
	if err := e.value(v, 0); err != nil {
		return nil, err
	}
	return append(e.buf, '\n'), nil
}

// EncodeJSONCompact is like EncodeJSON but writes everything on one line
// with no spaces and no final newline.
func EncodeJSONCompact(v Value) ([]byte, error) {
	e := jsonEncoder{buf: make([]byte, 0, 512)}
	if err := e.value(v, 0); err != nil {
		return nil, err
	}
	return e.buf, nil
}

type jsonEncoder struct {
	buf    []byte
	indent bool
	path   []Step
}

func (e *jsonEncoder) err(sentinel error, msg string) error {
	return newError(sentinel, Path(e.path...), msg)
}

func (e *jsonEncoder) newline(depth int) {
	if !e.indent {
		return
	}
	e.buf = append(e.buf, '\n')
	for range depth {
		e.buf = append(e.buf, "  "...)
	}
}

func (e *jsonEncoder) member(i int, key string, depth int) error {
	if i > 0 {
		e.buf = append(e.buf, ',')
	}
	e.newline(depth)
	if !utf8.ValidString(key) {
		return e.err(ErrKind, "key is not valid UTF-8")
	}
	e.buf = appendJSONString(e.buf, key)
	e.buf = append(e.buf, ':')
	if e.indent {
		e.buf = append(e.buf, ' ')
	}
	return nil
}

func (e *jsonEncoder) value(v Value, depth int) error {
	switch x := v.(type) {
	case nil, Null:
		e.buf = append(e.buf, "null"...)
	case Bool, Int:
		e.buf = append(e.buf, x.String()...)
	case Float:
		f := float64(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return e.err(ErrRange, "JSON cannot express "+x.String()+"; use YAML")
		}
		e.buf = appendFloat(e.buf, f)
	case String:
		if !utf8.ValidString(string(x)) {
			return e.err(ErrKind, "string is not valid UTF-8")
		}
		e.buf = appendJSONString(e.buf, string(x))
	case *List:
		if len(x.items) == 0 {
			e.buf = append(e.buf, "[]"...)
			return nil
		}
		e.buf = append(e.buf, '[')
		for i, item := range x.items {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.newline(depth + 1)
			e.path = append(e.path, Index(i))
			if err := e.value(item, depth+1); err != nil {
				return err
			}
			e.path = e.path[:len(e.path)-1]
		}
		e.newline(depth)
		e.buf = append(e.buf, ']')
	case *Dict:
		if len(x.keys) == 0 {
			e.buf = append(e.buf, "{}"...)
			return nil
		}
		e.buf = append(e.buf, '{')
		for i, k := range x.keys {
			e.path = append(e.path, Key(k))
			if k == reservedTypeKey || k == reservedTagKey {
				return e.err(ErrKind, "dict key "+k+" is reserved")
			}
			if err := e.member(i, k, depth+1); err != nil {
				return err
			}
			if err := e.value(x.vals[i], depth+1); err != nil {
				return err
			}
			e.path = e.path[:len(e.path)-1]
		}
		e.newline(depth)
		e.buf = append(e.buf, '}')
	case *Object:
		e.buf = append(e.buf, '{')
		_ = e.member(0, reservedTypeKey, depth+1)
		e.buf = appendJSONString(e.buf, x.typ.name)
		for i, f := range x.fields {
			name := x.typ.fields[i].Name
			e.path = append(e.path, Key(name))
			_ = e.member(i+1, name, depth+1)
			if err := e.value(f, depth+1); err != nil {
				return err
			}
			e.path = e.path[:len(e.path)-1]
		}
		e.newline(depth)
		e.buf = append(e.buf, '}')
	case Tagged:
		e.buf = append(e.buf, '{')
		_ = e.member(0, reservedTagKey, depth+1)
		e.buf = appendJSONString(e.buf, x.Tag())
		_ = e.member(1, reservedValueKey, depth+1)
		if err := e.value(x.Content(), depth+1); err != nil {
			return err
		}
		e.newline(depth)
		e.buf = append(e.buf, '}')
	default:
		return e.err(ErrUnsupported, "cannot encode value of kind "+v.Kind().String())
	}
	return nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string; s must be valid UTF-8.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
