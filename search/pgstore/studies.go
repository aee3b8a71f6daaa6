package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/c2602f9e/goglove/search"
)

// Deleting, renaming and copying studies. Deleting and renaming lock the
// study's trials before its row, the order every transaction uses (see
// coordination.go), and then hold the row lock, so no proposal or update
// of the study interleaves; trials added meanwhile are seen, since each
// statement reads what was committed before it. Copying holds the
// study's row in share mode, so that no change of its trials commits
// while the copy reads them. Trials reference their study by name, so
// renaming inserts the study under its new name, moves the trials and
// deletes the old row.

// DeleteStudy implements search.Store.
func (s *Store) DeleteStudy(ctx context.Context, name string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM trials WHERE study = $1 FOR UPDATE`, name); err != nil {
			return s.errorf("delete study %q: %w", name, s.ctxErr(ctx, err))
		}
		if err := s.lockStudy(ctx, tx, name); err != nil {
			return err
		}
		// The foreign key cascades to trials added since the first
		// statement.
		if _, err := tx.Exec(ctx, `DELETE FROM studies WHERE name = $1`, name); err != nil {
			return s.errorf("delete study %q: %w", name, s.ctxErr(ctx, err))
		}
		return nil
	})
}

// RenameStudy implements search.Store.
func (s *Store) RenameStudy(ctx context.Context, old, new string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM trials WHERE study = $1 FOR UPDATE`, old); err != nil {
			return s.errorf("rename study %q: %w", old, s.ctxErr(ctx, err))
		}
		if err := s.lockStudy(ctx, tx, old); err != nil {
			return err
		}
		if err := s.copyStudyRow(ctx, tx, old, new); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE trials SET study = $2 WHERE study = $1`, old, new); err != nil {
			return s.errorf("rename study %q: %w", old, s.ctxErr(ctx, err))
		}
		if _, err := tx.Exec(ctx, `DELETE FROM studies WHERE name = $1`, old); err != nil {
			return s.errorf("rename study %q: %w", old, s.ctxErr(ctx, err))
		}
		return nil
	})
}

// CopyStudy implements search.Store.
func (s *Store) CopyStudy(ctx context.Context, from, to string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM studies WHERE name = $1 FOR SHARE`, from).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%w: study %q", search.ErrNotFound, from)
		}
		if err != nil {
			return s.errorf("copy study %q: %w", from, s.ctxErr(ctx, err))
		}
		if err := s.copyStudyRow(ctx, tx, from, to); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO trials (study, `+trialColumns+`)
			SELECT $2, `+trialColumns+` FROM trials WHERE study = $1`, from, to)
		if err != nil {
			return s.errorf("copy study %q: %w", from, s.ctxErr(ctx, err))
		}
		return nil
	})
}

// copyStudyRow adds the study row of from, which tx has locked, named
// to: ErrExists if there is a study to.
func (s *Store) copyStudyRow(ctx context.Context, tx pgx.Tx, from, to string) error {
	tag, err := tx.Exec(ctx, `INSERT INTO studies (name, objectives, config, created, seq)
		SELECT $2, objectives, config, created, seq FROM studies WHERE name = $1
		ON CONFLICT (name) DO NOTHING`, from, to)
	if err != nil {
		return s.errorf("study %q to %q: %w", from, to, s.ctxErr(ctx, err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%w: study %q", search.ErrExists, to)
	}
	return nil
}
