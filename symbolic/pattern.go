package symbolic

import (
	"strconv"
	"strings"
)

// patternStep is a step of a Pattern: a literal step or a wildcard.
type patternStep struct {
	step     Step
	anyKey   bool // *
	anyIndex bool // [*]
	anyDepth bool // **
}

// Pattern matches key paths; see Query for the syntax. Patterns are
// immutable and safe for concurrent use.
type Pattern struct {
	steps []patternStep
	text  string
}

// ParsePattern parses a key-path pattern.
func ParsePattern(s string) (Pattern, error) {
	// Replace wildcards by placeholder keys that ParsePath accepts, then
	// map them back.
	const (
		anyDepthKey = "\x00**"
		anyKeyKey   = "\x00*"
		anyIndexKey = "\x00[*]"
	)
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "[*]"):
			b.WriteString(`["\x00[*]"]`)
			i += 3
		case strings.HasPrefix(s[i:], "**"):
			b.WriteString(`["\x00**"]`)
			i += 2
		case s[i] == '*':
			b.WriteString(`["\x00*"]`)
			i++
		case s[i] == '.' && i+1 < len(s) && s[i+1] == '*':
			i++ // the dot before a wildcard
		case s[i] == '"':
			// Copy a quoted key verbatim.
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				j = len(s) - 1
			}
			b.WriteString(s[i : j+1])
			i = j + 1
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	p, err := ParsePath(b.String())
	if err != nil {
		return Pattern{}, &Error{Msg: "invalid pattern " + strconv.Quote(s), Err: ErrSyntax}
	}
	out := Pattern{text: s, steps: make([]patternStep, len(p.steps))}
	for i, st := range p.steps {
		switch {
		case !st.isIndex && st.key == anyDepthKey:
			out.steps[i].anyDepth = true
		case !st.isIndex && st.key == anyKeyKey:
			out.steps[i].anyKey = true
		case !st.isIndex && st.key == anyIndexKey:
			out.steps[i].anyIndex = true
		default:
			out.steps[i].step = st
		}
	}
	return out, nil
}

// String returns the pattern's text.
func (p Pattern) String() string { return p.text }

// Match reports whether path matches the pattern.
func (p Pattern) Match(path KeyPath) bool { return matchSteps(p.steps, path.steps) }

func matchSteps(pat []patternStep, steps []Step) bool {
	for len(pat) > 0 {
		ps := pat[0]
		if ps.anyDepth {
			for k := 0; k <= len(steps); k++ {
				if matchSteps(pat[1:], steps[k:]) {
					return true
				}
			}
			return false
		}
		if len(steps) == 0 {
			return false
		}
		s := steps[0]
		switch {
		case ps.anyKey:
			if s.isIndex {
				return false
			}
		case ps.anyIndex:
			if !s.isIndex {
				return false
			}
		default:
			if ps.step != s {
				return false
			}
		}
		pat, steps = pat[1:], steps[1:]
	}
	return len(steps) == 0
}
