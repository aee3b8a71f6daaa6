package symbolic

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Every error this package returns for bad input is an
// *Error that wraps one of them, so callers can test with errors.Is.
var (
	// ErrSyntax: the text is not valid YAML, JSON or key-path syntax.
	ErrSyntax = errors.New("syntax error")
	// ErrNotFound: a key path names nothing in the tree.
	ErrNotFound = errors.New("not found")
	// ErrKind: a value has the wrong kind or type for its place.
	ErrKind = errors.New("wrong kind")
	// ErrRange: a value is outside its bounds or enum.
	ErrRange = errors.New("out of range")
	// ErrUnknownType: a _type names no registered type.
	ErrUnknownType = errors.New("unknown type")
	// ErrUnknownField: an object has a field its type does not declare.
	ErrUnknownField = errors.New("unknown field")
	// ErrRequired: a required field is missing.
	ErrRequired = errors.New("missing required field")
	// ErrDuplicateKey: a mapping has the same key twice.
	ErrDuplicateKey = errors.New("duplicate key")
	// ErrLimit: the input is nested too deeply or is too large.
	ErrLimit = errors.New("limit exceeded")
	// ErrInvalid: a registered type's OnBound hook rejected a value.
	ErrInvalid = errors.New("invalid value")
	// ErrUnsupported: a Go value or type has no symbolic form.
	ErrUnsupported = errors.New("unsupported")
)

// Error is the error returned for bad input. It names where the problem is
// (file, line and column when decoding text, and the key path in the tree)
// and what was expected.
type Error struct {
	File   string  // the file being decoded, or ""
	Line   int     // 1-based line in File, or 0 when unknown
	Column int     // 1-based column in File, or 0 when unknown
	Path   KeyPath // where in the tree; the root when empty
	Msg    string  // what was expected and what was found
	Err    error   // one of the sentinel errors, or an error from a hook
}

// Error formats the error on one line:
//
//	symbolic: FILE:LINE:COL: PATH: MSG
//
// leaving out the parts that are unknown ("line L, column C" when there is
// no file name).
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("symbolic: ")
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Line))
			if e.Column > 0 {
				b.WriteByte(':')
				b.WriteString(strconv.Itoa(e.Column))
			}
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		if e.Column > 0 {
			b.WriteString(", column ")
			b.WriteString(strconv.Itoa(e.Column))
		}
		b.WriteString(": ")
	}
	if !e.Path.IsRoot() {
		b.WriteString(e.Path.String())
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the sentinel or hook error.
func (e *Error) Unwrap() error { return e.Err }

func newError(sentinel error, path KeyPath, msg string) *Error {
	return &Error{Path: path, Msg: msg, Err: sentinel}
}

// describe returns a short description of v for error messages:
// its kind and, for scalars and objects, its value or type.
func describe(v Value) string {
	switch x := v.(type) {
	case nil, Null:
		return "null"
	case Bool, Int, Float:
		return x.Kind().String() + " " + x.String()
	case String:
		s := string(x)
		if len(s) > 40 {
			s = s[:37] + "..."
		}
		return "string " + strconv.Quote(s)
	case *Object:
		return "object of type " + x.typ.name
	case Tagged:
		return "tagged value " + x.Tag()
	default:
		return v.Kind().String()
	}
}
