package main

import (
	"encoding/json"
	"io"
)

// writeJSON writes v as indented JSON and a newline: the form of every
// verb's --json output that is one object.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
