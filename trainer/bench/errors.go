package bench

import "errors"

// ErrOptions is wrapped by the errors about invalid arguments (a model
// without layers, a non-positive batch or GEMM size).
var ErrOptions = errors.New("bench: invalid options")
