package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/c2602f9e/goglove/search"
)

// Coordination: every write transaction is immediate, so it holds the
// database's write lock from its start; proposals, reclaims and updates
// of all processes sharing the file are therefore serialized, and a
// study's change numbers are committed in order. Heartbeats use this
// machine's clock: SQLite serves workers on one machine.

// Propose implements search.Store.
func (s *Store) Propose(ctx context.Context, study string, since int64, fn func([]search.TrialRecord, int64) (*search.TrialRecord, error)) (int, int64, error) {
	num, seq := -1, int64(0)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT seq FROM studies WHERE name = ?`, study).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: study %q", search.ErrNotFound, study)
		}
		if err != nil {
			return s.errorf("propose in study %q: %w", study, err)
		}
		changed, err := s.changedSince(ctx, tx, study, since)
		if err != nil {
			return err
		}
		t, err := fn(changed, seq)
		if err != nil || t == nil {
			return err
		}
		if t.Claim {
			num, seq, err = s.claim(ctx, tx, study, *t)
			return err
		}
		r, err := encodeTrial(*t)
		if err != nil {
			return s.errorf("add trial to study %q: %w", study, err)
		}
		if seq, err = s.nextSeq(ctx, tx, study); err != nil {
			return err
		}
		var heartbeat sql.NullInt64
		var lease time.Duration
		if t.Watched {
			heartbeat, lease = encodeTime(time.Now()), t.Lease
		}
		num, err = s.insertTrial(ctx, tx, study, r, seq, heartbeat, lease)
		return err
	})
	if err != nil {
		return -1, 0, err
	}
	return num, seq, nil
}

// claim starts the waiting trial t.Number (see search.Store.Propose).
func (s *Store) claim(ctx context.Context, tx *sql.Tx, study string, t search.TrialRecord) (int, int64, error) {
	seq, err := s.nextSeq(ctx, tx, study)
	if err != nil {
		return -1, 0, err
	}
	var heartbeat sql.NullInt64
	var lease time.Duration
	if t.Watched {
		heartbeat, lease = encodeTime(time.Now()), max(t.Lease, 0)
	}
	res, err := tx.ExecContext(ctx, `UPDATE trials SET state = ?, attempt = ?, worker = ?, created = ?, heartbeat = ?, seq = ?, lease = ?
		WHERE study = ? AND number = ? AND state = 'waiting'`,
		t.State.String(), t.Attempt, t.Worker, encodeTime(t.Created), heartbeat, seq, int64(lease), study, t.Number)
	if err != nil {
		return -1, 0, s.errorf("start trial %d of study %q: %w", t.Number, study, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err != nil {
			return -1, 0, s.errorf("start trial %d of study %q: %w", t.Number, study, err)
		}
		return -1, 0, fmt.Errorf("%w: trial %d of study %q is not waiting", search.ErrSuperseded, t.Number, study)
	}
	return t.Number, seq, nil
}

func (s *Store) changedSince(ctx context.Context, tx *sql.Tx, study string, since int64) ([]search.TrialRecord, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+trialColumns+` FROM trials WHERE study = ? AND seq > ? ORDER BY number`, study, since)
	if err != nil {
		return nil, s.errorf("changes in study %q: %w", study, err)
	}
	defer rows.Close()
	var out []search.TrialRecord
	for rows.Next() {
		t, err := s.scanTrial(rows)
		if err != nil {
			return nil, s.errorf("changes in study %q: %w", study, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, s.errorf("changes in study %q: %w", study, err)
	}
	return out, nil
}

// Heartbeat implements search.Store.
func (s *Store) Heartbeat(ctx context.Context, study string, number, attempt int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE trials SET heartbeat = ?
		WHERE study = ? AND number = ? AND attempt = ? AND state = 'running'`,
		encodeTime(time.Now()), study, number, attempt)
	if err != nil {
		return s.errorf("heartbeat of trial %d of study %q: %w", number, study, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err != nil {
			return s.errorf("heartbeat of trial %d of study %q: %w", number, study, err)
		}
		return fmt.Errorf("%w: trial %d attempt %d of study %q no longer runs", search.ErrSuperseded, number, attempt, study)
	}
	return nil
}

// Reclaim implements search.Store.
func (s *Store) Reclaim(ctx context.Context, study string, req search.ReclaimRequest) (search.TrialRecord, error) {
	var out search.TrialRecord
	found := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := time.Now()
		rows, err := tx.QueryContext(ctx, `SELECT number, attempt, worker, heartbeat, lease FROM trials
			WHERE study = ? AND state = 'running' AND heartbeat IS NOT NULL ORDER BY number`, study)
		if err != nil {
			return s.errorf("reclaim in study %q: %w", study, err)
		}
		type cand struct {
			number, attempt int
		}
		var cands []cand
		for rows.Next() {
			var (
				c      cand
				worker string
				hb     int64
				lease  int64
			)
			if err := rows.Scan(&c.number, &c.attempt, &worker, &hb, &lease); err != nil {
				rows.Close()
				return s.errorf("reclaim in study %q: %w", study, err)
			}
			timeout := req.Timeout
			if lease > 0 {
				timeout = time.Duration(lease)
			}
			if hb < encodeTime(now.Add(-timeout)).Int64 || slices.Contains(req.Dead, worker) {
				cands = append(cands, c)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.errorf("reclaim in study %q: %w", study, err)
		}
		for _, c := range cands {
			seq, err := s.nextSeq(ctx, tx, study)
			if err != nil {
				return err
			}
			if req.MaxAttempts > 0 && c.attempt >= req.MaxAttempts {
				_, err = tx.ExecContext(ctx, `UPDATE trials SET state = 'failed', error = ?, finished = ?, seq = ?
					WHERE study = ? AND number = ?`, search.AbandonedError(c.attempt), encodeTime(now), seq, study, c.number)
				if err != nil {
					return s.errorf("reclaim in study %q: %w", study, err)
				}
				continue
			}
			_, err = tx.ExecContext(ctx, `UPDATE trials SET attempt = attempt + 1, worker = ?, heartbeat = ?, steps = NULL, seq = ?, lease = ?
				WHERE study = ? AND number = ?`, req.Worker, encodeTime(now), seq, int64(max(req.Lease, 0)), study, c.number)
			if err != nil {
				return s.errorf("reclaim in study %q: %w", study, err)
			}
			if out, err = s.trial(ctx, tx, study, c.number); err != nil {
				return err
			}
			found = true
			return nil
		}
		return s.studyExists(ctx, tx, study)
	})
	if err != nil {
		return search.TrialRecord{}, err
	}
	if !found {
		return search.TrialRecord{}, fmt.Errorf("%w: no stale trial in study %q", search.ErrNotFound, study)
	}
	return out, nil
}
