package sqlitestore

import "errors"

// ErrSchemaTooNew: the database was written by a newer goglove whose
// schema this package does not know.
var ErrSchemaTooNew = errors.New("sqlitestore: database schema is newer than this binary knows")
