package sqlitestore_test

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/sqlitestore"
	"github.com/c2602f9e/goglove/search/storetest"
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
	path := filepath.Join(t.TempDir(), "study.db")
	storetest.Reopen(t, func(t *testing.T) search.Store { return open(t, path) })
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
