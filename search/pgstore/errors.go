package pgstore

import (
	"errors"
	"regexp"
	"strings"
)

// ErrSchemaTooNew: the database was written by a newer goglove whose
// schema this package does not know.
var ErrSchemaTooNew = errors.New("pgstore: database schema is newer than this binary knows")

// redactedError is an error whose message had secrets removed. It
// unwraps to the original error so that errors.Is still finds
// sentinels and context errors; only its own message is safe to print.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// passwordParam matches a password in a keyword/value connection string
// or a URL query: password=secret, password='sec ret'.
var passwordParam = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)`)

// redact returns err with every occurrence of the non-empty secrets, and
// any password=… parameter, replaced by "xxxxx" in its message.
func redact(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := passwordParam.ReplaceAllString(msg, "${1}xxxxx")
	for _, s := range secrets {
		if s != "" {
			clean = strings.ReplaceAll(clean, s, "xxxxx")
		}
	}
	if clean == msg {
		return err
	}
	return &redactedError{msg: clean, err: err}
}
