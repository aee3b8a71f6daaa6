package pgstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/internal/storecodec"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// Options configures Open. The zero value (and a nil pointer) gives the
// defaults.
type Options struct {
	// Registry decodes stored programs and study configs. If Registry is
	// nil, a registry that knows the space tags (space.Register) is used;
	// pass one that also knows the program's registered types.
	Registry *symbolic.Registry
	// ReadOnly opens the database for reading only: every transaction is
	// read-only (default_transaction_read_only), so a role that may only
	// SELECT, or a standby server, serves, every write fails, and the
	// schema is not migrated: a database of an older schema, or without
	// one, is refused (ErrSchemaTooOld). It is for the commands that only
	// read (trials, best, studies, a dashboard).
	ReadOnly bool
}

// Store is a search.Store in a PostgreSQL database. It is safe for
// concurrent use, and any number of Stores, also in other processes on
// other machines, may share one database.
type Store struct {
	pool *pgxpool.Pool
	reg  *symbolic.Registry
	// where names the database in errors, without its password.
	where string
	// password is removed from every error message.
	password string
}

var _ search.Store = (*Store)(nil)

// Open connects to the PostgreSQL database at url (a postgres:// URL or
// a keyword/value connection string, as pgx accepts) and brings its
// schema up to date. A database with a newer schema than this package
// knows is refused with ErrSchemaTooNew. opts may be nil; with
// opts.ReadOnly nothing is written or migrated. Errors name the database
// without its password.
func Open(ctx context.Context, url string, opts *Options) (*Store, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Registry == nil {
		o.Registry = symbolic.NewRegistry()
		if err := space.Register(o.Registry); err != nil {
			return nil, fmt.Errorf("pgstore: %w", err)
		}
	}
	secret := urlPassword(url)
	where := describe(url)
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, redact(fmt.Errorf("pgstore: open %s: %w", where, err), secret)
	}
	if cfg.ConnConfig.Password != "" {
		secret = cfg.ConnConfig.Password
	}
	if o.ReadOnly {
		cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	}
	s := &Store{reg: o.Registry, where: where, password: secret}
	if s.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, s.openError(err)
	}
	prepare := migrate
	if o.ReadOnly {
		prepare = checkSchema
	}
	if err := retryOpen(ctx, s.pool, prepare); err != nil {
		s.pool.Close()
		if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return nil, s.openError(err)
	}
	return s, nil
}

func (s *Store) openError(err error) error {
	if errors.Is(err, ErrSchemaTooNew) || errors.Is(err, ErrSchemaTooOld) {
		return redact(fmt.Errorf("%w (%s)", err, s.where), s.password)
	}
	return redact(fmt.Errorf("pgstore: open %s: %w", s.where, err), s.password)
}

// urlPassword returns the password of a postgres:// URL, or "".
func urlPassword(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}

// describe names a database for error messages: the URL with its
// password replaced by "xxxxx" and its query dropped, or "PostgreSQL
// database" for what is not a URL (a keyword/value string may hold a
// password anywhere).
func describe(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" && u.Path == "" {
		return "PostgreSQL database"
	}
	u.RawQuery, u.Fragment = "", ""
	return u.Redacted()
}

// Close implements search.Store. It waits for the connections in use to
// be released.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// errorf returns a "pgstore: " error, without the URL's password; an
// error the database raised for the data it was given is marked
// permanent (see permanent).
func (s *Store) errorf(format string, args ...any) error {
	return permanent(redact(fmt.Errorf("pgstore: "+format, args...), s.password))
}

