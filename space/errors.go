package space

import (
	"errors"
	"strconv"

	"github.com/c2602f9e/goglove/symbolic"
)

// Sentinel errors; every error this package returns for bad input wraps
// one of them, so callers can test with errors.Is. Errors are *Error
// values naming a key path where there is one, or, for problems found
// while decoding a file or checking a value against a schema,
// *symbolic.Error values (which name the file and line too).
var (
	// ErrInvalidSpace: a hyper-value or a space is malformed (no
	// candidates, min > max, k > n with distinct, …).
	ErrInvalidSpace = errors.New("invalid space")
	// ErrInvalidDNA: a DNA does not fit the space (wrong length, index
	// out of range, float out of bounds, …).
	ErrInvalidDNA = errors.New("invalid DNA")
	// ErrNotInSpace: a program cannot be encoded: some value is not one
	// the space can produce.
	ErrNotInSpace = errors.New("not in space")
	// ErrNotFinite: the space is continuous, so it cannot be enumerated.
	ErrNotFinite = errors.New("space is not finite")
	// ErrTrace: a define-by-run function behaved in a way that cannot be
	// traced (a name reused for another decision, decisions that change
	// without a choice explaining it, …).
	ErrTrace = errors.New("cannot trace")
)

// spaceError returns an error at path wrapping sentinel, formatted like
// symbolic's errors but with the prefix "space: ".
func spaceError(sentinel error, path symbolic.KeyPath, msg string) error {
	return &Error{Path: path, Msg: msg, Err: sentinel}
}

// Error is the error type of this package: a key path (possibly empty),
// a message, and the sentinel it wraps.
type Error struct {
	Path symbolic.KeyPath
	Msg  string
	Err  error

	literal bool // Encode: a literal differs (rather than a decision)
}

// Error formats the error on one line: "space: PATH: MSG".
func (e *Error) Error() string {
	if e.Path.IsRoot() {
		return "space: " + e.Msg
	}
	return "space: " + e.Path.String() + ": " + e.Msg
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func itoa(i int) string { return strconv.Itoa(i) }
