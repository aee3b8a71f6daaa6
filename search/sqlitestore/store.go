package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/internal/storecodec"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Options configures Open. The zero value (and a nil pointer) gives the
// defaults.
type Options struct {
	// Registry decodes stored programs and study configs. If Registry is
	// nil, a registry that knows the space tags (space.Register) is used;
	// pass one that also knows the program's registered types.
	Registry *symbolic.Registry
	// BusyTimeout is how long a statement waits for another connection
	// or process to release the database. If BusyTimeout is 0, a default
	// of 10s is used.
	BusyTimeout time.Duration
	// ReadOnly opens an existing database for reading only (SQLite's
	// mode=ro and query_only): a file the user may only read opens, every
	// write fails, and the schema is not migrated, so a database of an
	// older schema is refused (ErrSchemaTooOld). It is for the commands
	// that only read (trials, best, studies, a dashboard). A file no
	// process has open (no -wal file) that this user may not write, or
	// in a directory this user may not write, is read as a snapshot
	// (SQLite's immutable) so that no -shm or -wal file is left behind:
	// what a writer adds later is seen only by a Store opened after it.
	ReadOnly bool
}

// Store is a search.Store in a SQLite file. It is safe for concurrent
// use, and several Stores, also in other processes, may open one file.
type Store struct {
	db   *sql.DB
	reg  *symbolic.Registry
	path string
}

var _ search.Store = (*Store)(nil)

// Open opens the SQLite database at path, creating it if needed, and
// brings its schema up to date. A database with a newer schema than this
// package knows is refused with ErrSchemaTooNew. opts may be nil; with
// opts.ReadOnly the file must exist and is neither written nor migrated.
func Open(ctx context.Context, path string, opts *Options) (*Store, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Registry == nil {
		o.Registry = symbolic.NewRegistry()
		if err := space.Register(o.Registry); err != nil {
			return nil, fmt.Errorf("sqlitestore: %w", err)
		}
	}
	if o.BusyTimeout == 0 {
		o.BusyTimeout = 10 * time.Second
	}
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlitestore: bad database path %q", path)
	}
	if o.ReadOnly {
		return openReadOnly(ctx, path, o)
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", o.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate") // writers queue at BEGIN, not mid-transaction
	if path != ":memory:" {
		if err := createPrivate(path); err != nil {
			return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
		}
	}
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		if errors.Is(err, ErrSchemaTooNew) {
			return nil, fmt.Errorf("%w (%s)", err, path)
		}
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	return &Store{db: db, reg: o.Registry, path: path}, nil
}

// Close implements search.Store.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) errorf(format string, args ...any) error {
	return fmt.Errorf("sqlitestore: "+format, args...)
}