// CreateStudy implements search.Store.
func (s *Store) CreateStudy(ctx context.Context, st search.StudyInfo) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := search.CheckStudyName(st.Name); err != nil {
		return err
	}
	objectives, config, err := storecodec.EncodeStudy(st)
	if err != nil {
		return s.errorf("study %q: %w", st.Name, err)
	}
	tag, err := s.pool.Exec(ctx,
		`INSERT INTO studies (name, objectives, config, created) VALUES ($1, $2, $3, $4)
		ON CONFLICT (name) DO NOTHING`,
		st.Name, objectives, config, encodeTime(st.Created))
	if err != nil {
		return s.errorf("create study %q: %w", st.Name, s.ctxErr(ctx, err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%w: study %q", search.ErrExists, st.Name)
	}
	return nil
}

// Study implements search.Store.
func (s *Store) Study(ctx context.Context, name string) (search.StudyInfo, error) {
	return readRetrying(ctx, func() (search.StudyInfo, error) { return s.studyOnce(ctx, name) })
}

func (s *Store) studyOnce(ctx context.Context, name string) (search.StudyInfo, error) {
	if err := ctx.Err(); err != nil {
		return search.StudyInfo{}, err
	}
	row := s.pool.QueryRow(ctx, `SELECT name, objectives, config, created FROM studies WHERE name = $1`, name)
	st, err := s.scanStudy(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return search.StudyInfo{}, fmt.Errorf("%w: study %q", search.ErrNotFound, name)
	}
	if err != nil {
		return search.StudyInfo{}, s.errorf("study %q: %w", name, s.ctxErr(ctx, err))
	}
	return st, nil
}

// Studies implements search.Store.
func (s *Store) Studies(ctx context.Context) ([]search.StudyInfo, error) {
	return readRetrying(ctx, func() ([]search.StudyInfo, error) { return s.studiesOnce(ctx) })
}

func (s *Store) studiesOnce(ctx context.Context) ([]search.StudyInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT name, objectives, config, created FROM studies ORDER BY name COLLATE "C"`)
	if err != nil {
		return nil, s.errorf("studies: %w", s.ctxErr(ctx, err))
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
		return nil, s.errorf("studies: %w", s.ctxErr(ctx, err))
	}
	return out, nil
}

func (s *Store) scanStudy(row pgx.Row) (search.StudyInfo, error) {
	var (
		name               string
		objectives, config []byte
		created            *time.Time
	)
	if err := row.Scan(&name, &objectives, &config, &created); err != nil {
		return search.StudyInfo{}, err
	}
	return storecodec.DecodeStudy(name, objectives, config, decodeTime(created), s.reg)
}

// trialRow is a TrialRecord encoded for its columns.
type trialRow struct {
	dna, program, metrics, steps []byte
	dnaText, state, errText      string
	worker                       string
	attempt                      int
	created, finished            *time.Time
}

func encodeTrial(t search.TrialRecord) (trialRow, error) {
	e, err := storecodec.EncodeTrial(t)
	if err != nil {
		return trialRow{}, err
	}
	return trialRow{dna: e.DNA, program: e.Program, metrics: e.Metrics, steps: e.Steps, dnaText: e.DNAText,
		state: e.State, errText: e.Error, worker: e.Worker, attempt: e.Attempt,
		created: encodeTime(e.Created), finished: encodeTime(e.Finished)}, nil
}

// AddTrial implements search.Store. The number is the study's largest
// plus one, found and used in one transaction that holds the study's row
// lock, so it is unique and consecutive also across processes.
func (s *Store) AddTrial(ctx context.Context, study string, t search.TrialRecord) (int, error) {
	r, err := encodeTrial(t)
	if err != nil {
		return 0, s.errorf("add trial to study %q: %w", study, err)
	}
	var num int
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if err := s.lockStudy(ctx, tx, study); err != nil {
			return err
		}
		num, _, err = s.insertTrial(ctx, tx, study, r, false, 0)
		return err
	})
	if err != nil {
		return 0, err
	}
	return num, nil
}

// lockStudy takes the study's row lock, which serializes the numbering
// of its trials and its change numbers, or returns ErrNotFound.
func (s *Store) lockStudy(ctx context.Context, tx pgx.Tx, study string) error {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM studies WHERE name = $1 FOR UPDATE`, study).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: study %q", search.ErrNotFound, study)
	}
	if err != nil {
		return s.errorf("study %q: %w", study, s.ctxErr(ctx, err))
	}
	return nil
}

