package symbolic

import (
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// Paths: the fast path reports no errors (it gives up and the full parser
// reports them), so it passes the root path everywhere rather than
// building paths it would never show.
//
// The fast YAML path parses the block-style subset of YAML that EncodeYAML
// writes, which is also how most hand-written configs look: block mappings
// and sequences indented with spaces, plain scalars made of letters,
// digits, spaces and _ . - + /, double-quoted strings on one line, and flow
// lists of such scalars. Scalars are resolved by the yaml package's own
// resolver, so they decode exactly as in the full parser.
//
// Anything outside the subset (comments, anchors, tags, block scalars,
// single quotes, flow mappings, tabs, several documents, …) and any error
// makes it give up; the caller then runs the full parser, which also
// produces the error messages. The result, when there is one, is the same
// value the full parser gives; a differential fuzz test checks this. It
// exists because yaml.v3 spends ~20 µs on a 10-field document, and the
// subset parser ~2 µs.

type fastLine struct {
	indent int
	text   string // without indentation and trailing spaces
	num    int    // 1-based line number
}

type fastYAML struct {
	*decoder
	y     yamlDecoder
	lines []fastLine
	i     int
}

// decodeYAMLFast returns the decoded value and true, or false when the
// input is outside the subset or has any problem.
func (d *decoder) decodeYAMLFast(data []byte) (Value, bool) {
	lines, ok := splitFastLines(data)
	if !ok || len(lines) == 0 {
		return nil, false
	}
	f := fastYAML{decoder: d, y: yamlDecoder{decoder: d}, lines: lines}
	var v Value
	if len(lines) == 1 && !isEntryStart(lines[0].text) {
		v, ok = f.inline(KeyPath{}, lines[0].text, lines[0].num, 0)
		f.i = 1
	} else {
		v, ok = f.block(KeyPath{}, lines[0].indent, 0)
	}
	if !ok || f.i != len(f.lines) {
		return nil, false
	}
	return v, true
}

// splitFastLines splits data into non-blank lines, refusing any byte that
// the subset does not handle outside double-quoted strings.
func splitFastLines(data []byte) ([]fastLine, bool) {
	src := string(data) // one copy; lines and scalars are substrings of it
	lines := make([]fastLine, 0, 16)
	num := 0
	for len(src) > 0 {
		num++
		end := 0
		inQuote := false
		for end < len(src) && src[end] != '\n' {
			c := src[end]
			if c >= 0x7f {
				// Only YAML's printable characters; others go to the full
				// parser, which refuses them.
				r, n := utf8.DecodeRuneInString(src[end:])
				if !(r == 0x85 || r >= 0xa0 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd && r != 0xfeff || r >= 0x10000 && r <= 0x10ffff) {
					return nil, false
				}
				end += n
				continue
			}
			switch {
			case c < 0x20:
				return nil, false
			case inQuote:
				if c == '\\' {
					end++
				} else if c == '"' {
					inQuote = false
				}
			case c == '"':
				inQuote = true
			case fastRefused[c]:
				return nil, false
			}
			end++
		}
		if inQuote || end > len(src) {
			return nil, false
		}
		line := src[:end]
		if end < len(src) {
			src = src[end+1:]
		} else {
			src = ""
		}
		text := strings.TrimRight(line, " ")
		if text == "" {
			continue
		}
		indent := len(text) - len(strings.TrimLeft(text, " "))
		text = text[indent:]
		if strings.HasPrefix(text, "---") || strings.HasPrefix(text, "...") {
			return nil, false
		}
		lines = append(lines, fastLine{indent: indent, text: text, num: num})
	}
	return lines, true
}

// fastRefused marks the characters outside quotes that the subset leaves
// to the full parser: comments, anchors, aliases, tags, block scalars,
// single quotes, directives and the like.
var fastRefused = func() (t [128]bool) {
	for _, c := range "\t\r#&*!|>'%@`?" {
		t[c] = true
	}
	return t
}()

// isEntryStart reports whether text starts a sequence item or a mapping
// entry.
func isEntryStart(text string) bool {
	if text == "-" || strings.HasPrefix(text, "- ") {
		return true
	}
	_, _, ok := splitKey(text)
	return ok
}

// block parses the mapping or sequence whose first line is the current one.
func (f *fastYAML) block(path KeyPath, indent, depth int) (Value, bool) {
	if f.i >= len(f.lines) || f.lines[f.i].indent != indent {
		return nil, false
	}
	t := f.lines[f.i].text
	if t == "-" || strings.HasPrefix(t, "- ") {
		return f.sequence(path, indent, depth)
	}
	return f.mapping(path, indent, depth)
}

// splitKey splits "key: rest" or "key:" into the key and rest.
func splitKey(text string) (key, rest string, ok bool) {
	var n int
	if strings.HasPrefix(text, `"`) {
		end := closingQuote(text)
		if end < 0 {
			return "", "", false
		}
		k, ok := unquoteFast(text[:end+1])
		if !ok {
			return "", "", false
		}
		key, n = k, end+1
	} else {
		for n < len(text) && (isFastKeyByte(text[n]) || text[n] == ' ' && n > 0) {
			n++
		}
		if n == 0 || text[n-1] == ' ' {
			return "", "", false
		}
		key = text[:n]
	}
	if n >= len(text) || text[n] != ':' {
		return "", "", false
	}
	rest = text[n+1:]
	if rest != "" && rest[0] != ' ' {
		return "", "", false
	}
	return key, strings.TrimLeft(rest, " "), true
}

func isFastKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-' || c == '/'
}

