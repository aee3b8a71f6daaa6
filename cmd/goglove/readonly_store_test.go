package main

import (
	"bytes"
	"context"
	"database/sql"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// readOnlyVerbs are the verbs that only read a store.
var readOnlyVerbs = [][]string{{"studies"}, {"trials", "--study", "br"}, {"best", "--study", "br"}}

// TestReadOnlyStoreVerbs: studies, trials and best read a SQLite file
// the user may only read, in a directory the user may or may not write,
// and leave it as it was, with no -shm or -wal file (which, made with the
// file's permissions, would break the next writer).
func TestReadOnlyStoreVerbs(t *testing.T) {
	root := os.Geteuid() == 0
	var setpriv, bin string
	if root {
		// Root ignores file permissions: run the verbs as nobody.
		var err error
		if setpriv, err = exec.LookPath("setpriv"); err != nil {
			t.Skip("running as root without setpriv: cannot run as a user the file permissions apply to")
		}
		data, err := os.ReadFile(goglove(t))
		if err != nil {
			t.Fatal(err)
		}
		bin = filepath.Join(reachableDir(t), "goglove")
		if err := os.WriteFile(bin, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, layout := range []struct {
		name        string
		writableDir bool
	}{{"read-only directory", false}, {"writable directory", true}} {
		t.Run(layout.name, func(t *testing.T) {
			dir := reachableDir(t)
			cfg := writeTestFile(t, dir, "br.yaml", "study: br\nobjective: {builtin: branin}\nbudget: {trials: 3}\n")
			path := filepath.Join(dir, "s.db")
			db := "sqlite://" + path
			if code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", db); code != 0 {
				t.Fatalf("search: exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, 0o444); err != nil {
				t.Fatal(err)
			}
			switch {
			case root && layout.writableDir:
				for _, p := range []string{dir, path} {
					if err := os.Chown(p, 65534, 65534); err != nil {
						t.Fatal(err)
					}
				}
			case !root && !layout.writableDir:
				if err := os.Chmod(dir, 0o555); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.Chmod(dir, 0o755) })
			}
			for _, args := range readOnlyVerbs {
				t.Run(args[0], func(t *testing.T) {
					args := append(args, "--store", db)
					var code int
					var stdout, stderr string
					if root {
						code, stdout, stderr = runAs(t, setpriv, bin, dir, args...)
					} else {
						code, stdout, stderr = runCLI(t, t.Context(), args...)
					}
					if code != 0 || !strings.Contains(stdout, "completed") || stderr != "" {
						t.Errorf("exit %d, stdout %q, stderr %q; want 0", code, stdout, stderr)
					}
				})
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Error("a read-only verb changed the database file")
			}
			for _, suffix := range []string{"-shm", "-wal"} {
				if _, err := os.Stat(path + suffix); err == nil {
					t.Errorf("a read-only verb left %s behind", filepath.Base(path+suffix))
				}
			}
		})
	}
}

// reachableDir returns a new temporary directory that every user may
// reach and read (the test's temporary directories are private).
func reachableDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for d := dir; strings.HasPrefix(d, os.TempDir()+string(filepath.Separator)); d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runAs runs the binary bin as the user nobody, through setpriv, in dir.
func runAs(t *testing.T, setpriv, bin, dir string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(setpriv, append([]string{"--reuid=65534", "--regid=65534", "--clear-groups", bin}, args...)...)
	cmd.Stdout, cmd.Stderr, cmd.Dir = &stdout, &stderr, dir
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, stdout.String(), stderr.String()
}

// TestReadOnlyOlderSchema: a read-only verb does not upgrade a database
// of an older schema: one line, exit 2, saying how to.
func TestReadOnlyOlderSchema(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "br.yaml", "study: br\nobjective: {builtin: branin}\nbudget: {trials: 1}\n")
	path := filepath.Join(dir, "s.db")
	db := "sqlite://" + path
	if code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", db); code != 0 {
		t.Fatalf("search: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	sdb, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec(`UPDATE schema_version SET version = 1`); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	for _, args := range readOnlyVerbs {
		t.Run(args[0], func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), append(args, "--store", db)...)
			if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "schema version 1") {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and one line naming schema version 1", code, stdout, stderr)
			}
		})
	}
}

// TestReadOnlyStoreVerbsPostgres: studies, trials and best read a
// PostgreSQL study as a role that may only SELECT (GOGLOVE_TEST_POSTGRES;
// without it the test skips).
func TestReadOnlyStoreVerbsPostgres(t *testing.T) {
	base := os.Getenv("GOGLOVE_TEST_POSTGRES")
	if base == "" {
		t.Skip("GOGLOVE_TEST_POSTGRES is not set; to run the PostgreSQL tests set it to a database URL, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable (see README, Tests)")
	}
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" {
		t.Skipf("GOGLOVE_TEST_POSTGRES is not a URL: %v", err)
	}
	suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
	schema, role := "goglove_cli_ro_"+suffix, "goglove_cli_ro_"+suffix
	sch, id := pgx.Identifier{schema}.Sanitize(), pgx.Identifier{role}.Sanitize()
	conn, err := pgx.Connect(t.Context(), base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) }) // after the cleanup below
	sql := func(q string) {
		t.Helper()
		if _, err := conn.Exec(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	sql("CREATE SCHEMA " + sch)
	sql("CREATE ROLE " + id + " LOGIN")
	t.Cleanup(func() {
		for _, q := range []string{"DROP SCHEMA " + sch + " CASCADE", "DROP OWNED BY " + id, "DROP ROLE " + id} {
			if _, err := conn.Exec(context.Background(), q); err != nil {
				t.Errorf("%s: %v", q, err)
			}
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	writer := u.String()
	cfg := writeTestFile(t, t.TempDir(), "br.yaml", "study: br\nobjective: {builtin: branin}\nbudget: {trials: 3}\n")
	if code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", writer); code != 0 {
		t.Fatalf("search: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	sql("GRANT USAGE ON SCHEMA " + sch + " TO " + id)
	sql("GRANT SELECT ON ALL TABLES IN SCHEMA " + sch + " TO " + id)
	u.User = url.User(role)
	reader := u.String()
	if code, _, _ := runCLI(t, t.Context(), "studies", "rm", "br", "--yes", "--store", reader); code == 0 {
		t.Fatal("a SELECT-only role removed a study: the test cannot tell read-only opens from others")
	}
	for _, args := range readOnlyVerbs {
		t.Run(args[0], func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), append(args, "--store", reader)...)
			if code != 0 || !strings.Contains(stdout, "completed") || stderr != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 0", code, stdout, stderr)
			}
		})
	}
}
