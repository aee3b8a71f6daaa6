package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/pgstore"
	"github.com/c2602f9e/goglove/search/storetest"
)

// serverURL returns the test server's URL from GOGLOVE_TEST_POSTGRES, or
// skips the test.
func serverURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("GOGLOVE_TEST_POSTGRES")
	if u == "" {
		t.Skip("GOGLOVE_TEST_POSTGRES is not set; to run the PostgreSQL tests set it to a database URL, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable (see README, Tests)")
	}
	return u
}

// withParam returns the connection string u with one more parameter.
func withParam(u, key, value string) string {
	if strings.Contains(u, "://") {
		p, err := url.Parse(u)
		if err != nil {
			panic(err)
		}
		q := p.Query()
		q.Set(key, value)
		p.RawQuery = q.Encode()
		return p.String()
	}
	return u + " " + key + "=" + value
}

// freshSchema creates a schema of its own for the test, dropped when the
// test ends, and returns it with the URL of a store in it.
func freshSchema(t *testing.T) (schema, storeURL string) {
	t.Helper()
	base := serverURL(t)
	b := make([]byte, 8)
	rand.Read(b)
	schema = "goglove_test_" + hex.EncodeToString(b)
	conn, err := pgx.Connect(t.Context(), base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	if _, err := conn.Exec(t.Context(), "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// t.Context is cancelled before cleanups run.
		conn, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema, withParam(base, "search_path", schema)
}

func open(t *testing.T, u string) *pgstore.Store {
	t.Helper()
	s, err := pgstore.Open(t.Context(), u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// exec runs one statement on the test server.
func exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), serverURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	if _, err := conn.Exec(t.Context(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

func TestConformance(t *testing.T) {
	serverURL(t)
	storetest.Run(t, func(t *testing.T) search.Store {
		_, u := freshSchema(t)
		return open(t, u)
	})
}

func TestReopen(t *testing.T) {
	_, u := freshSchema(t)
	storetest.Reopen(t, func(t *testing.T) search.Store { return open(t, u) })
}

func TestNewerSchemaRefused(t *testing.T) {
	schema, u := freshSchema(t)
	open(t, u).Close()
	exec(t, "UPDATE "+pgx.Identifier{schema, "schema_version"}.Sanitize()+" SET version = $1", 99)
	_, err := pgstore.Open(t.Context(), u, nil)
	if !errors.Is(err, pgstore.ErrSchemaTooNew) {
		t.Fatalf("Open of a newer schema: %v, want ErrSchemaTooNew", err)
	}
	wants := []string{"version 99", fmt.Sprintf("up to %d", pgstore.SchemaVersion)}
	if p, err := url.Parse(u); err == nil && p.Host != "" {
		wants = append(wants, p.Host) // the error names the database
	}
	for _, want := range wants {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

// TestConcurrentOpen opens one fresh database from many goroutines at
// once: the advisory lock lets exactly one of them migrate.
func TestConcurrentOpen(t *testing.T) {
	_, u := freshSchema(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			s, err := pgstore.Open(t.Context(), u, nil)
			if err != nil {
				t.Errorf("concurrent Open: %v", err)
				return
			}
			s.Close()
		})
	}
	wg.Wait()
}

// TestTwoPools shares one database between two Stores, as two processes
// would: concurrent AddTrial calls through both get distinct,
// consecutive numbers.
func TestTwoPools(t *testing.T) {
	ctx := t.Context()
	_, u := freshSchema(t)
	a, b := open(t, u), open(t, u)
	defer a.Close()
	defer b.Close()
	if err := a.CreateStudy(ctx, search.StudyInfo{Name: "s", Objectives: []search.Metric{{Name: "acc"}}}); err != nil {
		t.Fatal(err)
	}
	storetest.AddConcurrently(t, []search.Store{a, b}, "s", 16, 20)
	if err := a.CreateStudy(ctx, search.StudyInfo{Name: "p", Objectives: []search.Metric{{Name: "acc"}}}); err != nil {
		t.Fatal(err)
	}
	storetest.ProposeConcurrently(t, []search.Store{a, b}, "p", 8, 10)
	storetest.ReclaimConcurrently(t, []search.Store{a, b}, "p", 8, 80)
}

func TestMissingSchema(t *testing.T) {
	u := withParam(serverURL(t), "search_path", "goglove_test_no_such_schema")
	s, err := pgstore.Open(t.Context(), u, nil)
	if err == nil {
		s.Close()
		t.Fatal("Open with a search_path of no existing schema succeeded")
	}
	if !strings.HasPrefix(err.Error(), "pgstore: ") || !strings.Contains(err.Error(), "search_path") {
		t.Errorf("Open with a missing schema: %v", err)
	}
}

// TestPasswordNotInErrors checks that no error of Open shows the URL's
// password, whatever goes wrong.
func TestPasswordNotInErrors(t *testing.T) {
	const pw = "s3cr3t-Pa55"
	tests := []struct{ name, url string }{
		{"unreachable", "postgres://postgres:" + pw + "@127.0.0.1:1/test?sslmode=disable&connect_timeout=5"},
		{"bad port", "postgres://postgres:" + pw + "@127.0.0.1:notaport/test"},
		{"bad option", "postgres://postgres:" + pw + "@127.0.0.1:1/test?sslmode=bogus"},
		{"keywords", "host=127.0.0.1 port=1 user=postgres password=" + pw + " dbname=test sslmode=disable connect_timeout=5"},
		{"keywords quoted", "host=127.0.0.1 port=1 user=postgres password='" + pw + " x' sslmode=disable connect_timeout=5"},
		{"bad keywords", "host=127.0.0.1 port=x password=" + pw},
	}
	if base := os.Getenv("GOGLOVE_TEST_POSTGRES"); base != "" && strings.Contains(base, "://") {
		p, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		p.User = url.UserPassword(p.User.Username(), pw)
		p.Path = "/goglove_no_such_database"
		tests = append(tests, struct{ name, url string }{"no such database", p.String()})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := pgstore.Open(t.Context(), tc.url, nil)
			if err == nil {
				s.Close()
				t.Fatalf("Open succeeded")
			}
			if strings.Contains(err.Error(), pw) || strings.Contains(err.Error(), "Pa55") {
				t.Errorf("error shows the password: %v", err)
			}
			if !strings.HasPrefix(err.Error(), "pgstore: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			t.Log(err)
		})
	}

	// A server that accepts the password (trust authentication) and a
	// schema the binary refuses: the error names the URL, not its password.
	t.Run("newer schema", func(t *testing.T) {
		schema, u := freshSchema(t)
		if !strings.Contains(u, "://") {
			t.Skip("GOGLOVE_TEST_POSTGRES is not a URL")
		}
		open(t, u).Close()
		exec(t, "UPDATE "+pgx.Identifier{schema, "schema_version"}.Sanitize()+" SET version = 99")
		p, _ := url.Parse(u)
		p.User = url.UserPassword(p.User.Username(), pw)
		_, err := pgstore.Open(t.Context(), p.String(), nil)
		if !errors.Is(err, pgstore.ErrSchemaTooNew) {
			t.Fatalf("Open: %v, want ErrSchemaTooNew", err)
		}
		if strings.Contains(err.Error(), pw) || !strings.Contains(err.Error(), "xxxxx@") {
			t.Errorf("error %q shows the password or does not name the URL", err)
		}
	})
}