func isFastPlainByte(c byte) bool {
	return isFastKeyByte(c) || c == ' ' || c == '+'
}

func (f *fastYAML) mapping(path KeyPath, indent, depth int) (Value, bool) {
	m := NewDict(8)
	type keyPos struct{ line, col int }
	var posBuf [16]struct {
		key string
		keyPos
	}
	pos := posBuf[:0]
	for f.i < len(f.lines) && f.lines[f.i].indent == indent {
		ln := f.lines[f.i]
		key, rest, ok := splitKey(ln.text)
		if !ok || m.Has(key) {
			return nil, false
		}
		if !strings.HasPrefix(ln.text, `"`) && plainTag(key) == "!!null" {
			return nil, false
		}
		f.i++
		kp := path
		var v Value
		if rest != "" {
			if v, ok = f.inline(kp, rest, ln.num, depth+1); !ok {
				return nil, false
			}
		} else if v, ok = f.nested(kp, indent, depth+1, true); !ok {
			return nil, false
		}
		m.Set(key, v)
		pos = append(pos, struct {
			key string
			keyPos
		}{key, keyPos{ln.num, indent + 1}})
	}
	if f.i < len(f.lines) && f.lines[f.i].indent > indent {
		return nil, false
	}
	lookup := func(key string) (int, int) {
		for _, p := range pos {
			if p.key == key {
				return p.line, p.col
			}
		}
		return pos[0].line, pos[0].col
	}
	v, err := f.decoder.mapping(path, m, lookup)
	if err != nil {
		return nil, false
	}
	return v, true
}

// nested parses the value of a key or item whose line ends after ':' or
// '-': a block on the following, more indented lines, a sequence at the
// same indentation (for a mapping key), or null.
func (f *fastYAML) nested(path KeyPath, indent, depth int, afterKey bool) (Value, bool) {
	if err := f.count(path, depth); err != nil {
		return nil, false
	}
	if f.i < len(f.lines) {
		next := f.lines[f.i]
		if next.indent > indent {
			return f.block(path, next.indent, depth)
		}
		if afterKey && next.indent == indent && (next.text == "-" || strings.HasPrefix(next.text, "- ")) {
			return f.sequence(path, indent, depth)
		}
	}
	return Null{}, true
}

func (f *fastYAML) sequence(path KeyPath, indent, depth int) (Value, bool) {
	l := &List{}
	for f.i < len(f.lines) && f.lines[f.i].indent == indent {
		ln := f.lines[f.i]
		if ln.text != "-" && !strings.HasPrefix(ln.text, "- ") {
			break
		}
		ip := path
		var v Value
		var ok bool
		rest := strings.TrimLeft(strings.TrimPrefix(ln.text, "-"), " ")
		switch {
		case rest == "":
			f.i++
			v, ok = f.nested(ip, indent, depth+1, false)
		case rest == "-" || strings.HasPrefix(rest, "- "):
			return nil, false
		default:
			if _, _, isKey := splitKey(rest); isKey {
				// "- key: value": a mapping whose keys line up after "- ".
				inner := indent + (len(ln.text) - len(rest))
				f.lines[f.i] = fastLine{indent: inner, text: rest, num: ln.num}
				v, ok = f.mapping(ip, inner, depth+1)
			} else {
				f.i++
				v, ok = f.inline(ip, rest, ln.num, depth+1)
			}
		}
		if !ok {
			return nil, false
		}
		l.items = append(l.items, v)
	}
	if f.i < len(f.lines) && f.lines[f.i].indent > indent {
		return nil, false
	}
	if err := f.count(path, depth); err != nil {
		return nil, false
	}
	return l, true
}

