package symbolic

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DecodeOptions controls decoding. The zero value (and a nil pointer) gives
// the defaults.
type DecodeOptions struct {
	// Filename names the input in error messages.
	Filename string
	// MaxDepth bounds the nesting of lists, dicts and objects.
	// If MaxDepth is 0, a default of 128 is used.
	MaxDepth int
	// MaxNodes bounds the number of values built, counting every
	// expansion of a YAML alias. If MaxNodes is 0, a default of 1,000,000
	// is used.
	MaxNodes int
	// MaxBytes bounds the input size. If MaxBytes is 0, a default of
	// 64 MiB is used.
	MaxBytes int
}

const (
	defaultMaxDepth = 128
	defaultMaxNodes = 1_000_000
	defaultMaxBytes = 64 << 20
)

// decoder holds what the YAML and JSON decoders share: the registry, the
// limits, and the count of values built.
type decoder struct {
	reg      *Registry // nil: objects and tags are refused (struct-tag defaults)
	file     string
	maxDepth int
	maxNodes int
	maxBytes int
	nodes    int
	objPos   map[*Object][2]int // where each object's _type key is, for hook errors
}

func newDecoder(r *Registry, opts *DecodeOptions) *decoder {
	d := &decoder{reg: r, maxDepth: defaultMaxDepth, maxNodes: defaultMaxNodes, maxBytes: defaultMaxBytes}
	if opts != nil {
		d.file = opts.Filename
		if opts.MaxDepth > 0 {
			d.maxDepth = opts.MaxDepth
		}
		if opts.MaxNodes > 0 {
			d.maxNodes = opts.MaxNodes
		}
		if opts.MaxBytes > 0 {
			d.maxBytes = opts.MaxBytes
		}
	}
	return d
}

// count records one more value built at path and depth.
func (d *decoder) count(path KeyPath, depth int) *Error {
	d.nodes++
	if d.nodes > d.maxNodes {
		return newError(ErrLimit, path, d.tooManyMsg())
	}
	if depth > d.maxDepth {
		return newError(ErrLimit, path, "input is nested more than "+strconv.Itoa(d.maxDepth)+" levels deep")
	}
	return nil
}

func (d *decoder) tooManyMsg() string {
	return "input has more than " + strconv.Itoa(d.maxNodes) + " values (counting alias expansions)"
}

// locate adds to err, the error of an OnBound hook run on the decoded
// tree root, the position of the object at or above the error's path.
func (d *decoder) locate(root Value, err error) error {
	var e *Error
	if !errors.As(err, &e) || e.Line != 0 {
		return err
	}
	for p := e.Path; ; p = p.Parent() {
		if v, gerr := Get(root, p); gerr == nil {
			if o, ok := v.(*Object); ok {
				if pos, ok := d.objPos[o]; ok {
					e.Line, e.Column = pos[0], pos[1]
					return err
				}
			}
		}
		if p.IsRoot() {
			return err
		}
	}
}

// checkInput validates size and encoding before any parsing.
func (d *decoder) checkInput(data []byte) error {
	if len(data) > d.maxBytes {
		return d.finish(&Error{Msg: "input is " + strconv.Itoa(len(data)) + " bytes, more than the limit of " + strconv.Itoa(d.maxBytes), Err: ErrLimit})
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		line, col := lineCol(data, off)
		return d.finish(&Error{Line: line, Column: col, Msg: "invalid UTF-8", Err: ErrSyntax})
	}
	return nil
}

// finish adds the file name to err.
func (d *decoder) finish(err error) error {
	var e *Error
	if errors.As(err, &e) && e.File == "" {
		e.File = d.file
	}
	return err
}

// clip shortens the text of a number for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// lineCol returns the 1-based line and column (in runes) of byte offset off.
func lineCol(data []byte, off int) (int, int) {
	if off > len(data) {
		off = len(data)
	}
	line := 1 + strings.Count(string(data[:off]), "\n")
	start := strings.LastIndexByte(string(data[:off]), '\n') + 1
	return line, 1 + utf8.RuneCount(data[start:off])
}

