package symbolic

import (
	"strconv"
	"strings"
)

// Step is one step of a KeyPath: a dict key or object field name, or a list
// index. The zero Step is the key "".
type Step struct {
	key     string
	index   int
	isIndex bool
}

// Key returns the step that selects a dict entry or object field.
func Key(k string) Step { return Step{key: k} }

// Index returns the step that selects a list item. It panics if i < 0.
func Index(i int) Step {
	if i < 0 {
		panic("symbolic: negative list index")
	}
	return Step{index: i, isIndex: true}
}

// Key returns the step's key and true, or "" and false for an index step.
func (s Step) Key() (string, bool) { return s.key, !s.isIndex }

// Index returns the step's index and true, or 0 and false for a key step.
func (s Step) Index() (int, bool) { return s.index, s.isIndex }

// String returns the step as it appears in a path after another step:
// ".name", `["x.y"]` or "[2]".
func (s Step) String() string { return string(s.appendTo(nil, false)) }

func (s Step) appendTo(b []byte, first bool) []byte {
	switch {
	case s.isIndex:
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(s.index), 10)
		return append(b, ']')
	case isIdent(s.key):
		if !first {
			b = append(b, '.')
		}
		return append(b, s.key...)
	default:
		b = append(b, '[')
		b = strconv.AppendQuote(b, s.key)
		return append(b, ']')
	}
}

// KeyPath locates a value in a symbolic tree, as in model.layers[2].units.
// Keys that are not identifiers are quoted: a["x.y"]. The zero KeyPath is
// the root. KeyPaths are immutable and safe for concurrent use.
type KeyPath struct {
	steps []Step
}

// Path returns the key path made of the given steps.
func Path(steps ...Step) KeyPath {
	return KeyPath{steps: append([]Step(nil), steps...)}
}

// ParsePath parses the text form of a key path. The empty string is the
// root. ParsePath(p.String()) equals p for every p.
func ParsePath(s string) (KeyPath, error) {
	if s == "" {
		return KeyPath{}, nil
	}
	steps := make([]Step, 0, 1+strings.Count(s, ".")+strings.Count(s, "["))
	i := 0
	for i < len(s) {
		switch {
		case s[i] == '[':
			step, n, err := parseBracket(s, i)
			if err != nil {
				return KeyPath{}, err
			}
			steps = append(steps, step)
			i = n
		case s[i] == '.' && i > 0:
			j := i + 1
			for j < len(s) && isIdentByte(s[j], j == i+1) {
				j++
			}
			if j == i+1 {
				return KeyPath{}, pathSyntax(s, j, "want an identifier after '.'")
			}
			steps = append(steps, Key(s[i+1:j]))
			i = j
		case i == 0 && isIdentByte(s[0], true):
			j := 1
			for j < len(s) && isIdentByte(s[j], false) {
				j++
			}
			steps = append(steps, Key(s[:j]))
			i = j
		default:
			return KeyPath{}, pathSyntax(s, i, "want '.', '[' or an identifier")
		}
	}
	return KeyPath{steps: steps}, nil
}

// MustParsePath is like ParsePath but panics on error. It is meant for
// constant paths in programs and tests.
func MustParsePath(s string) KeyPath {
	p, err := ParsePath(s)
	if err != nil {
		panic(err)
	}
	return p
}

// parseBracket parses "[123]" or `["key"]` starting at s[i] == '['.
func parseBracket(s string, i int) (Step, int, error) {
	j := i + 1
	if j < len(s) && s[j] == '"' {
		k := j + 1
		for k < len(s) && s[k] != '"' {
			if s[k] == '\\' {
				k++
			}
			k++
		}
		if k >= len(s) {
			return Step{}, 0, pathSyntax(s, j, "unterminated quoted key")
		}
		key, err := strconv.Unquote(s[j : k+1])
		if err != nil {
			return Step{}, 0, pathSyntax(s, j, "invalid quoted key")
		}
		if k+1 >= len(s) || s[k+1] != ']' {
			return Step{}, 0, pathSyntax(s, k+1, "want ']' after quoted key")
		}
		return Key(key), k + 2, nil
	}
	k := j
	for k < len(s) && s[k] >= '0' && s[k] <= '9' {
		k++
	}
	if k == j || k >= len(s) || s[k] != ']' {
		return Step{}, 0, pathSyntax(s, j, "want a list index or a quoted key inside [ ]")
	}
	if s[j] == '0' && k-j > 1 {
		return Step{}, 0, pathSyntax(s, j, "list index with a leading zero")
	}
	n, err := strconv.Atoi(s[j:k])
	if err != nil {
		return Step{}, 0, pathSyntax(s, j, "list index out of range")
	}
	return Index(n), k + 1, nil
}