// CreateStudy implements search.Store.
func (s *Store) CreateStudy(ctx context.Context, st search.StudyInfo) error {
	if err := search.CheckStudyName(st.Name); err != nil {
		return err
	}
	objectives, configJSON, err := storecodec.EncodeStudy(st)
	if err != nil {
		return s.errorf("study %q: %w", st.Name, err)
	}
	config := nullString(configJSON)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM studies WHERE name = ?`, st.Name).Scan(&one)
		switch {
		case err == nil:
			return fmt.Errorf("%w: study %q", search.ErrExists, st.Name)
		case !errors.Is(err, sql.ErrNoRows):
			return s.errorf("create study %q: %w", st.Name, err)
		}
		_, err = tx.ExecContext(ctx,
			`INSERT INTO studies (name, objectives, config, created) VALUES (?, ?, ?, ?)`,
			st.Name, string(objectives), config, encodeTime(st.Created))
		if err != nil {
			return s.errorf("create study %q: %w", st.Name, err)
		}
		return nil
	})
}

// Study implements search.Store.
func (s *Store) Study(ctx context.Context, name string) (search.StudyInfo, error) {
	row := s.db.QueryRowContext(ctx, `SELECT name, objectives, config, created FROM studies WHERE name = ?`, name)
	st, err := s.scanStudy(row)
	if errors.Is(err, sql.ErrNoRows) {
		return search.StudyInfo{}, fmt.Errorf("%w: study %q", search.ErrNotFound, name)
	}
	if err != nil {
		return search.StudyInfo{}, s.errorf("study %q: %w", name, err)
	}
	return st, nil
}

// Studies implements search.Store.
func (s *Store) Studies(ctx context.Context) ([]search.StudyInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, objectives, config, created FROM studies ORDER BY name`)
	if err != nil {
		return nil, s.errorf("studies: %w", err)
	}
	defer rows.Close()
	var out []search.StudyInfo
	for rows.Next() {
		st, err := s.scanStudy(rows)
		if err != nil {
			return nil, s.errorf("studies: %w", err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, s.errorf("studies: %w", err)
	}
	return out, nil
}

type scanner interface{ Scan(dest ...any) error }

func (s *Store) scanStudy(row scanner) (search.StudyInfo, error) {
	var (
		name, objectives string
		config           sql.NullString
		created          sql.NullInt64
	)
	if err := row.Scan(&name, &objectives, &config, &created); err != nil {
		return search.StudyInfo{}, err
	}
	return storecodec.DecodeStudy(name, []byte(objectives), bytesOf(config), decodeTime(created), s.reg)
}

// trialRow is a TrialRecord encoded for its columns.
type trialRow struct {
	dna, dnaText, state, errText, worker string
	program, metrics, steps              sql.NullString
	attempt                              int
	created, finished                    sql.NullInt64
}

func encodeTrial(t search.TrialRecord) (trialRow, error) {
	e, err := storecodec.EncodeTrial(t)
	if err != nil {
		return trialRow{}, err
	}
	return trialRow{dna: string(e.DNA), dnaText: e.DNAText, state: e.State, errText: e.Error, worker: e.Worker,
		program: nullString(e.Program), metrics: nullString(e.Metrics), steps: nullString(e.Steps),
		attempt: e.Attempt, created: encodeTime(e.Created), finished: encodeTime(e.Finished)}, nil
}

// AddTrial implements search.Store. The number is the study's largest
// plus one, found and used in one immediate transaction, so it is unique
// also across processes sharing the file.
func (s *Store) AddTrial(ctx context.Context, study string, t search.TrialRecord) (int, error) {
	r, err := encodeTrial(t)
	if err != nil {
		return 0, s.errorf("add trial to study %q: %w", study, err)
	}
	var num int
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		seq, err := s.nextSeq(ctx, tx, study)
		if err != nil {
			return err
		}
		num, err = s.insertTrial(ctx, tx, study, r, seq, sql.NullInt64{}, 0)
		return err
	})
	if err != nil {
		return 0, err
	}
	return num, nil
}

// nextSeq takes the study's next change number, or returns ErrNotFound.
func (s *Store) nextSeq(ctx context.Context, tx *sql.Tx, study string) (int64, error) {
	var seq int64
	err := tx.QueryRowContext(ctx, `UPDATE studies SET seq = seq + 1 WHERE name = ? RETURNING seq`, study).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("%w: study %q", search.ErrNotFound, study)
	}
	if err != nil {
		return 0, s.errorf("study %q: %w", study, err)
	}
	return seq, nil
}

// insertTrial adds r to study with the next number, in tx.
func (s *Store) insertTrial(ctx context.Context, tx *sql.Tx, study string, r trialRow, seq int64, heartbeat sql.NullInt64, lease time.Duration) (int, error) {
	var max sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(number) FROM trials WHERE study = ?`, study).Scan(&max); err != nil {
		return 0, s.errorf("add trial to study %q: %w", study, err)
	}
	num := 0
	if max.Valid {
		num = int(max.Int64) + 1
	}
	if lease < 0 {
		lease = 0
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO trials
		(study, number, dna, dna_text, program, state, metrics, steps, error, attempt, worker, created, finished, seq, heartbeat, lease)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		study, num, r.dna, r.dnaText, r.program, r.state, r.metrics, r.steps, r.errText, r.attempt, r.worker, r.created, r.finished,
		seq, heartbeat, int64(lease))
	if err != nil {
		return 0, s.errorf("add trial to study %q: %w", study, err)
	}
	return num, nil
}

// UpdateTrial implements search.Store.
func (s *Store) UpdateTrial(ctx context.Context, study string, t search.TrialRecord) error {
	r, err := encodeTrial(t)
	if err != nil {
		return s.errorf("update trial %d of study %q: %w", t.Number, study, err)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		old, err := s.trial(ctx, tx, study, t.Number)
		if err != nil {
			return err
		}
		if write, err := search.CheckUpdate(old, t); !write {
			return err
		}
		seq, err := s.nextSeq(ctx, tx, study)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE trials SET
			dna = ?, dna_text = ?, program = ?, state = ?, metrics = ?, steps = ?,
			error = ?, attempt = ?, worker = ?, created = ?, finished = ?, seq = ?
			WHERE study = ? AND number = ?`,
			r.dna, r.dnaText, r.program, r.state, r.metrics, r.steps,
			r.errText, r.attempt, r.worker, r.created, r.finished, seq, study, t.Number)
		if err != nil {
			return s.errorf("update trial %d of study %q: %w", t.Number, study, err)
		}
		return nil
	})
}