// nextSeq takes the study's next change number, or returns ErrNotFound.
// It holds the study's row lock until the transaction ends, so change
// numbers are committed in order and trials are numbered one at a time.
func (s *Store) nextSeq(ctx context.Context, tx pgx.Tx, study string) (int64, error) {
	var seq int64
	err := tx.QueryRow(ctx, `UPDATE studies SET seq = seq + 1 WHERE name = $1 RETURNING seq`, study).Scan(&seq)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("%w: study %q", search.ErrNotFound, study)
	}
	if err != nil {
		return 0, s.errorf("study %q: %w", study, s.ctxErr(ctx, err))
	}
	return seq, nil
}

// insertTrial adds r to study with the next number and the study's next
// change number, in one statement; tx must hold the study's row lock
// (lockStudy), so that the statement, which starts after the lock was
// taken (read committed), sees every trial of the lock's previous holder.
func (s *Store) insertTrial(ctx context.Context, tx pgx.Tx, study string, r trialRow, watched bool, lease time.Duration) (int, int64, error) {
	var (
		num int
		seq int64
	)
	if !watched || lease < 0 {
		lease = 0
	}
	err := tx.QueryRow(ctx, `WITH s AS (UPDATE studies SET seq = seq + 1 WHERE name = $1 RETURNING seq)
		INSERT INTO trials
		(study, number, dna, dna_text, program, state, metrics, steps, error, attempt, worker, created, finished, seq, heartbeat, lease)
		SELECT $1, COALESCE((SELECT MAX(number) + 1 FROM trials WHERE study = $1), 0),
			$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, s.seq, CASE WHEN $13 THEN clock_timestamp() END, $14
		FROM s RETURNING number, seq`,
		study, r.dna, r.dnaText, r.program, r.state, r.metrics, r.steps, r.errText, r.attempt, r.worker, r.created, r.finished,
		watched, int64(lease)).Scan(&num, &seq)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, fmt.Errorf("%w: study %q", search.ErrNotFound, study)
	}
	if err != nil {
		return 0, 0, s.errorf("add trial to study %q: %w", study, s.ctxErr(ctx, err))
	}
	return num, seq, nil
}

// UpdateTrial implements search.Store.
func (s *Store) UpdateTrial(ctx context.Context, study string, t search.TrialRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r, err := encodeTrial(t)
	if err != nil {
		return s.errorf("update trial %d of study %q: %w", t.Number, study, err)
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := s.trial(ctx, tx, study, t.Number, true)
		if err != nil {
			return err
		}
		if write, err := search.CheckUpdate(old, t); !write {
			return err
		}
		if !t.State.Done() { // an intermediate report: see lazyCommit
			if err := lazyCommit(ctx, tx); err != nil {
				return s.errorf("update trial %d of study %q: %w", t.Number, study, s.ctxErr(ctx, err))
			}
		}
		// One statement takes the study's next change number (and row
		// lock, after the trial's: the order every transaction uses).
		_, err = tx.Exec(ctx, `WITH s AS (UPDATE studies SET seq = seq + 1 WHERE name = $12 RETURNING seq)
			UPDATE trials SET
			dna = $1, dna_text = $2, program = $3, state = $4, metrics = $5, steps = $6,
			error = $7, attempt = $8, worker = $9, created = $10, finished = $11, seq = s.seq
			FROM s WHERE study = $12 AND number = $13`,
			r.dna, r.dnaText, r.program, r.state, r.metrics, r.steps,
			r.errText, r.attempt, r.worker, r.created, r.finished, study, t.Number)
		if err != nil {
			return s.errorf("update trial %d of study %q: %w", t.Number, study, s.ctxErr(ctx, err))
		}
		return nil
	})
}

