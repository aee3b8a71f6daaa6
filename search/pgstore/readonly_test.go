package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/pgstore"
)

var readOnly = &pgstore.Options{ReadOnly: true}

// studySchema creates a fresh schema holding study s with one completed
// trial and returns its name and URL.
func studySchema(t *testing.T) (schema, storeURL string) {
	t.Helper()
	schema, u := freshSchema(t)
	s := open(t, u)
	defer s.Close()
	ctx := t.Context()
	if err := s.CreateStudy(ctx, search.StudyInfo{Name: "s", Objectives: []search.Metric{{Name: "acc", Direction: search.Maximize}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTrial(ctx, "s", search.TrialRecord{DNAText: "[0]", State: search.Completed, Metrics: search.Metrics{"acc": 0.5}}); err != nil {
		t.Fatal(err)
	}
	return schema, u
}

// checkReads reads study s through a read-only store and checks that
// its writes fail.
func checkReads(t *testing.T, s *pgstore.Store) {
	t.Helper()
	ctx := t.Context()
	trials, err := s.Trials(ctx, "s")
	if err != nil || len(trials) != 1 || trials[0].Metrics["acc"] != 0.5 {
		t.Fatalf("Trials: %v, %v", trials, err)
	}
	if studies, err := s.Studies(ctx); err != nil || len(studies) != 1 {
		t.Fatalf("Studies: %v, %v", studies, err)
	}
	if err := s.CreateStudy(ctx, search.StudyInfo{Name: "t", Objectives: []search.Metric{{Name: "acc"}}}); err == nil {
		t.Error("CreateStudy on a read-only store succeeded")
	}
	if _, err := s.AddTrial(ctx, "s", search.TrialRecord{DNAText: "[1]", State: search.Running}); err == nil {
		t.Error("AddTrial on a read-only store succeeded")
	}
	if err := s.DeleteStudy(ctx, "s"); err == nil {
		t.Error("DeleteStudy on a read-only store succeeded")
	}
	if trials, err := s.Trials(ctx, "s"); err != nil || len(trials) != 1 {
		t.Errorf("after the writes refused, Trials: %d, %v; want the 1 trial", len(trials), err)
	}
}

func TestReadOnlyReads(t *testing.T) {
	_, u := studySchema(t)
	s, err := pgstore.Open(t.Context(), u, readOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkReads(t, s)
}

// TestReadOnlyRole: a role that may only SELECT cannot open the store to
// write (the schema check creates tables) but reads it read-only.
func TestReadOnlyRole(t *testing.T) {
	schema, u := studySchema(t)
	b := make([]byte, 6)
	rand.Read(b)
	role := "goglove_ro_" + hex.EncodeToString(b)
	id := pgx.Identifier{role}.Sanitize()
	sch := pgx.Identifier{schema}.Sanitize()
	exec(t, "CREATE ROLE "+id+" LOGIN")
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), serverURL(t))
		if err != nil {
			t.Errorf("drop role %s: %v", role, err)
			return
		}
		defer conn.Close(context.Background())
		for _, q := range []string{"DROP OWNED BY " + id, "DROP ROLE " + id} {
			if _, err := conn.Exec(context.Background(), q); err != nil {
				t.Errorf("%s: %v", q, err)
			}
		}
	})
	exec(t, "GRANT USAGE ON SCHEMA "+sch+" TO "+id)
	exec(t, "GRANT SELECT ON ALL TABLES IN SCHEMA "+sch+" TO "+id)
	p, err := url.Parse(u)
	if err != nil || p.Scheme == "" {
		t.Skipf("GOGLOVE_TEST_POSTGRES is not a URL: %v", err)
	}
	p.User = url.User(role)
	ru := p.String()
	if s, err := pgstore.Open(t.Context(), ru, nil); err == nil {
		s.Close()
		t.Skip("the server let a SELECT-only role open the store to write (it trusts more than granted)")
	}
	s, err := pgstore.Open(t.Context(), ru, readOnly)
	if err != nil {
		if strings.Contains(err.Error(), "authentication") {
			t.Skipf("the test server does not let a new role log in without a password: %v", err)
		}
		t.Fatalf("read-only Open as a SELECT-only role: %v", err)
	}
	defer s.Close()
	checkReads(t, s)
}

// TestReadOnlyRefuses: a read-only open does not create or migrate the
// schema: one without tables, and one of another version, are refused.
func TestReadOnlyRefuses(t *testing.T) {
	t.Run("no schema", func(t *testing.T) {
		_, u := freshSchema(t)
		if _, err := pgstore.Open(t.Context(), u, readOnly); !errors.Is(err, pgstore.ErrSchemaTooOld) || !strings.Contains(err.Error(), "no goglove schema") {
			t.Errorf("Open: %v, want ErrSchemaTooOld: no goglove schema", err)
		}
	})
	t.Run("older schema", func(t *testing.T) {
		schema, u := studySchema(t)
		exec(t, "UPDATE "+pgx.Identifier{schema, "schema_version"}.Sanitize()+" SET version = 1")
		_, err := pgstore.Open(t.Context(), u, readOnly)
		if !errors.Is(err, pgstore.ErrSchemaTooOld) || !strings.Contains(err.Error(), "schema version 1") {
			t.Errorf("Open: %v, want ErrSchemaTooOld naming version 1", err)
		}
	})
	t.Run("newer schema", func(t *testing.T) {
		schema, u := studySchema(t)
		exec(t, "UPDATE "+pgx.Identifier{schema, "schema_version"}.Sanitize()+" SET version = 99")
		if _, err := pgstore.Open(t.Context(), u, readOnly); !errors.Is(err, pgstore.ErrSchemaTooNew) {
			t.Errorf("Open: %v, want ErrSchemaTooNew", err)
		}
	})
}
