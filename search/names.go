package search

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxStudyNameBytes bounds the length of a study's name in bytes. Nested
// studies ("outer/trial-3/inner") count the whole name.
const MaxStudyNameBytes = 512

// MaxMetricNameBytes bounds the length of a metric's name in bytes.
const MaxMetricNameBytes = 256

// CheckStudyName reports whether name can name a study in every store: a
// non-empty string of printable UTF-8 (letters, marks, numbers,
// punctuation, symbols and the ASCII space), of at most MaxStudyNameBytes
// bytes, not starting or ending with a space. The error wraps
// ErrInvalidName. Every store's CreateStudy calls it, and so do config
// loading and the command line, so that a name no store could keep (a
// NUL byte, which PostgreSQL refuses) is refused in one place.
func CheckStudyName(name string) error {
	if err := checkName(name, MaxStudyNameBytes, unicode.IsPrint); err != nil {
		return fmt.Errorf("%w: study name %s: %s; a study name is printable UTF-8 of at most %d bytes",
			ErrInvalidName, quoteName(name), err.Error(), MaxStudyNameBytes)
	}
	return nil
}

// CheckMetricName reports whether name can name a metric: a non-empty
// string of valid UTF-8 without control characters, of at most
// MaxMetricNameBytes bytes. The error wraps ErrBadMetrics.
func CheckMetricName(name string) error {
	if err := checkName(name, MaxMetricNameBytes, func(r rune) bool { return !unicode.IsControl(r) }); err != nil {
		return fmt.Errorf("%w: metric name %s: %s", ErrBadMetrics, quoteName(name), err.Error())
	}
	return nil
}

// nameError says what is wrong with a name.
type nameError string

func (e nameError) Error() string { return string(e) }

func checkName(name string, maxBytes int, ok func(rune) bool) error {
	switch {
	case name == "":
		return nameError("it is empty")
	case len(name) > maxBytes:
		return nameError(fmt.Sprintf("it is %d bytes long", len(name)))
	case !utf8.ValidString(name):
		return nameError("it is not valid UTF-8")
	case strings.TrimSpace(name) != name:
		return nameError("it starts or ends with white space")
	}
	for _, r := range name {
		if !ok(r) {
			return nameError(fmt.Sprintf("it holds the character %U", r))
		}
	}
	return nil
}

// quoteName quotes a name for an error message, escaping what is not
// printable and cutting it short if it is long.
func quoteName(name string) string {
	const show = 64
	if len(name) > show {
		cut := show
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		return fmt.Sprintf("%q…", name[:cut])
	}
	return fmt.Sprintf("%q", name)
}

// storableText returns s as every store can keep it: invalid UTF-8
// replaced by U+FFFD and NUL bytes (which PostgreSQL refuses in text)
// removed. Failure reasons and worker names go through it, since they
// come from programs' output and flags.
func storableText(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}
