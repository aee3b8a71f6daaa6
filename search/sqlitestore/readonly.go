package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"modernc.org/sqlite"
)

// openReadOnly opens an existing database for reading only: SQLite's
// mode=ro, so no write reaches the file (a file the user may only read
// opens), and query_only, so a statement that would write fails. Nothing
// is migrated: a database of an older schema is refused with
// ErrSchemaTooOld, one of a newer with ErrSchemaTooNew.
func openReadOnly(ctx context.Context, path string, o Options) (*Store, error) {
	if path == ":memory:" {
		return nil, fmt.Errorf("sqlitestore: a read-only :memory: database would be empty; give a file")
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s read-only: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s read-only: %w", path, err)
	}
	// A database in WAL mode is read through its -shm file, which a
	// reader creates, with the database file's owner and permissions,
	// when the directory lets it. When no process has the database open
	// (no -wal file) and this user may not write the file, such files
	// would be left behind, unwritable, and would break the next writer:
	// the file is then read as SQLite's immutable, a snapshot, creating
	// nothing. So it is too when the directory cannot be written.
	_, statErr := os.Stat(path + "-wal")
	noWriter := errors.Is(statErr, fs.ErrNotExist)
	if noWriter && !writable(path) {
		return openURI(ctx, path, abs, o, "immutable", "1")
	}
	store, err := openURI(ctx, path, abs, o, "mode", "ro")
	if isReadOnly(err) && noWriter {
		store, err = openURI(ctx, path, abs, o, "immutable", "1")
	}
	return store, err
}

// writable reports whether this process may write the file at path. It
// opens the file for writing and closes it, which changes nothing.
func writable(path string) bool {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// openURI opens the database at abs through a SQLite URI with the
// parameter key=value (mode=ro or immutable=1) and query_only, and
// checks its schema. A URI names the file so that SQLite applies the
// parameter; % is the one character of a path (? and # are refused) a
// URI path must escape.
func openURI(ctx context.Context, path, abs string, o Options, key, value string) (*Store, error) {
	q := url.Values{}
	q.Set(key, value)
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", o.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "query_only(1)")
	dsn := "file:" + strings.ReplaceAll(filepath.ToSlash(abs), "%", "%25") + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s read-only: %w", path, err)
	}
	if err := checkSchema(ctx, db, path); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db, reg: o.Registry, path: path}, nil
}

// isReadOnly reports whether err is SQLite's SQLITE_READONLY or
// SQLITE_CANTOPEN (any extended code of them).
func isReadOnly(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	code := e.Code() & 0xff
	return code == 8 || code == 14
}

// checkSchema checks, without writing, that a database has the schema
// version this package reads.
func checkSchema(ctx context.Context, db *sql.DB, path string) error {
	var tables int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'`).Scan(&tables)
	if err != nil {
		return fmt.Errorf("sqlitestore: open %s read-only: %w", path, err)
	}
	if tables == 0 {
		return fmt.Errorf("%w: %s has no goglove schema (an empty file, or another program's database)", ErrSchemaTooOld, path)
	}
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&v); err != nil {
		return fmt.Errorf("sqlitestore: open %s read-only: %w", path, err)
	}
	switch have := int(v.Int64); {
	case have > schemaVersion:
		return fmt.Errorf("%w: the database has schema version %d, this binary knows versions up to %d; upgrade goglove (%s)",
			ErrSchemaTooNew, have, schemaVersion, path)
	case have < schemaVersion:
		return fmt.Errorf("%w: %s has schema version %d, this binary reads version %d; open it once read-write (goglove search, worker or ask upgrade it) and read it again",
			ErrSchemaTooOld, path, have, schemaVersion)
	}
	return nil
}
