// Command goptuna-store measures goptuna's RDB storage on PostgreSQL as a
// peer of "goglove bench store": the store and sampler overhead per trial
// with random sampling and an objective that returns at once, and the
// throughput of one worker against several on an objective that sleeps.
//
// It is a module of its own so that goptuna and gorm never enter goglove's
// go.mod. See README.md for how to run it and what it measures.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/c-bata/goptuna"
	rdb "github.com/c-bata/goptuna/rdb.v2"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DefaultDB is a database of its own: goptuna's tables are named studies,
// trials, trial_params…, names another program's tables may have in a
// shared database.
const DefaultDB = "postgres://postgres@127.0.0.1:5432/goptuna_bench?sslmode=disable"

type options struct {
	DB          string
	CreateDB    bool
	Trials      int
	ScaleTrials int
	Reps        int
	Delay       time.Duration
	Workers     int
	Seed        int64
	Keep        bool
	Quiet       bool
}

// figures is what the program prints. The first fields have the names of
// "goglove bench store --json" so that the two can be put side by side.
type figures struct {
	Store              string  `json:"store"`
	OverheadMSPerTrial float64 `json:"overhead_ms_per_trial"`
	OneWorkerPerS      float64 `json:"one_worker_per_s"`
	WorkersPerS        float64 `json:"workers_per_s"`
	Workers            int     `json:"workers"`
	Speedup            float64 `json:"speedup"`
	DelayMS            float64 `json:"delay_ms"`
	Trials             int     `json:"trials"`
	ScaleTrials        int     `json:"scale_trials"`
	Reps               int     `json:"reps"`

	// Every run, in the order they ran.
	OverheadRunsMS []float64 `json:"overhead_runs_ms_per_trial"`
	OneRunsPerS    []float64 `json:"one_worker_runs_per_s"`
	ManyRunsPerS   []float64 `json:"workers_runs_per_s"`
	// Time between the starts of consecutive objective calls in the
	// overhead runs, over the first and the last tenth of the trials
	// (medians over the runs): goptuna reads all the study's trials at the
	// start of each trial, so a trial costs more as the study grows.
	FirstTenthMSPerTrial float64 `json:"first_tenth_ms_per_trial"`
	LastTenthMSPerTrial  float64 `json:"last_tenth_ms_per_trial"`
	// Overhead per trial in the scaling runs: wall time × workers / trials
	// minus the objective's delay.
	// SQL statements goptuna sent per trial in the overhead runs (BEGIN
	// and COMMIT not counted), counted by a gorm logger.
	StatementsPerTrial float64 `json:"statements_per_trial"`
	OneOverheadMS      float64 `json:"one_worker_overhead_ms_per_trial"`
	ManyOverheadMS     float64 `json:"workers_overhead_ms_per_trial"`

	Peer       string            `json:"peer"`
	Versions   map[string]string `json:"versions"`
	Sampler    string            `json:"sampler"`
	Space      string            `json:"space"`
	WorkerMode string            `json:"worker_mode"`
	DB         string            `json:"db"`
	GoVersion  string            `json:"go"`
	CPUs       int               `json:"cpus"`
	Started    string            `json:"started"`
}

