package pgstore

import (
	"errors"
	"regexp"
	"strings"

	"github.com/c2602f9e/goglove/search"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrSchemaTooNew: the database was written by a newer goglove whose
// schema this package does not know.
var ErrSchemaTooNew = errors.New("pgstore: database schema is newer than this binary knows")

// ErrSchemaTooOld: a database opened read-only (Options.ReadOnly) has an
// older schema than this package reads, or none, and a read-only open
// does not upgrade it.
var ErrSchemaTooOld = errors.New("pgstore: database schema is older than this binary reads")

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

// dataError is an error the database raised for the data it was given:
// it is search.ErrBadData, so that a worker does not retry it.
type dataError struct{ err error }

func (e *dataError) Error() string        { return e.err.Error() }
func (e *dataError) Unwrap() error        { return e.err }
func (e *dataError) Is(target error) bool { return target == search.ErrBadData }

// permanent marks err as search.ErrBadData when it holds a PostgreSQL
// error of class 22 (data exception: a NUL byte in text, a \u0000 in
// jsonb, a value out of range) or 23 (integrity constraint violation),
// which the same statement would raise again however often it is
// retried. Other errors (connections, serialization failures, a
// database shutting down) are left to be retried.
func permanent(err error) error {
	var pe *pgconn.PgError
	if err == nil || !errors.As(err, &pe) {
		return err
	}
	if class := pe.Code[:min(2, len(pe.Code))]; class == "22" || class == "23" {
		return &dataError{err: err}
	}
	return err
}