// mapping turns the entries of a YAML mapping or JSON object into a Dict,
// an Object (when there is a _type key) or a Tagged value (when the keys
// are exactly _tag and _value). pos gives the position of a key.
func (d *decoder) mapping(path KeyPath, m *Dict, pos func(key string) (int, int)) (Value, error) {
	if tv, ok := m.Get(reservedTagKey); ok {
		content, hasValue := m.Get(reservedValueKey)
		tag, isString := tv.(String)
		if !isString || !hasValue || m.Len() != 2 {
			line, col := pos(reservedTagKey)
			return nil, &Error{Path: path, Line: line, Column: col, Err: ErrKind,
				Msg: "a tagged value is written {_tag: \"!name\", _value: …} with no other keys"}
		}
		line, col := pos(reservedTagKey)
		return d.tagged(path, string(tag), content, line, col)
	}
	tv, ok := m.Get(reservedTypeKey)
	if !ok {
		return m, nil
	}
	line, col := pos(reservedTypeKey)
	name, isString := tv.(String)
	if !isString {
		return nil, &Error{Path: path.Key(reservedTypeKey), Line: line, Column: col, Err: ErrKind,
			Msg: "want a registered type name, got " + describe(tv)}
	}
	if d.reg == nil {
		return nil, &Error{Path: path, Line: line, Column: col, Err: ErrUnknownType, Msg: "objects are not allowed here"}
	}
	typ, ok := d.reg.Lookup(string(name))
	if !ok {
		return nil, &Error{Path: path.Key(reservedTypeKey), Line: line, Column: col, Err: ErrUnknownType,
			Msg: "unknown _type " + strconv.Quote(string(name)) + d.reg.knownTypes(string(name))}
	}
	m.Delete(reservedTypeKey)
	o, err := typ.build(path, m, pos)
	if err != nil {
		return nil, err
	}
	if typ.hasHook { // where a hook's error is reported
		if d.objPos == nil {
			d.objPos = make(map[*Object][2]int)
		}
		d.objPos[o] = [2]int{line, col}
	}
	return o, nil
}

// tagged decodes a tagged value with the registry's TagFunc.
func (d *decoder) tagged(path KeyPath, tag string, content Value, line, col int) (Value, error) {
	var fn TagFunc
	var ok bool
	if d.reg != nil {
		fn, ok = d.reg.tagFunc(tag)
	}
	if !ok {
		return nil, &Error{Path: path, Line: line, Column: col, Err: ErrUnknownType, Msg: "unknown tag " + quoteTag(tag)}
	}
	v, err := fn(path, content)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			e = &Error{Path: path, Msg: tag + ": " + err.Error(), Err: err}
			err = e
		}
		if e.Line == 0 {
			e.Line, e.Column = line, col
		}
		return nil, err
	}
	if v == nil {
		return nil, &Error{Path: path, Line: line, Column: col, Err: ErrKind, Msg: tag + ": decoded to nothing"}
	}
	return v, nil
}

// quoteTag returns tag as error messages show it: quoted when it is empty
// or holds spaces or unprintable characters (YAML %-escapes can put any
// character in a tag).
func quoteTag(tag string) string {
	if tag == "" {
		return `""`
	}
	for _, r := range tag {
		if r == ' ' || !unicode.IsPrint(r) {
			return strconv.Quote(tag)
		}
	}
	return tag
}

// knownTypes lists up to 8 registered type names for the error about
// the unknown name: those of name's namespace (the text before its last
// dot, "trainer" of "trainer.Adam") first, each group nearest to name by
// edit distance first, so that the type meant is likely among them.
func (r *Registry) knownTypes(name string) string {
	types := r.Types()
	if len(types) == 0 {
		return " (no types are registered)"
	}
	ns := func(s string) string {
		if i := strings.LastIndexByte(s, '.'); i >= 0 {
			return s[:i]
		}
		return ""
	}
	type ranked struct {
		name     string
		other    bool // in another namespace than name's
		distance int
	}
	rs := make([]ranked, len(types))
	for i, t := range types {
		rs[i] = ranked{t.name, ns(t.name) != ns(name), editDistance(t.name, name)}
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].other != rs[j].other {
			return !rs[i].other
		}
		if rs[i].distance != rs[j].distance {
			return rs[i].distance < rs[j].distance
		}
		return rs[i].name < rs[j].name
	})
	var b strings.Builder
	b.WriteString(" (registered: ")
	for i, t := range rs {
		if i == 8 {
			b.WriteString(", …")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(t.name)
	}
	b.WriteByte(')')
	return b.String()
}

// editDistance returns the Levenshtein distance between a and b, in
// bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