func main() {
	var o options
	flag.StringVar(&o.DB, "db", DefaultDB, "PostgreSQL URL of the database goptuna's tables go in (created by AutoMigrate)")
	flag.BoolVar(&o.CreateDB, "create-db", true, "create the database of -db if it does not exist (through the server's postgres database)")
	flag.IntVar(&o.Trials, "trials", 300, "trials of each overhead run")
	flag.IntVar(&o.ScaleTrials, "scale-trials", 0, "trials of each scaling run, in all workers together (default: trials/3, as goglove bench store)")
	flag.IntVar(&o.Reps, "reps", 3, "repetitions of each measurement (the median is reported)")
	flag.DurationVar(&o.Delay, "delay", 20*time.Millisecond, "how long the objective of the scaling runs sleeps")
	flag.IntVar(&o.Workers, "workers", 4, "workers of the second scaling run")
	flag.Int64Var(&o.Seed, "seed", 1, "seed of the random sampler (worker w uses seed+w)")
	flag.BoolVar(&o.Keep, "keep", false, "keep each run's study in the database (default: delete it after the run)")
	flag.BoolVar(&o.Quiet, "quiet", false, "no progress lines on stderr")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "goptuna-store: no arguments are taken; see -h")
		os.Exit(2)
	}
	if o.ScaleTrials == 0 {
		o.ScaleTrials = max(1, o.Trials/3)
	}
	if o.Trials < 10 || o.ScaleTrials < 1 || o.Reps < 1 || o.Workers < 1 || o.Delay < 0 {
		fmt.Fprintln(os.Stderr, "goptuna-store: -trials must be at least 10, -scale-trials, -reps and -workers at least 1, -delay 0 or more")
		os.Exit(2)
	}
	fig, err := run(context.Background(), o, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "goptuna-store:", err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(fig); err != nil {
		fmt.Fprintln(os.Stderr, "goptuna-store:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, stderr io.Writer) (*figures, error) {
	progress := func(format string, args ...any) {
		if !o.Quiet {
			fmt.Fprintf(stderr, format+"\n", args...)
		}
	}
	if o.CreateDB {
		if err := createDatabase(o.DB); err != nil {
			return nil, err
		}
	}
	shared, err := openDB(o.DB)
	if err != nil {
		return nil, err
	}
	defer closeDB(shared)
	if err := checkTables(shared); err != nil {
		return nil, err
	}
	if err := rdb.RunAutoMigrate(shared); err != nil {
		return nil, fmt.Errorf("auto migrate: %w", err)
	}
	// One connection pool per extra worker, as separate processes would
	// have; opened before any run, as goglove bench store does.
	pools := []*gorm.DB{shared}
	for range o.Workers - 1 {
		db, err := openDB(o.DB)
		if err != nil {
			return nil, err
		}
		defer closeDB(db)
		pools = append(pools, db)
	}

	fig := &figures{
		Store: "postgres", Workers: o.Workers, DelayMS: float64(o.Delay) / 1e6,
		Trials: o.Trials, ScaleTrials: o.ScaleTrials, Reps: o.Reps,
		Peer:       "goptuna",
		Versions:   moduleVersions(),
		Sampler:    fmt.Sprintf("goptuna.RandomSampler, seed %d (+worker index)", o.Seed),
		Space:      `SuggestFloat("x1", -5, 10), SuggestFloat("x2", 0, 15) (branin's box)`,
		WorkerMode: "each worker: its own gorm connection pool, goptuna.LoadStudy of the shared study, Optimize(objective, its share of the trials), in a goroutine",
		DB:         redact(o.DB),
		GoVersion:  runtime.Version(),
		CPUs:       runtime.NumCPU(),
		Started:    time.Now().UTC().Format(time.RFC3339),
	}
	stamp := time.Now().UnixNano()
	name := func(kind string, rep int) string { return fmt.Sprintf("goptuna-bench-%d-%s-%d", stamp, kind, rep) }

	var firsts, lasts, stmts []float64
	for rep := range o.Reps {
		before := statements.Load()
		r, err := benchRun(ctx, o, pools[:1], name("overhead", rep), o.Trials, 0)
		if err != nil {
			return nil, err
		}
		ms := r.wall.Seconds() * 1000 / float64(o.Trials)
		fig.OverheadRunsMS = append(fig.OverheadRunsMS, round(ms, 4))
		stmts = append(stmts, float64(statements.Load()-before)/float64(o.Trials))
		first, last := tenths(r.starts)
		firsts, lasts = append(firsts, first), append(lasts, last)
		progress("overhead run %d of %d: %.3f ms per trial (first tenth %.3f, last tenth %.3f)", rep+1, o.Reps, ms, first, last)
	}
	var oneOver, manyOver []float64
	for rep := range o.Reps {
		r, err := benchRun(ctx, o, pools[:1], name("one", rep), o.ScaleTrials, o.Delay)
		if err != nil {
			return nil, err
		}
		one := float64(o.ScaleTrials) / r.wall.Seconds()
		oneOver = append(oneOver, r.wall.Seconds()*1000/float64(o.ScaleTrials)-float64(o.Delay)/1e6)
		r, err = benchRun(ctx, o, pools, name("many", rep), o.ScaleTrials, o.Delay)
		if err != nil {
			return nil, err
		}
		many := float64(o.ScaleTrials) / r.wall.Seconds()
		manyOver = append(manyOver, r.wall.Seconds()*1000*float64(o.Workers)/float64(o.ScaleTrials)-float64(o.Delay)/1e6)
		fig.OneRunsPerS = append(fig.OneRunsPerS, round(one, 4))
		fig.ManyRunsPerS = append(fig.ManyRunsPerS, round(many, 4))
		progress("scaling run %d of %d: %.1f trials/s with 1 worker, %.1f with %d", rep+1, o.Reps, one, many, o.Workers)
	}
	fig.OverheadMSPerTrial = round(median(fig.OverheadRunsMS), 3)
	fig.OneWorkerPerS = round(median(fig.OneRunsPerS), 3)
	fig.WorkersPerS = round(median(fig.ManyRunsPerS), 3)
	fig.Speedup = round(median(fig.ManyRunsPerS)/median(fig.OneRunsPerS), 3)
	fig.FirstTenthMSPerTrial = round(median(firsts), 3)
	fig.LastTenthMSPerTrial = round(median(lasts), 3)
	fig.StatementsPerTrial = round(median(stmts), 2)
	fig.OneOverheadMS = round(median(oneOver), 3)
	fig.ManyOverheadMS = round(median(manyOver), 3)
	return fig, nil
}

type runResult struct {
	wall   time.Duration
	starts []time.Time // when each objective call began (one worker only)
}

// benchRun creates a study, loads it once per worker (one per pool), and
// times the workers' Optimize calls until trials trials are done in all.
// The study is deleted afterwards unless -keep.
func benchRun(ctx context.Context, o options, pools []*gorm.DB, study string, trials int, delay time.Duration) (runResult, error) {
	created, err := goptuna.CreateStudy(study,
		goptuna.StudyOptionStorage(rdb.NewStorage(pools[0])),
		goptuna.StudyOptionDirection(goptuna.StudyDirectionMinimize),
		goptuna.StudyOptionLogger(nil))
	if err != nil {
		return runResult{}, fmt.Errorf("create study %s: %w", study, err)
	}
	if !o.Keep {
		defer func() { _ = goptuna.DeleteStudy(study, created.Storage) }()
	}
	var (
		mu     sync.Mutex
		starts []time.Time
	)
	record := len(pools) == 1
	objective := func(t goptuna.Trial) (float64, error) {
		if record {
			mu.Lock()
			starts = append(starts, time.Now())
			mu.Unlock()
		}
		if _, err := t.SuggestFloat("x1", -5, 10); err != nil {
			return 0, err
		}
		if _, err := t.SuggestFloat("x2", 0, 15); err != nil {
			return 0, err
		}
		if delay > 0 {
			time.Sleep(delay)
		}
		return 1, nil
	}
	// Each worker loads the study as a separate process would, with its
	// own sampler; this is done before the clock starts, as goglove bench
	// store opens its study before timing.
	workers := make([]*goptuna.Study, len(pools))
	for w, db := range pools {
		s, err := goptuna.LoadStudy(study,
			goptuna.StudyOptionStorage(rdb.NewStorage(db)),
			goptuna.StudyOptionSampler(goptuna.NewRandomSampler(goptuna.RandomSamplerOptionSeed(o.Seed+int64(w)))),
			goptuna.StudyOptionLogger(nil))
		if err != nil {
			return runResult{}, fmt.Errorf("load study %s: %w", study, err)
		}
		s.WithContext(ctx)
		workers[w] = s
	}
	errs := make([]error, len(workers))
	var wg sync.WaitGroup
	start := time.Now()
	for w, s := range workers {
		share := trials / len(workers)
		if w < trials%len(workers) {
			share++
		}
		wg.Go(func() { errs[w] = s.Optimize(objective, share) })
	}
	wg.Wait()
	wall := time.Since(start)
	if err := errors.Join(errs...); err != nil {
		return runResult{}, fmt.Errorf("optimize %s: %w", study, err)
	}
	done, err := workers[0].GetTrials()
	if err != nil {
		return runResult{}, err
	}
	complete := 0
	for _, t := range done {
		if t.State == goptuna.TrialStateComplete {
			complete++
		}
	}
	if complete != trials {
		return runResult{}, fmt.Errorf("study %s: %d complete trials, want %d", study, complete, trials)
	}
	return runResult{wall: wall, starts: starts}, nil
}

// tenths returns the mean time in ms between consecutive starts over the
// first and the last tenth of them.
func tenths(starts []time.Time) (first, last float64) {
	n := len(starts) / 10
	if n < 1 || len(starts) < 2*n+1 {
		return math.NaN(), math.NaN()
	}
	first = starts[n].Sub(starts[0]).Seconds() * 1000 / float64(n)
	last = starts[len(starts)-1].Sub(starts[len(starts)-1-n]).Seconds() * 1000 / float64(n)
	return first, last
}

// statements counts the SQL statements gorm ran, in all pools. The count
// includes the study's creation, loading and deletion around a run, which
// are a few statements, not per trial.
var statements atomic.Int64

// countingLogger is gorm's silent logger that counts statements.
type countingLogger struct{ logger.Interface }

func (l countingLogger) LogMode(logger.LogLevel) logger.Interface { return l }

func (l countingLogger) Trace(context.Context, time.Time, func() (string, int64), error) {
	statements.Add(1)
}

func openDB(dsn string) (*gorm.DB, error) {
	db, err := gorm.Open(postgres.Open(dsn), &gorm.Config{Logger: countingLogger{logger.Default.LogMode(logger.Silent)}})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redact(dsn), err)
	}
	return db, nil
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}

