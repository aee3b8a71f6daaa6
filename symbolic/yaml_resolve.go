package symbolic

import (
	"strconv"

	yaml "go.yaml.in/yaml/v3"
)

// plainTag returns the tag the yaml package resolves a plain scalar to,
// without its cost for the common forms: identifiers, decimal integers
// and plain decimal floats are recognised here (no allocation); anything
// else (timestamps, hex, underscores, …) goes to the yaml package. The
// fast path's differential fuzz test checks it against the yaml package.
func plainTag(s string) string {
	if s == "" {
		return "!!null"
	}
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return "!!bool"
	case "~", "null", "Null", "NULL":
		return "!!null"
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return "!!float"
	case "<<":
		return "!!merge"
	}
	c := s[0]
	if !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
		return "!!str" // the yaml package tries numbers only after these
	}
	if isDecimalInt(s) {
		return "!!int"
	}
	if isPlainFloat(s) {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return "!!float"
		}
		return "!!str" // out of range: the yaml package leaves it a string
	}
	n := yaml.Node{Kind: yaml.ScalarNode, Value: s}
	return n.ShortTag()
}

// isDecimalInt reports [-+]?[0-9]{1,18}: an int64 the yaml package reads
// as an int (it reads leading zeros as octal, so those are left to it).
func isDecimalInt(s string) bool {
	i := 0
	if s[0] == '+' || s[0] == '-' {
		i = 1
	}
	n := len(s) - i
	if n < 1 || n > 18 || n > 1 && s[i] == '0' {
		return false
	}
	for ; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isPlainFloat reports [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
// that is not an integer (those are handled by isDecimalInt or the yaml
// package): a float as the yaml package resolves it.
func isPlainFloat(s string) bool {
	i := 0
	if s[i] == '+' || s[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	intDigits := digits()
	point := false
	if i < len(s) && s[i] == '.' {
		point = true
		i++
		if frac := digits(); intDigits == 0 && frac == 0 {
			return false
		}
	} else if intDigits == 0 {
		return false
	}
	exp := false
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		exp = true
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s) && (point || exp)
}
