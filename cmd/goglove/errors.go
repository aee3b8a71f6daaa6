package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// Exit codes, documented in doc.go.
const (
	exitOK       = 0 // success
	exitFailure  = 1 // I/O error, interrupt, internal error
	exitBadInput = 2 // usage error, missing file, file that does not decode, bad space, DNA or program
)

// errorPrefix starts every line the CLI prints on stderr, except the errors
// of goglove packages (see packagePrefixes).
const errorPrefix = "goglove: "

// usageError marks an error as bad input from the user: a wrong flag or
// argument, a missing file, or a file that cannot be used. It makes the
// command exit with code 2; every other error exits with code 1.
type usageError struct {
	err error
}

// Error returns the wrapped error's message.
func (e *usageError) Error() string { return e.err.Error() }

// Unwrap returns the wrapped error.
func (e *usageError) Unwrap() error { return e.err }

// usageErrorf formats a usage error; %w wraps as in fmt.Errorf.
func usageErrorf(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// badInput marks err as bad input. It returns nil for nil.
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return &usageError{err: err}
}

// isBadInput reports whether err, or any error it wraps or joins, is bad
// input: a usageError, a *symbolic.Error (which package symbolic returns
// only for bad input), or a *space.Error or an error wrapping one of the
// sentinels of package space for bad spaces, DNA and programs (which
// package space returns only for bad input).
func isBadInput(err error) bool {
	var u *usageError
	var s *symbolic.Error
	var sp *space.Error
	return errors.As(err, &u) || errors.As(err, &s) || errors.As(err, &sp) ||
		errors.Is(err, space.ErrInvalidSpace) || errors.Is(err, space.ErrInvalidDNA) ||
		errors.Is(err, space.ErrNotInSpace) || errors.Is(err, space.ErrNotFinite)
}

// exitCode maps the error a verb returned to the process exit code: 0 for
// nil, 2 when any of the errors is bad input, 1 otherwise.
func exitCode(err error) int {
	switch {
	case err == nil:
		return exitOK
	case isBadInput(err):
		return exitBadInput
	case errors.As(err, new(*errNoTrial)):
		return exitNoTrial
	default:
		return exitFailure
	}
}

// packagePrefixes are the goglove packages whose errors start with their
// name ("symbolic: conf.yaml:3:5: …"), by the convention of their errors.go.
// Such messages are printed as they are; any other message gets the
// "goglove: " prefix. Add a package here when its errors reach the CLI.
var packagePrefixes = []string{"goglove", "symbolic", "space", "algorithms", "search", "trainer", "plots", "dashboard"}

// errorLine formats err as the one line the CLI prints for it, without the
// final newline.
func errorLine(err error) string {
	msg := oneLine(err.Error())
	if errors.Is(err, context.Canceled) && msg == context.Canceled.Error() {
		msg = "interrupted"
	}
	for _, p := range packagePrefixes {
		if strings.HasPrefix(msg, p+": ") {
			return msg
		}
	}
	return errorPrefix + msg
}

// printError writes err to w, one line per error: the errors joined by
// errors.Join (fmt reports one per bad file) are printed on lines of their
// own. It prints nothing for nil.
func printError(w io.Writer, err error) {
	for _, e := range leafErrors(err) {
		fmt.Fprintln(w, errorLine(e))
	}
}

// leafErrors flattens the joins at the top of err.
func leafErrors(err error) []error {
	if err == nil {
		return nil
	}
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range j.Unwrap() {
		out = append(out, leafErrors(e)...)
	}
	return out
}

// warn prints a one-line warning on w.
func warn(w io.Writer, format string, args ...any) {
	fmt.Fprintln(w, errorPrefix+"warning: "+oneLine(fmt.Sprintf(format, args...)))
}

// note prints a one-line note on w: information about the output that is
// neither an error nor a warning.
func note(w io.Writer, format string, args ...any) {
	fmt.Fprintln(w, errorPrefix+"note: "+oneLine(fmt.Sprintf(format, args...)))
}

// oneLine joins the non-blank lines of msg with "; ", so that a message
// from a dependency never spans several lines, and escapes the control
// characters left (see terminalText), so that stored text an error
// carries cannot send escape sequences to the terminal.
func oneLine(msg string) string {
	if !strings.ContainsAny(msg, "\r\n") {
		return terminalText(msg)
	}
	var parts []string
	for line := range strings.Lines(strings.ReplaceAll(msg, "\r", "\n")) {
		if line = strings.TrimSpace(line); line != "" {
			parts = append(parts, line)
		}
	}
	return terminalText(strings.Join(parts, "; "))
}
