// Package pgstore is a search.Store in a PostgreSQL database (the URL
// postgres://…), the store for studies shared by workers on many
// machines. It uses github.com/jackc/pgx/v5 through a connection pool.
//
// Its schema is versioned: Open applies the migrations the database
// lacks, in order, inside one transaction that holds a transaction-level
// advisory lock, so processes opening one database at the same time do
// not race; a database whose schema is newer than this package knows is
// refused (ErrSchemaTooNew). The tables live in the first schema of the
// connection's search_path; to keep several stores in one database, give
// each its own schema with the search_path parameter of the URL, e.g.
// postgres://host/db?search_path=team_a (the schema must exist).
//
// Options.ReadOnly runs every transaction read-only and skips the
// migrations, so a role that may only SELECT, or a standby server, can
// read the studies; a database of an older schema, or without one, is
// refused (ErrSchemaTooOld).
//
// AddTrial numbers trials in a transaction that locks the study's row
// (SELECT … FOR UPDATE), so any number of Stores, in one process or in
// many, hand out each number once, consecutively from 0. All SQL is
// parametrized.
//
// Programs and study configs are kept as symbolic JSON (in json columns,
// which keep the key order of ordered dicts) and decoded with the
// registry of Options (by default one that knows the space tags); DNA,
// metrics, steps and objectives are jsonb; times are timestamptz, to the
// microsecond, with NULL for the zero time.
//
// Errors never hold the password of the URL: Open and every method
// replace it with "xxxxx" in their messages.
package pgstore
