package data

import (
	"errors"
	"fmt"
)

// ErrNotFound is wrapped by the errors of FashionMNIST when the dataset's
// files are not in the directory; the message says how to install them.
var ErrNotFound = errors.New("data: dataset files not found")

// ErrFormat is wrapped by the errors about a file that is not a valid IDX
// file of the expected shape; the message names the file.
var ErrFormat = errors.New("data: bad dataset file")

// ErrOptions is wrapped by the errors about invalid arguments or options
// (a negative size, a validation split larger than the training set).
var ErrOptions = errors.New("data: invalid options")

// optionsErrorf returns an error wrapping ErrOptions: "data: MESSAGE".
func optionsErrorf(format string, args ...any) error {
	return &wrapped{msg: "data: " + fmt.Sprintf(format, args...), err: ErrOptions}
}