func pathSyntax(s string, pos int, msg string) error {
	return &Error{Msg: "key path " + strconv.Quote(s) + " at offset " + strconv.Itoa(pos) + ": " + msg, Err: ErrSyntax}
}

func isIdentByte(c byte, first bool) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !first && c >= '0' && c <= '9'
}

// isIdent reports whether key can be written unquoted in a path.
func isIdent(key string) bool {
	if key == "" {
		return false
	}
	for i := 0; i < len(key); i++ {
		if !isIdentByte(key[i], i == 0) {
			return false
		}
	}
	return true
}

// String returns the canonical text form: "" for the root.
func (p KeyPath) String() string {
	if len(p.steps) == 0 {
		return ""
	}
	b := make([]byte, 0, 8*len(p.steps))
	for i, s := range p.steps {
		b = s.appendTo(b, i == 0)
	}
	return string(b)
}

// GoString returns a Go expression that builds the path.
func (p KeyPath) GoString() string {
	var b strings.Builder
	b.WriteString("symbolic.Path(")
	for i, s := range p.steps {
		if i > 0 {
			b.WriteString(", ")
		}
		if s.isIndex {
			b.WriteString("symbolic.Index(" + strconv.Itoa(s.index) + ")")
		} else {
			b.WriteString("symbolic.Key(" + strconv.Quote(s.key) + ")")
		}
	}
	b.WriteByte(')')
	return b.String()
}

// IsRoot reports whether p is the empty path.
func (p KeyPath) IsRoot() bool { return len(p.steps) == 0 }

// Len returns the number of steps.
func (p KeyPath) Len() int { return len(p.steps) }

// At returns the i-th step. It panics if i is out of range.
func (p KeyPath) At(i int) Step { return p.steps[i] }

// Last returns the last step. It panics on the root.
func (p KeyPath) Last() Step { return p.steps[len(p.steps)-1] }

// Parent returns p without its last step; the parent of the root is the root.
func (p KeyPath) Parent() KeyPath {
	if len(p.steps) == 0 {
		return p
	}
	return KeyPath{steps: p.steps[: len(p.steps)-1 : len(p.steps)-1]}
}

// Child returns p extended by one step. p is not modified.
func (p KeyPath) Child(s Step) KeyPath {
	steps := make([]Step, len(p.steps)+1)
	copy(steps, p.steps)
	steps[len(p.steps)] = s
	return KeyPath{steps: steps}
}

// Key returns p extended by a key step.
func (p KeyPath) Key(k string) KeyPath { return p.Child(Key(k)) }

// Index returns p extended by an index step.
func (p KeyPath) Index(i int) KeyPath { return p.Child(Index(i)) }

// Equal reports whether p and q have the same steps.
func (p KeyPath) Equal(q KeyPath) bool {
	if len(p.steps) != len(q.steps) {
		return false
	}
	for i := range p.steps {
		if p.steps[i] != q.steps[i] {
			return false
		}
	}
	return true
}

// HasPrefix reports whether q is p or an ancestor of p.
func (p KeyPath) HasPrefix(q KeyPath) bool {
	if len(q.steps) > len(p.steps) {
		return false
	}
	for i := range q.steps {
		if p.steps[i] != q.steps[i] {
			return false
		}
	}
	return true
}

// Steps returns a copy of the path's steps.
func (p KeyPath) Steps() []Step { return append([]Step(nil), p.steps...) }
