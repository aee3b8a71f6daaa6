package lap

import "errors"

// ErrShape is wrapped by the errors for a negative n, a matrix whose
// length is not n*n or a perm whose length is not n.
var ErrShape = errors.New("lap: bad shape")

// ErrValue is wrapped by the errors for a NaN, an infinite cost or one of
// magnitude above MaxMagnitude.
var ErrValue = errors.New("lap: bad cost")
