// Package sqlitestore is a search.Store in one SQLite file, the embedded
// default (the URL sqlite://PATH). It uses modernc.org/sqlite, a pure Go
// driver, so it needs no cgo.
//
// The database runs in WAL mode with a busy timeout and foreign keys on.
// Its schema is versioned: Open applies the migrations the file lacks,
// in order, inside one transaction, and refuses a file whose schema is
// newer than this package knows (ErrSchemaTooNew). Several Store values,
// in one process or in several, may share one file: every write is an
// immediate transaction, so AddTrial hands out each number once.
//
// Options.ReadOnly opens an existing file for reading only (SQLite's
// mode=ro and query_only; immutable, a snapshot, when no -wal file shows
// a process having it open and this user may not write the file or its
// directory): nothing is written or migrated, no -shm or -wal file is
// left behind for a file the user may not write, and a file of an older
// schema is refused (ErrSchemaTooOld).
//
// Programs and study configs are kept as symbolic JSON and decoded with
// the registry of Options (by default one that knows the space tags).
package sqlitestore
