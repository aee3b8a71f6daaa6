package sqlitestore_test

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/sqlitestore"
	"github.com/c2602f9e/goglove/search/storetest"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

func open(t *testing.T, path string) *sqlitestore.Store {
	t.Helper()
	s, err := sqlitestore.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) search.Store {
		return open(t, filepath.Join(t.TempDir(), "study.db"))
	})
}

func TestReopen(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "study.db")
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		t.Fatal(err)
	}
	// A config holding a hyper-value, as a search config does.
	config, err := reg.DecodeYAML([]byte("space:\n  act: !oneof [relu, gelu]\n  lr: !float {min: 1.0e-4, max: 0.1}\nbudget: 3\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	info := search.StudyInfo{
		Name:       "s",
		Objectives: []search.Metric{{Name: "loss", Direction: search.Minimize}},
		Config:     config,
		Created:    time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC),
	}
	rec := search.TrialRecord{
		DNA:     space.DNA{Children: []space.DNA{{Value: 1}, {Value: 0.05}}},
		DNAText: "[1, 0.05]",
		State:   search.Completed,
		Metrics: search.Metrics{"loss": 0.25},
		Attempt: 1,
		Created: info.Created,
	}

	s := open(t, path)
	if err := s.CreateStudy(ctx, info); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTrial(ctx, "s", rec); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = sqlitestore.Open(ctx, path, &sqlitestore.Options{Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Study(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if !symbolic.Equal(got.Config, config) || !slices.Equal(got.Objectives, info.Objectives) || !got.Created.Equal(info.Created) {
		t.Errorf("reopened study = %+v, want %+v", got, info)
	}
	rs, err := s.Trials(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || !rs[0].DNA.Equal(rec.DNA) || rs[0].Metrics["loss"] != 0.25 || rs[0].State != search.Completed {
		t.Errorf("reopened trials = %+v", rs)
	}
	if n, err := s.AddTrial(ctx, "s", rec); err != nil || n != 1 {
		t.Errorf("AddTrial after reopening = %d, %v; want 1", n, err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "study.db")
	open(t, path).Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE schema_version SET version = ?`, 99); err != nil {
		t.Fatal(err)
	}
	db.Close()

	_, err = sqlitestore.Open(t.Context(), path, nil)
	if !errors.Is(err, sqlitestore.ErrSchemaTooNew) {
		t.Fatalf("Open of a newer schema: %v, want ErrSchemaTooNew", err)
	}
	for _, want := range []string{"version 99", fmt.Sprintf("up to %d", sqlitestore.SchemaVersion), path} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestBadPath(t *testing.T) {
	for _, path := range []string{"", "a?b", filepath.Join(t.TempDir(), "no", "such", "dir", "s.db")} {
		if s, err := sqlitestore.Open(t.Context(), path, nil); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", path)
		} else if !strings.HasPrefix(err.Error(), "sqlitestore: ") {
			t.Errorf("Open(%q): %v: want the package prefix", path, err)
		}
	}
}

// TestTwoHandles shares one file between two Stores, as two processes
// would: concurrent AddTrial calls through both get distinct numbers.
func TestTwoHandles(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "study.db")
	a, b := open(t, path), open(t, path)
	defer a.Close()
	defer b.Close()
	if err := a.CreateStudy(ctx, search.StudyInfo{Name: "s", Objectives: []search.Metric{{Name: "acc"}}}); err != nil {
		t.Fatal(err)
	}
	storetest.AddConcurrently(t, []search.Store{a, b}, "s", 8, 15)
	for _, name := range []string{"p", "r"} {
		if err := a.CreateStudy(ctx, search.StudyInfo{Name: name, Objectives: []search.Metric{{Name: "acc"}}}); err != nil {
			t.Fatal(err)
		}
	}
	storetest.ProposeConcurrently(t, []search.Store{a, b}, "p", 4, 10)
	storetest.ReclaimConcurrently(t, []search.Store{a, b}, "p", 4, 40)
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Errorf("the database is not in WAL mode: %v", err)
	}
}

// TestMigrationKeepsTrials opens a database of schema version 1 with a
// study in it: the migrations keep its trials, and they show as changes
// to a first Propose.
func TestMigrationKeepsTrials(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	stmts := append([]string{`CREATE TABLE schema_version (version INTEGER NOT NULL)`, `INSERT INTO schema_version VALUES (1)`},
		sqlitestore.Migrations[0]...)
	stmts = append(stmts, `INSERT INTO studies (name, objectives) VALUES ('old', '[{"name":"acc","direction":"maximize"}]')`,
		`INSERT INTO trials (study, number, dna, dna_text, state, error, attempt, worker) VALUES ('old', 0, '[0,[]]', '[0]', 'completed', '', 1, 'w')`)
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	s := open(t, path)
	defer s.Close()
	var seen []int
	if _, _, err := s.Propose(t.Context(), "old", -1, func(ch []search.TrialRecord, _ int64) (*search.TrialRecord, error) {
		for _, r := range ch {
			seen = append(seen, r.Number)
		}
		return nil, nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0] != 0 {
		t.Errorf("changes of the migrated study: %v, want [0]", seen)
	}
}
