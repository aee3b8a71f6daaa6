package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations turn a schema of version i into one of version i+1; the
// schema version of a database is the number of migrations applied.
// Append new migrations; never change one that has shipped.
var migrations = [][]string{
	// 1: studies and trials.
	{
		`CREATE TABLE studies (
			name       text PRIMARY KEY,
			objectives jsonb NOT NULL,
			config     json,
			created    timestamptz
		)`,
		`CREATE TABLE trials (
			study    text NOT NULL REFERENCES studies(name) ON DELETE CASCADE,
			number   integer NOT NULL CHECK (number >= 0),
			dna      jsonb NOT NULL,
			dna_text text NOT NULL,
			program  json,
			state    text NOT NULL,
			metrics  jsonb,
			steps    jsonb,
			error    text NOT NULL,
			attempt  integer NOT NULL,
			worker   text NOT NULL,
			created  timestamptz,
			finished timestamptz,
			PRIMARY KEY (study, number)
		)`,
	},
	// 2: coordination of workers: change numbers and heartbeats.
	{
		`ALTER TABLE studies ADD COLUMN seq bigint NOT NULL DEFAULT 0`,
		`ALTER TABLE trials ADD COLUMN seq bigint NOT NULL DEFAULT 0`,
		`ALTER TABLE trials ADD COLUMN heartbeat timestamptz`,
		`CREATE INDEX trials_seq ON trials (study, seq)`,
		`CREATE INDEX trials_running ON trials (study, number) WHERE state = 'running' AND heartbeat IS NOT NULL`,
	},
	// 3: leases of trials handed out by ask, in nanoseconds (0: none).
	{
		`ALTER TABLE trials ADD COLUMN lease bigint NOT NULL DEFAULT 0`,
	},
}

// schemaVersion is the schema version this package writes and reads.
var schemaVersion = len(migrations)

// migrationLock is the first key of the advisory lock that serializes
// migrations; the second is a hash of the schema the tables live in, so
// stores in different schemas do not wait for each other.
const migrationLock = 0x676c6f76 // "glov"

// migrate brings the database's schema up to schemaVersion in one
// transaction, or refuses a newer one. The transaction first takes an
// advisory lock, so concurrent openers apply the migrations once.
func migrate(ctx context.Context, pool *pgxpool.Pool) (err error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	var schema *string
	if err := tx.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return err
	}
	if schema == nil {
		return errors.New("no schema of the search_path exists to hold the tables")
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, int32(migrationLock), *schema); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)`); err != nil {
		return err
	}
	var v *int
	if err := tx.QueryRow(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&v); err != nil {
		return err
	}
	have := 0
	if v != nil {
		have = *v
	}
	if have > schemaVersion {
		return fmt.Errorf("%w: the database has schema version %d, this binary knows versions up to %d; upgrade goglove",
			ErrSchemaTooNew, have, schemaVersion)
	}
	if have == schemaVersion {
		return tx.Commit(ctx)
	}
	for i := have; i < schemaVersion; i++ {
		for _, stmt := range migrations[i] {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("migration to schema version %d: %w", i+1, err)
			}
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM schema_version`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, schemaVersion); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// checkSchema checks, in a read-only transaction, that the database has
// the schema version this package reads (a read-only Store does not
// migrate).
func checkSchema(ctx context.Context, pool *pgxpool.Pool) error {
	var table *string
	if err := pool.QueryRow(ctx, `SELECT to_regclass('schema_version')::text`).Scan(&table); err != nil {
		return err
	}
	if table == nil {
		return fmt.Errorf("%w: the database has no goglove schema (no study was ever created in it)", ErrSchemaTooOld)
	}
	var v *int
	if err := pool.QueryRow(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&v); err != nil {
		return err
	}
	have := 0
	if v != nil {
		have = *v
	}
	switch {
	case have > schemaVersion:
		return fmt.Errorf("%w: the database has schema version %d, this binary knows versions up to %d; upgrade goglove",
			ErrSchemaTooNew, have, schemaVersion)
	case have < schemaVersion:
		return fmt.Errorf("%w: the database has schema version %d, this binary reads version %d; open it once read-write (goglove search, worker or ask upgrade it) and read it again",
			ErrSchemaTooOld, have, schemaVersion)
	}
	return nil
}
