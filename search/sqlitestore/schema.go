package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations turn a schema of version i into one of version i+1; the
// schema version of a database is the number of migrations applied.
// Append new migrations; never change one that has shipped.
var migrations = [][]string{
	// 1: studies and trials.
	{
		`CREATE TABLE studies (
			name       TEXT PRIMARY KEY,
			objectives TEXT NOT NULL,
			config     TEXT,
			created    INTEGER
		) STRICT`,
		`CREATE TABLE trials (
			study    TEXT NOT NULL REFERENCES studies(name) ON DELETE CASCADE,
			number   INTEGER NOT NULL,
			dna      TEXT NOT NULL,
			dna_text TEXT NOT NULL,
			program  TEXT,
			state    TEXT NOT NULL,
			metrics  TEXT,
			steps    TEXT,
			error    TEXT NOT NULL,
			attempt  INTEGER NOT NULL,
			worker   TEXT NOT NULL,
			created  INTEGER,
			finished INTEGER,
			PRIMARY KEY (study, number)
		) STRICT`,
	},
	// 2: coordination of workers: change numbers and heartbeats.
	{
		`ALTER TABLE studies ADD COLUMN seq INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE trials ADD COLUMN seq INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE trials ADD COLUMN heartbeat INTEGER`,
		`CREATE INDEX trials_seq ON trials (study, seq)`,
		`CREATE INDEX trials_running ON trials (study, state, heartbeat)`,
	},
	// 3: leases of trials handed out by ask, in nanoseconds (0: none).
	{
		`ALTER TABLE trials ADD COLUMN lease INTEGER NOT NULL DEFAULT 0`,
	},
}

// schemaVersion is the schema version this package writes and reads.
var schemaVersion = len(migrations)

// migrate brings the database's schema up to schemaVersion in one
// transaction, or refuses a newer one.
func migrate(ctx context.Context, db *sql.DB) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var v sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&v); err != nil {
		return err
	}
	have := int(v.Int64)
	if have > schemaVersion {
		return fmt.Errorf("%w: the database has schema version %d, this binary knows versions up to %d; upgrade goglove",
			ErrSchemaTooNew, have, schemaVersion)
	}
	if have == schemaVersion {
		return tx.Commit()
	}
	for i := have; i < schemaVersion; i++ {
		for _, stmt := range migrations[i] {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("migration to schema version %d: %w", i+1, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (?)`, schemaVersion); err != nil {
		return err
	}
	return tx.Commit()
}
