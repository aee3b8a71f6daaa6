package trainer

import "errors"

// ErrProgram is wrapped by the errors of Train about a Classifier that
// cannot be trained as given (a missing part, a size out of range) — the
// checks the schema makes for decoded programs, repeated for programs
// built in Go.
var ErrProgram = errors.New("trainer: invalid program")
