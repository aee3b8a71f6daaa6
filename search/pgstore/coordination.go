package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/c2602f9e/goglove/search"
)

// Coordination: a study's row lock serializes its proposals and change
// numbers (see nextSeq); reclaiming takes running trials with SELECT …
// FOR UPDATE SKIP LOCKED, so workers never wait for each other's
// candidates nor take one twice. Heartbeats and staleness use the
// database server's clock, so workers' clocks need not agree. Locks are
// taken in one order, a trial's row before its study's, so transactions
// cannot deadlock.

// lazyCommit lets tx commit without waiting for its WAL to reach the
// disk. Proposals, reclaims and intermediate reports use it; results
// (a trial's end) commit synchronously. Since the WAL is written in
// order, a result's synchronous commit also makes every earlier lazy
// commit durable, so a database crash can lose only the proposals and
// takeovers of trials whose results were not yet kept, never a result:
// those trials are proposed or taken over again. It saves one disk
// flush per trial.
func lazyCommit(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `SET LOCAL synchronous_commit TO OFF`)
	return err
}

// Propose implements search.Store.
func (s *Store) Propose(ctx context.Context, study string, since int64, fn func([]search.TrialRecord, int64) (*search.TrialRecord, error)) (int, int64, error) {
	num, seq := -1, int64(0)
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lazyCommit(ctx, tx); err != nil {
			return s.errorf("propose in study %q: %w", study, s.ctxErr(ctx, err))
		}
		err := tx.QueryRow(ctx, `SELECT seq FROM studies WHERE name = $1 FOR UPDATE`, study).Scan(&seq)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%w: study %q", search.ErrNotFound, study)
		}
		if err != nil {
			return s.errorf("propose in study %q: %w", study, s.ctxErr(ctx, err))
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
		num, seq, err = s.insertTrial(ctx, tx, study, r, t.Watched, t.Lease)
		return err
	})
	if err != nil {
		return -1, 0, err
	}
	return num, seq, nil
}

// claim starts the waiting trial t.Number (see search.Store.Propose).
func (s *Store) claim(ctx context.Context, tx pgx.Tx, study string, t search.TrialRecord) (int, int64, error) {
	seq, err := s.nextSeq(ctx, tx, study)
	if err != nil {
		return -1, 0, err
	}
	lease := int64(0)
	if t.Watched {
		lease = int64(max(t.Lease, 0))
	}
	tag, err := tx.Exec(ctx, `UPDATE trials SET state = $1, attempt = $2, worker = $3, created = $4,
		heartbeat = CASE WHEN $5 THEN clock_timestamp() END, seq = $6, lease = $9
		WHERE study = $7 AND number = $8 AND state = 'waiting'`,
		t.State.String(), t.Attempt, t.Worker, encodeTime(t.Created), t.Watched, seq, study, t.Number, lease)
	if err != nil {
		return -1, 0, s.errorf("start trial %d of study %q: %w", t.Number, study, s.ctxErr(ctx, err))
	}
	if tag.RowsAffected() == 0 {
		return -1, 0, fmt.Errorf("%w: trial %d of study %q is not waiting", search.ErrSuperseded, t.Number, study)
	}
	return t.Number, seq, nil
}

func (s *Store) changedSince(ctx context.Context, tx pgx.Tx, study string, since int64) ([]search.TrialRecord, error) {
	rows, err := tx.Query(ctx, `SELECT `+trialColumns+` FROM trials WHERE study = $1 AND seq > $2 ORDER BY number`, study, since)
	if err != nil {
		return nil, s.errorf("changes in study %q: %w", study, s.ctxErr(ctx, err))
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
		return nil, s.errorf("changes in study %q: %w", study, s.ctxErr(ctx, err))
	}
	return out, nil
}

// Heartbeat implements search.Store.
func (s *Store) Heartbeat(ctx context.Context, study string, number, attempt int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE trials SET heartbeat = clock_timestamp()
		WHERE study = $1 AND number = $2 AND attempt = $3 AND state = 'running'`, study, number, attempt)
	if err != nil {
		return s.errorf("heartbeat of trial %d of study %q: %w", number, study, s.ctxErr(ctx, err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%w: trial %d attempt %d of study %q no longer runs", search.ErrSuperseded, number, attempt, study)
	}
	return nil
}

// Reclaim implements search.Store.
func (s *Store) Reclaim(ctx context.Context, study string, req search.ReclaimRequest) (search.TrialRecord, error) {
	var out search.TrialRecord
	found := false
	dead := req.Dead
	if dead == nil {
		dead = []string{}
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lazyCommit(ctx, tx); err != nil {
			return s.errorf("reclaim in study %q: %w", study, s.ctxErr(ctx, err))
		}
		for {
			var number, attempt int
			err := tx.QueryRow(ctx, `SELECT number, attempt FROM trials
				WHERE study = $1 AND state = 'running' AND heartbeat IS NOT NULL
				AND (heartbeat < clock_timestamp() - make_interval(secs => CASE WHEN lease > 0 THEN lease / 1e9 ELSE $2::float8 END::float8)
					OR worker = ANY($3))
				ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED`,
				study, req.Timeout.Seconds(), dead).Scan(&number, &attempt)
			if errors.Is(err, pgx.ErrNoRows) {
				return s.studyExists(ctx, tx, study)
			}
			if err != nil {
				return s.errorf("reclaim in study %q: %w", study, s.ctxErr(ctx, err))
			}
			seq, err := s.nextSeq(ctx, tx, study)
			if err != nil {
				return err
			}
			if req.MaxAttempts > 0 && attempt >= req.MaxAttempts {
				_, err = tx.Exec(ctx, `UPDATE trials SET state = 'failed', error = $1, finished = clock_timestamp(), seq = $2
					WHERE study = $3 AND number = $4`, search.AbandonedError(attempt), seq, study, number)
				if err != nil {
					return s.errorf("reclaim in study %q: %w", study, s.ctxErr(ctx, err))
				}
				continue
			}
			_, err = tx.Exec(ctx, `UPDATE trials SET attempt = attempt + 1, worker = $1, heartbeat = clock_timestamp(),
				steps = NULL, seq = $2, lease = $5 WHERE study = $3 AND number = $4`, req.Worker, seq, study, number, int64(max(req.Lease, 0)))
			if err != nil {
				return s.errorf("reclaim in study %q: %w", study, s.ctxErr(ctx, err))
			}
			if out, err = s.trial(ctx, tx, study, number, false); err != nil {
				return err
			}
			found = true
			return nil
		}
	})
	if err != nil {
		return search.TrialRecord{}, err
	}
	if !found {
		return search.TrialRecord{}, fmt.Errorf("%w: no stale trial in study %q", search.ErrNotFound, study)
	}
	return out, nil
}
