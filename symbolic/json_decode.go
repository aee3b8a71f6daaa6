package symbolic

import (
	"errors"
	"strconv"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// DecodeJSON decodes one JSON value (RFC 8259) into a symbolic tree.
// Objects with a "_type" member become objects of registered types, and
// {"_tag": "!name", "_value": …} becomes a tagged value. Numbers without
// a fraction or exponent are ints (they must fit in 64 bits); others are
// floats. The whole input is validated before any OnBound hook runs; any
// problem is an *Error naming the file, line, column and key path.
// Duplicate keys, invalid UTF-8, trailing data and nesting deeper than
// opts.MaxDepth are errors.
func (r *Registry) DecodeJSON(data []byte, opts *DecodeOptions) (Value, error) {
	d := newDecoder(r, opts)
	v, err := d.decodeJSON(data)
	if err != nil {
		return nil, d.finish(err)
	}
	if err := runHooks(KeyPath{}, v); err != nil {
		return nil, d.finish(d.locate(v, err))
	}
	return v, nil
}

func (d *decoder) decodeJSON(data []byte) (Value, error) {
	if err := d.checkInput(data); err != nil {
		return nil, err
	}
	sc := jsonScratchPool.Get().(*jsonScratch)
	defer func() {
		clear(sc.vals[:cap(sc.vals)]) // drop references to the values
		jsonScratchPool.Put(sc)
	}()
	p := jsonParser{decoder: d, data: data, steps: sc.steps[:0], keys: sc.keys[:0], vals: sc.vals[:0], offs: sc.offs[:0]}
	defer func() { sc.steps, sc.keys, sc.vals, sc.offs = p.steps[:0], p.keys[:0], p.vals[:0], p.offs[:0] }()
	if d.reg != nil {
		p.names = d.reg.fieldNames()
	}
	p.skipSpace()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.data) {
		return nil, p.syntax("unexpected data after the JSON value")
	}
	return v, nil
}

// jsonScratch holds a parser's stacks between decodes, so that steady
// decoding does not grow them again each time.
type jsonScratch struct {
	steps []Step
	keys  []string
	vals  []Value
	offs  []int
}

var jsonScratchPool = sync.Pool{New: func() any {
	return &jsonScratch{steps: make([]Step, 0, 16), keys: make([]string, 0, 32), vals: make([]Value, 0, 32), offs: make([]int, 0, 32)}
}}

type jsonParser struct {
	*decoder
	data  []byte
	pos   int
	steps []Step // the path of the value being parsed

	// names interns the field names of registered types (and "_type"),
	// so that decoding them allocates nothing.
	names map[string]string

	// Scratch stacks of the members of the objects being parsed.
	keys []string
	vals []Value
	offs []int
}

func (p *jsonParser) syntaxAtKey(key, msg string) *Error {
	p.steps = append(p.steps, Key(key))
	defer func() { p.steps = p.steps[:len(p.steps)-1] }()
	return p.syntax(msg)
}

func (p *jsonParser) errAtKey(off int, sentinel error, key, msg string) *Error {
	p.steps = append(p.steps, Key(key))
	defer func() { p.steps = p.steps[:len(p.steps)-1] }()
	return p.errAtOff(off, sentinel, msg)
}

func (p *jsonParser) errAtOff(off int, sentinel error, msg string) *Error {
	line, col := lineCol(p.data, off)
	return &Error{Line: line, Column: col, Path: p.here(), Msg: msg, Err: sentinel}
}

// here returns the key path of the value being parsed.
func (p *jsonParser) here() KeyPath { return Path(p.steps...) }

func (p *jsonParser) syntax(msg string) *Error {
	if p.pos >= len(p.data) {
		msg = "unexpected end of JSON input; " + msg
	}
	return p.errAtOff(p.pos, ErrSyntax, msg)
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (Value, error) {
	if err := p.count(KeyPath{}, depth); err != nil { // the path is set below, only on error
		err.Line, err.Column = lineCol(p.data, p.pos)
		err.Path = p.here()
		return nil, err
	}
	if p.pos >= len(p.data) {
		return nil, p.syntax("want a value")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return String(s), nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case p.literal("true"):
		return Bool(true), nil
	case p.literal("false"):
		return Bool(false), nil
	case p.literal("null"):
		return Null{}, nil
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	return nil, p.syntax("want a value, got " + strconv.QuoteRune(r))
}

func (p *jsonParser) literal(word string) bool {
	if len(p.data)-p.pos >= len(word) && string(p.data[p.pos:p.pos+len(word)]) == word {
		p.pos += len(word)
		return true
	}
	return false
}

func (p *jsonParser) object(depth int) (Value, error) {
	start := p.pos
	p.pos++ // {
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return p.mapping(p.here(), &Dict{}, func(string) (int, int) { return lineCol(p.data, start) })
	}
	// Members collect on the parser's scratch stacks (shared by nested
	// objects), and the dict is made at the end with its exact size.
	base := len(p.keys)
	var seen map[string]int // for large objects: key -> offset
	defer func() { p.keys, p.vals, p.offs = p.keys[:base], p.vals[:base], p.offs[:base] }()
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.syntax("want a string key")
		}
		keyOff := p.pos
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		if first, dup := p.seenKey(base, &seen, key); dup {
			prev, _ := lineCol(p.data, first)
			return nil, p.errAtKey(keyOff, ErrDuplicateKey, key, "duplicate key (first at line "+strconv.Itoa(prev)+")")
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.syntaxAtKey(key, "want ':' after the key")
		}
		p.pos++
		p.skipSpace()
		p.steps = append(p.steps, Key(key))
		v, err := p.value(depth + 1)
		p.steps = p.steps[:len(p.steps)-1]
		if err != nil {
			return nil, err
		}
		p.keys, p.vals, p.offs = append(p.keys, key), append(p.vals, v), append(p.offs, keyOff)
		if seen != nil {
			seen[key] = keyOff
		}
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.syntax("want ',' or '}'")
		}
		if p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.data[p.pos] == '}' {
			p.pos++
			break
		}
		return nil, p.syntax("want ',' or '}'")
	}
	m := &Dict{keys: append([]string(nil), p.keys[base:]...), vals: append([]Value(nil), p.vals[base:]...)}
	if len(m.keys) > indexThreshold {
		m.reindex()
	}
	pos := func(key string) (int, int) {
		for i, k := range p.keys[base:] {
			if k == key {
				return lineCol(p.data, p.offs[base+i])
			}
		}
		return lineCol(p.data, start)
	}
	return p.mapping(p.here(), m, pos)
}

