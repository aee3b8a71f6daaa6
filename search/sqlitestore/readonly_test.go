package sqlitestore_test

import (
	"bytes"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/sqlitestore"
)

var readOnly = &sqlitestore.Options{ReadOnly: true}

// studyFile writes a database holding study s with one completed trial,
// closed, and returns its path.
func studyFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "study.db")
	s := open(t, path)
	ctx := t.Context()
	if err := s.CreateStudy(ctx, search.StudyInfo{Name: "s", Objectives: []search.Metric{{Name: "acc", Direction: search.Maximize}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTrial(ctx, "s", search.TrialRecord{DNAText: "[0]", State: search.Completed, Metrics: search.Metrics{"acc": 0.5}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReadOnlyReads: a store opened read-only reads what the file holds,
// every write fails, and the file is left as it was.
func TestReadOnlyReads(t *testing.T) {
	path := studyFile(t)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	s, err := sqlitestore.Open(ctx, path, readOnly)
	if err != nil {
		t.Fatal(err)
	}
	studies, err := s.Studies(ctx)
	if err != nil || len(studies) != 1 || studies[0].Name != "s" {
		t.Fatalf("Studies: %v, %v", studies, err)
	}
	trials, err := s.Trials(ctx, "s")
	if err != nil || len(trials) != 1 || trials[0].Metrics["acc"] != 0.5 {
		t.Fatalf("Trials: %v, %v", trials, err)
	}
	writes := map[string]func() error{
		"CreateStudy": func() error {
			return s.CreateStudy(ctx, search.StudyInfo{Name: "t", Objectives: []search.Metric{{Name: "acc"}}})
		},
		"AddTrial": func() error {
			_, err := s.AddTrial(ctx, "s", search.TrialRecord{DNAText: "[1]", State: search.Running})
			return err
		},
		"DeleteStudy": func() error { return s.DeleteStudy(ctx, "s") },
	}
	for name, write := range writes {
		if err := write(); err == nil {
			t.Errorf("%s on a read-only store succeeded", name)
		} else if !strings.HasPrefix(err.Error(), "sqlitestore: ") {
			t.Errorf("%s: %v: want the package prefix", name, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the read-only store changed the database file")
	}
}

// setVersion sets a database's schema version by hand.
func setVersion(t *testing.T, path string, v int) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE schema_version SET version = ?`, v); err != nil {
		t.Fatal(err)
	}
}

// version reads a database's schema version.
func version(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow(`SELECT MAX(version) FROM schema_version`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestReadOnlyRefuses: a read-only open neither creates nor migrates: a
// missing file, one without the schema and one of another schema
// version are refused, each as it is.
func TestReadOnlyRefuses(t *testing.T) {
	t.Run("missing file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "none.db")
		if _, err := sqlitestore.Open(t.Context(), path, readOnly); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open: %v, want fs.ErrNotExist", err)
		}
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("the read-only open created the file: %v", err)
		}
	})
	t.Run("no schema", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "empty.db")
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := sqlitestore.Open(t.Context(), path, readOnly); !errors.Is(err, sqlitestore.ErrSchemaTooOld) || !strings.Contains(err.Error(), "no goglove schema") {
			t.Errorf("Open: %v, want ErrSchemaTooOld: no goglove schema", err)
		}
	})
	t.Run("older schema", func(t *testing.T) {
		path := studyFile(t)
		setVersion(t, path, 1)
		_, err := sqlitestore.Open(t.Context(), path, readOnly)
		if !errors.Is(err, sqlitestore.ErrSchemaTooOld) || !strings.Contains(err.Error(), "schema version 1") || !strings.Contains(err.Error(), "open it once read-write") {
			t.Errorf("Open: %v, want ErrSchemaTooOld naming version 1 and the way out", err)
		}
		if v := version(t, path); v != 1 {
			t.Errorf("the read-only open migrated the database to version %d", v)
		}
	})
	t.Run("newer schema", func(t *testing.T) {
		path := studyFile(t)
		setVersion(t, path, 99)
		if _, err := sqlitestore.Open(t.Context(), path, readOnly); !errors.Is(err, sqlitestore.ErrSchemaTooNew) {
			t.Errorf("Open: %v, want ErrSchemaTooNew", err)
		}
	})
	t.Run("memory", func(t *testing.T) {
		if _, err := sqlitestore.Open(t.Context(), ":memory:", readOnly); err == nil {
			t.Error("a read-only :memory: database opened")
		}
	})
}

// TestReadOnlyWhileWriting: a read-only store reads a database another
// store is writing, and sees its new trials.
func TestReadOnlyWhileWriting(t *testing.T) {
	path := studyFile(t)
	ctx := t.Context()
	w := open(t, path)
	defer w.Close()
	r, err := sqlitestore.Open(ctx, path, readOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i := 1; i <= 3; i++ {
		if _, err := w.AddTrial(ctx, "s", search.TrialRecord{DNAText: "[1]", State: search.Completed, Metrics: search.Metrics{"acc": 0.1}}); err != nil {
			t.Fatal(err)
		}
		trials, err := r.Trials(ctx, "s")
		if err != nil || len(trials) != 1+i {
			t.Fatalf("after %d trials written, the read-only store reads %d: %v", 1+i, len(trials), err)
		}
	}
}
