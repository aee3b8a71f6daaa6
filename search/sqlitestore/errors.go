package sqlitestore

import "errors"

// ErrSchemaTooNew: the database was written by a newer goglove whose
// schema this package does not know.
var ErrSchemaTooNew = errors.New("sqlitestore: database schema is newer than this binary knows")

// ErrSchemaTooOld: a database opened read-only (Options.ReadOnly) has an
// older schema than this package reads, or none, and a read-only open
// does not upgrade it.
var ErrSchemaTooOld = errors.New("sqlitestore: database schema is older than this binary reads")