// trial reads one trial in tx, or returns ErrNotFound.
func (s *Store) trial(ctx context.Context, tx *sql.Tx, study string, number int) (search.TrialRecord, error) {
	t, err := s.scanTrial(tx.QueryRowContext(ctx, `SELECT `+trialColumns+` FROM trials WHERE study = ? AND number = ?`, study, number))
	if errors.Is(err, sql.ErrNoRows) {
		if err := s.studyExists(ctx, tx, study); err != nil {
			return t, err
		}
		return t, fmt.Errorf("%w: trial %d of study %q", search.ErrNotFound, number, study)
	}
	if err != nil {
		return t, s.errorf("trial %d of study %q: %w", number, study, err)
	}
	return t, nil
}

// trialColumns are the columns scanTrial reads, in its order.
const trialColumns = `number, dna, dna_text, program, state, metrics, steps, error, attempt, worker, created, finished, seq, heartbeat, lease`

// Trials implements search.Store.
func (s *Store) Trials(ctx context.Context, study string) ([]search.TrialRecord, error) {
	var out []search.TrialRecord
	// One read transaction, so the study check and the trials agree.
	err := s.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := s.studyExists(ctx, tx, study); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+trialColumns+` FROM trials WHERE study = ? ORDER BY number`, study)
		if err != nil {
			return s.errorf("trials of study %q: %w", study, err)
		}
		defer rows.Close()
		for rows.Next() {
			t, err := s.scanTrial(rows)
			if err != nil {
				return s.errorf("trials of study %q: %w", study, err)
			}
			out = append(out, t)
		}
		if err := rows.Err(); err != nil {
			return s.errorf("trials of study %q: %w", study, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) scanTrial(row scanner) (search.TrialRecord, error) {
	var (
		number    int
		r         trialRow
		seq       int64
		heartbeat sql.NullInt64
		lease     int64
	)
	if err := row.Scan(&number, &r.dna, &r.dnaText, &r.program, &r.state, &r.metrics, &r.steps,
		&r.errText, &r.attempt, &r.worker, &r.created, &r.finished, &seq, &heartbeat, &lease); err != nil {
		return search.TrialRecord{}, err
	}
	t, err := storecodec.DecodeTrial(number, storecodec.Trial{DNA: []byte(r.dna), Program: bytesOf(r.program),
		Metrics: bytesOf(r.metrics), Steps: bytesOf(r.steps), DNAText: r.dnaText, State: r.state, Error: r.errText,
		Worker: r.worker, Attempt: r.attempt, Created: decodeTime(r.created), Finished: decodeTime(r.finished)}, s.reg)
	t.Seq, t.Heartbeat, t.Lease = seq, decodeTime(heartbeat), time.Duration(lease)
	return t, err
}

// studyExists returns ErrNotFound if the study does not exist.
func (s *Store) studyExists(ctx context.Context, tx *sql.Tx, study string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM studies WHERE name = ?`, study).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: study %q", search.ErrNotFound, study)
	}
	if err != nil {
		return s.errorf("study %q: %w", study, err)
	}
	return nil
}

// inTx runs fn in an immediate (write) transaction and commits it if fn
// succeeds.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.runTx(ctx, nil, fn)
}

// inReadTx runs fn in a read-only transaction.
func (s *Store) inReadTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.runTx(ctx, &sql.TxOptions{ReadOnly: true}, fn)
}

func (s *Store) runTx(ctx context.Context, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return s.errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return s.errorf("commit: %w", err)
	}
	return nil
}