// trial reads one trial in tx, locking its row if lock is set, or
// returns ErrNotFound.
func (s *Store) trial(ctx context.Context, tx pgx.Tx, study string, number int, lock bool) (search.TrialRecord, error) {
	q := `SELECT ` + trialColumns + ` FROM trials WHERE study = $1 AND number = $2`
	if lock {
		q += ` FOR UPDATE`
	}
	t, err := s.scanTrial(tx.QueryRow(ctx, q, study, number))
	if errors.Is(err, pgx.ErrNoRows) {
		if err := s.studyExists(ctx, tx, study); err != nil {
			return t, err
		}
		return t, fmt.Errorf("%w: trial %d of study %q", search.ErrNotFound, number, study)
	}
	if err != nil {
		return t, s.errorf("trial %d of study %q: %w", number, study, s.ctxErr(ctx, err))
	}
	return t, nil
}

// trialColumns are the columns scanTrial reads, in its order.
const trialColumns = `number, dna, dna_text, program, state, metrics, steps, error, attempt, worker, created, finished, seq, heartbeat, lease`

// Trials implements search.Store.
func (s *Store) Trials(ctx context.Context, study string) ([]search.TrialRecord, error) {
	return readRetrying(ctx, func() ([]search.TrialRecord, error) { return s.trialsOnce(ctx, study) })
}

func (s *Store) trialsOnce(ctx context.Context, study string) ([]search.TrialRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+trialColumns+` FROM trials WHERE study = $1 ORDER BY number`, study)
	if err != nil {
		return nil, s.errorf("trials of study %q: %w", study, s.ctxErr(ctx, err))
	}
	defer rows.Close()
	var out []search.TrialRecord
	for rows.Next() {
		t, err := s.scanTrial(rows)
		if err != nil {
			return nil, s.errorf("trials of study %q: %w", study, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, s.errorf("trials of study %q: %w", study, s.ctxErr(ctx, err))
	}
	if len(out) == 0 {
		// No trials: the study has none, or it does not exist (deleted
		// or renamed before the query, or never created).
		if err := s.studyExists(ctx, s.pool, study); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) scanTrial(row pgx.Row) (search.TrialRecord, error) {
	var (
		number    int
		r         trialRow
		seq       int64
		heartbeat *time.Time
		lease     int64
	)
	if err := row.Scan(&number, &r.dna, &r.dnaText, &r.program, &r.state, &r.metrics, &r.steps,
		&r.errText, &r.attempt, &r.worker, &r.created, &r.finished, &seq, &heartbeat, &lease); err != nil {
		return search.TrialRecord{}, err
	}
	t, err := storecodec.DecodeTrial(number, storecodec.Trial{DNA: r.dna, Program: r.program, Metrics: r.metrics,
		Steps: r.steps, DNAText: r.dnaText, State: r.state, Error: r.errText, Worker: r.worker, Attempt: r.attempt,
		Created: decodeTime(r.created), Finished: decodeTime(r.finished)}, s.reg)
	t.Seq, t.Heartbeat, t.Lease = seq, decodeTime(heartbeat), time.Duration(lease)
	return t, err
}

// studyExists returns ErrNotFound if the study does not exist.
// querier is a pool or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func (s *Store) studyExists(ctx context.Context, q querier, study string) error {
	var one int
	err := q.QueryRow(ctx, `SELECT 1 FROM studies WHERE name = $1`, study).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: study %q", search.ErrNotFound, study)
	}
	if err != nil {
		return s.errorf("study %q: %w", study, s.ctxErr(ctx, err))
	}
	return nil
}

// inTx runs fn in a read-committed transaction and commits it if fn
// succeeds.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return s.errorf("begin: %w", s.ctxErr(ctx, err))
	}
	if err := fn(tx); err != nil {
		tx.Rollback(context.WithoutCancel(ctx))
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return s.errorf("commit: %w", s.ctxErr(ctx, err))
	}
	return nil
}

// ctxErr makes sure an error caused by ctx ending wraps ctx's error, so
// that callers can test it with errors.Is.
func (s *Store) ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w (%v)", cerr, err)
	}
	return err
}
