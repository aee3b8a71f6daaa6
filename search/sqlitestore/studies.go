package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/c2602f9e/goglove/search"
)

// Deleting, renaming and copying studies: each is one immediate
// transaction, so it never interleaves with a worker's proposal, update
// or reclaim. Trials reference their study by name, so renaming inserts
// the study under its new name, moves the trials and deletes the old row.

// DeleteStudy implements search.Store.
func (s *Store) DeleteStudy(ctx context.Context, name string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.studyExists(ctx, tx, name); err != nil {
			return err
		}
		// The foreign key cascades too; deleting the trials first does not
		// depend on the foreign_keys pragma.
		if _, err := tx.ExecContext(ctx, `DELETE FROM trials WHERE study = ?`, name); err != nil {
			return s.errorf("delete study %q: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM studies WHERE name = ?`, name); err != nil {
			return s.errorf("delete study %q: %w", name, err)
		}
		return nil
	})
}

// RenameStudy implements search.Store.
func (s *Store) RenameStudy(ctx context.Context, old, new string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.copyStudyRow(ctx, tx, old, new); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE trials SET study = ? WHERE study = ?`, new, old); err != nil {
			return s.errorf("rename study %q: %w", old, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM studies WHERE name = ?`, old); err != nil {
			return s.errorf("rename study %q: %w", old, err)
		}
		return nil
	})
}

// CopyStudy implements search.Store.
func (s *Store) CopyStudy(ctx context.Context, from, to string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.copyStudyRow(ctx, tx, from, to); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO trials (study, `+trialColumns+`)
			SELECT ?, `+trialColumns+` FROM trials WHERE study = ?`, to, from)
		if err != nil {
			return s.errorf("copy study %q: %w", from, err)
		}
		return nil
	})
}

// copyStudyRow adds the study row of from, named to, in tx: ErrNotFound if
// there is no study from, ErrExists if there is a study to.
func (s *Store) copyStudyRow(ctx context.Context, tx *sql.Tx, from, to string) error {
	if err := s.studyExists(ctx, tx, from); err != nil {
		return err
	}
	var one int
	switch err := tx.QueryRowContext(ctx, `SELECT 1 FROM studies WHERE name = ?`, to).Scan(&one); {
	case err == nil:
		return fmt.Errorf("%w: study %q", search.ErrExists, to)
	case !errors.Is(err, sql.ErrNoRows):
		return s.errorf("study %q: %w", to, err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO studies (name, objectives, config, created, seq)
		SELECT ?, objectives, config, created, seq FROM studies WHERE name = ?`, to, from)
	if err != nil {
		return s.errorf("study %q to %q: %w", from, to, err)
	}
	return nil
}
