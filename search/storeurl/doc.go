// Package storeurl opens the store a URL names, so that the command line,
// a dashboard and a report open stores the same way:
//
//	mem://            the in-memory store (search.NewMemStore): nothing is kept
//	sqlite://PATH     a SQLite file (search/sqlitestore), created if missing
//	postgres://…      a PostgreSQL database (search/pgstore), shared by many
//	postgresql://…    machines
//
//	st, err := storeurl.Open(ctx, "sqlite://goglove.db", &storeurl.Options{Registry: reg})
//
// Options.ReadOnly opens a SQLite file or a PostgreSQL database for
// reading only (nothing written or migrated); Options.MustExist refuses a
// SQLite file that does not exist rather than creating it.
//
// A URL that names no store Open knows is a *URLError, whose fields let a
// caller put the message in its own words (the command line prefixes its
// verb and the flag the URL came from). No error repeats the URL, which
// may hold a password: errors name its scheme and, for SQLite, the path;
// the stores' own errors hide PostgreSQL passwords. Describe names a
// store for messages the same way, and Redact returns a URL to show a user
// with its password replaced.
//
// Package storeurl imports the store drivers; package search does not, so
// that a program using only the in-memory store links no database driver.
package storeurl
