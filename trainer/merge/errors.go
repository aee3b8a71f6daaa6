package merge

import "errors"

// ErrUnsupported is wrapped by the errors for a network with a layer that
// has no permutation rule (a quantized dense layer, a layer type merge
// does not know), naming the layer's key path.
var ErrUnsupported = errors.New("merge: unsupported layer")

// ErrMismatch is wrapped by the errors for networks that cannot be merged
// with each other: different layers, parameters of different shapes, a
// permutation that does not fit the spec. The message names the parameter
// or group at fault.
var ErrMismatch = errors.New("merge: networks do not match")

// ErrOptions is wrapped by the errors for options out of range (a
// negative number of steps, weights that sum to zero), naming the field.
var ErrOptions = errors.New("merge: bad options")