// createDatabase creates the database that dsn names if it is missing,
// connecting to the same server's postgres database to do it.
func createDatabase(dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Errorf("parse -db: %w", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" || name == "postgres" {
		return nil
	}
	admin := *u
	admin.Path = "/postgres"
	db, err := openDB(admin.String())
	if err != nil {
		return err
	}
	defer closeDB(db)
	var n int64
	if err := db.Raw("SELECT count(*) FROM pg_database WHERE datname = ?", name).Scan(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	quoted := `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
	if err := db.Exec("CREATE DATABASE " + quoted).Error; err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// checkTables refuses a database whose studies or trials table is not
// goptuna's: AutoMigrate would add goptuna's columns to another program's
// tables (goglove's store, for one, has tables named studies and trials).
func checkTables(db *gorm.DB) error {
	for table, column := range map[string]string{"studies": "study_name", "trials": "trial_id"} {
		var tables, columns int64
		if err := db.Raw(`SELECT count(*) FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_name = ?`, table).Scan(&tables).Error; err != nil {
			return err
		}
		if tables == 0 {
			continue
		}
		if err := db.Raw(`SELECT count(*) FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?`, table, column).Scan(&columns).Error; err != nil {
			return err
		}
		if columns == 0 {
			return fmt.Errorf("the database has a table %s that is not goptuna's (no column %s): "+
				"give -db a database of its own, e.g. goptuna_bench", table, column)
		}
	}
	return nil
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}

func moduleVersions() map[string]string {
	v := map[string]string{}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	for _, m := range bi.Deps {
		switch m.Path {
		case "github.com/c-bata/goptuna", "gorm.io/gorm", "gorm.io/driver/postgres", "github.com/jackc/pgx/v5":
			v[m.Path] = m.Version
		}
	}
	return v
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}