// seenKey reports whether key is already a member of the object whose
// members start at base, and where it was. Small objects are searched
// linearly; from 32 members on, a map (made here) keeps it linear time.
func (p *jsonParser) seenKey(base int, seen *map[string]int, key string) (int, bool) {
	if *seen == nil && len(p.keys)-base >= 32 {
		*seen = make(map[string]int, 64)
		for i, k := range p.keys[base:] {
			(*seen)[k] = p.offs[base+i]
		}
	}
	if *seen != nil {
		off, ok := (*seen)[key]
		return off, ok
	}
	for i, k := range p.keys[base:] {
		if k == key {
			return p.offs[base+i], true
		}
	}
	return 0, false
}

func (p *jsonParser) array(depth int) (Value, error) {
	p.pos++ // [
	l := &List{}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return l, nil
	}
	for {
		p.skipSpace()
		p.steps = append(p.steps, Index(len(l.items)))
		v, err := p.value(depth + 1)
		p.steps = p.steps[:len(p.steps)-1]
		if err != nil {
			return nil, err
		}
		l.items = append(l.items, v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.syntax("want ',' or ']'")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return l, nil
		default:
			return nil, p.syntax("want ',' or ']'")
		}
	}
}

func (p *jsonParser) number() (Value, error) {
	start := p.pos
	isFloat := false
	if p.data[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	intStart := p.pos
	if n := digits(); n == 0 {
		return nil, p.syntax("want digits in number")
	} else if n > 1 && p.data[intStart] == '0' {
		return nil, p.errAtOff(intStart, ErrSyntax, "number with a leading zero")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		isFloat = true
		p.pos++
		if digits() == 0 {
			return nil, p.syntax("want digits after the decimal point")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		isFloat = true
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.syntax("want digits in the exponent")
		}
	}
	text := string(p.data[start:p.pos])
	if !isFloat {
		i, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, p.errAtOff(start, ErrRange, "integer "+clip(text)+" does not fit in 64 bits")
		}
		return Int(i), nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return nil, p.errAtOff(start, ErrRange, "float "+clip(text)+" is out of range")
		}
		return nil, p.errAtOff(start, ErrSyntax, "invalid number "+clip(text))
	}
	return Float(f), nil
}

// str parses a JSON string starting at the opening quote.
func (p *jsonParser) str() (string, error) {
	p.pos++ // "
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			b := p.data[start:p.pos]
			p.pos++
			if p.names != nil {
				if s, ok := p.names[string(b)]; ok { // no allocation: a field name
					return s, nil
				}
			}
			return string(b), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	buf := append([]byte(nil), p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf), nil
		case c < 0x20:
			return "", p.syntax("control character in string")
		case c == '\\':
			if p.pos+1 >= len(p.data) {
				return "", p.syntax("unterminated escape")
			}
			e := p.data[p.pos+1]
			p.pos += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.syntax("invalid \\u escape")
				}
				if utf16.IsSurrogate(r) {
					if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
						p.pos += 2
						r2, ok := p.hex4()
						if !ok {
							return "", p.syntax("invalid \\u escape")
						}
						r = utf16.DecodeRune(r, r2)
					} else {
						r = utf8.RuneError
					}
					if r == utf8.RuneError {
						return "", p.syntax("unpaired UTF-16 surrogate in \\u escape")
					}
				}
				buf = utf8.AppendRune(buf, r)
			default:
				r, _ := utf8.DecodeRune(p.data[p.pos-1:])
				if r == ' ' || !unicode.IsPrint(r) {
					return "", p.errAtOff(p.pos-2, ErrSyntax, "invalid escape: \\ followed by "+strconv.QuoteRune(r))
				}
				return "", p.errAtOff(p.pos-2, ErrSyntax, "invalid escape \\"+string(r))
			}
		default:
			buf = append(buf, c)
			p.pos++
		}
	}
	return "", p.syntax("unterminated string")
}

func (p *jsonParser) hex4() (rune, bool) {
	if len(p.data)-p.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}