// inline parses a value written on one line: a scalar, [], {} or a flow
// list of scalars. The value must not continue on the next lines.
func (f *fastYAML) inline(path KeyPath, s string, line, depth int) (Value, bool) {
	if f.i < len(f.lines) && f.lines[f.i].num > line && f.lines[f.i].indent > f.currentIndent(line) {
		return nil, false // a continuation line: plain multi-line scalars are not in the subset
	}
	if err := f.count(path, depth); err != nil {
		return nil, false
	}
	switch {
	case s == "[]":
		return &List{}, true
	case s == "{}":
		return &Dict{}, true
	case s[0] == '[':
		if s[len(s)-1] != ']' {
			return nil, false
		}
		body := strings.TrimSpace(s[1 : len(s)-1])
		l := &List{}
		for body != "" {
			var item string
			if body[0] == '"' {
				end := closingQuote(body)
				if end < 0 {
					return nil, false
				}
				item, body = body[:end+1], strings.TrimLeft(body[end+1:], " ")
			} else {
				end := strings.IndexByte(body, ',')
				if end < 0 {
					end = len(body)
				}
				item, body = strings.TrimRight(body[:end], " "), body[end:]
			}
			if body != "" {
				if body[0] != ',' {
					return nil, false
				}
				body = strings.TrimLeft(body[1:], " ")
				if body == "" {
					return nil, false
				}
			}
			ip := path
			if err := f.count(ip, depth+1); err != nil {
				return nil, false
			}
			v, ok := f.scalar(ip, item, depth+1)
			if !ok {
				return nil, false
			}
			l.items = append(l.items, v)
		}
		return l, true
	}
	return f.scalar(path, s, depth)
}

// currentIndent returns the indentation of the given line number.
func (f *fastYAML) currentIndent(line int) int {
	for j := f.i - 1; j >= 0; j-- {
		if f.lines[j].num == line {
			return f.lines[j].indent
		}
	}
	return 0
}

// scalar parses a double-quoted string or a plain scalar.
func (f *fastYAML) scalar(path KeyPath, s string, depth int) (Value, bool) {
	if s == "" {
		return nil, false
	}
	if s[0] == '"' {
		if closingQuote(s) != len(s)-1 {
			return nil, false
		}
		str, ok := unquoteFast(s)
		if !ok {
			return nil, false
		}
		return String(str), true
	}
	if s[0] == '-' && (len(s) == 1 || s[1] == ' ') || s[0] == ' ' {
		return nil, false
	}
	for i := 0; i < len(s); i++ {
		if !isFastPlainByte(s[i]) {
			return nil, false
		}
	}
	n := yaml.Node{Kind: yaml.ScalarNode, Value: s}
	v, err := f.y.scalar(path, &n, plainTag(s))
	if err != nil {
		return nil, false
	}
	return v, true
}

// closingQuote returns the index of the quote closing the double-quoted
// string at the start of s, or -1.
func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// unquoteFast unquotes a double-quoted YAML string whose escapes mean the
// same in Go and in YAML; it refuses the others.
func unquoteFast(q string) (string, bool) {
	if !strings.Contains(q, `\`) {
		return q[1 : len(q)-1], true
	}
	for i := 1; i < len(q)-1; i++ {
		if q[i] != '\\' {
			continue
		}
		i++
		switch q[i] {
		case '\\', '"', 'n', 't', 'r', 'b', 'f', 'a', 'v', 'U':
		case 'x':
			if i+2 >= len(q) || q[i+1] > '7' {
				return "", false // \x80-\xff: a code point in YAML, a byte in Go
			}
		case 'u':
			if i+4 >= len(q) || (q[i+1] == 'd' || q[i+1] == 'D') && q[i+2] >= '8' {
				return "", false // surrogates
			}
		default:
			return "", false
		}
	}
	s, err := strconv.Unquote(q)
	if err != nil {
		return "", false
	}
	return s, true
}
