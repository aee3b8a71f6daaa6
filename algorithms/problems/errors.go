package problems

import "errors"

// Sentinel errors; every error this package returns wraps one of them.
var (
	// ErrUnknown: no problem has the given name.
	ErrUnknown = errors.New("unknown problem")
	// ErrNotAPoint: a program is not a point of the problem's space.
	ErrNotAPoint = errors.New("not a point of the problem")
)
