package sqlitestore_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/c2602f9e/goglove/search/sqlitestore"
)

// TestNewFileIsPrivate: a store file Open creates is readable and
// writable by its owner alone, and so are SQLite's files beside it; an
// existing file keeps its permissions.
func TestNewFileIsPrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.db")
	st, err := sqlitestore.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, name := range []string{"s.db", "s.db-wal", "s.db-shm"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %v, want -rw-------", name, perm)
		}
	}
	shared := filepath.Join(dir, "shared.db")
	if err := os.WriteFile(shared, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	os.Chmod(shared, 0o640)
	st2, err := sqlitestore.Open(t.Context(), shared, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if fi, _ := os.Stat(shared); fi.Mode().Perm() != 0o640 {
		t.Errorf("an existing file's mode changed to %v", fi.Mode().Perm())
	}
}
