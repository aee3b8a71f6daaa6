package storeurl

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/sqlitestore"
)

func TestOpenRefusesURLs(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.db")
	tests := []struct {
		name, url string
		opts      *Options
		want      URLError
	}{
		{"no scheme", "goglove.db", nil, URLError{Reason: "want a URL such as mem:// or sqlite://goglove.db; the stores today: " + Schemes}},
		{"bad scheme", "1x://a", nil, URLError{Reason: "want a URL such as mem:// or sqlite://goglove.db; the stores today: " + Schemes}},
		{"mem with a name", "mem://x", nil, URLError{URL: "mem://", Reason: "the in-memory store takes no name or path, give mem:// alone"}},
		{"sqlite without a file", "sqlite://", nil, URLError{URL: "sqlite://", Reason: "give a file, as in sqlite://goglove.db"}},
		{"unknown store with a password", "redis://:s3cret@cache/0", nil, URLError{URL: "redis://…", Reason: "unknown store; the stores today: " + Schemes}},
		{"missing file that must exist", "sqlite://" + missing + "?cache=shared", &Options{MustExist: true}, URLError{Reason: "no SQLite file " + missing}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := Open(t.Context(), tt.url, tt.opts)
			if st != nil {
				st.Close()
			}
			var ue *URLError
			if !errors.As(err, &ue) || *ue != tt.want {
				t.Fatalf("Open(%q) = %v (%#v), want %#v", tt.url, err, err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") || !strings.HasPrefix(err.Error(), "storeurl: ") {
				t.Errorf("error %q: want a storeurl: error without the password", err)
			}
		})
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("MustExist created %s (stat: %v)", missing, err)
	}
}

func TestOpenStores(t *testing.T) {
	dir := t.TempDir()
	t.Run("mem", func(t *testing.T) {
		for _, u := range []string{"mem://", "MEM://"} {
			st, err := Open(t.Context(), u, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := st.(*search.MemStore); !ok {
				t.Errorf("Open(%q) = %T, want *search.MemStore", u, st)
			}
			st.Close()
		}
	})
	db := filepath.Join(dir, "a.db")
	t.Run("sqlite creates the file", func(t *testing.T) {
		st, err := Open(t.Context(), "sqlite://"+db, &Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := st.(*sqlitestore.Store); !ok {
			t.Errorf("Open = %T, want *sqlitestore.Store", st)
		}
		st.Close()
		if _, err := os.Stat(db); err != nil {
			t.Errorf("no file after Open: %v", err)
		}
	})
	t.Run("sqlite read-only of a file that exists", func(t *testing.T) {
		st, err := Open(t.Context(), "sqlite://"+db, &Options{ReadOnly: true, MustExist: true})
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
	})
	t.Run("sqlite read-only of a missing file fails in sqlitestore", func(t *testing.T) {
		st, err := Open(t.Context(), "sqlite://"+filepath.Join(dir, "b.db"), &Options{ReadOnly: true})
		var ue *URLError
		if err == nil || errors.As(err, &ue) {
			if st != nil {
				st.Close()
			}
			t.Fatalf("Open = %v, want the store's error", err)
		}
	})
}

func TestDescribe(t *testing.T) {
	tests := []struct{ url, want string }{
		{"sqlite://goglove.db", "the SQLite file goglove.db"},
		{"SQLite://a/b.db", "the SQLite file a/b.db"},
		{"mem://", "memory (mem://: it ends with this process)"},
		{"postgres://alice:s3cret@db/g", "the postgres database"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			if got := Describe(tt.url); got != tt.want {
				t.Errorf("Describe(%q) = %q, want %q", tt.url, got, tt.want)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct {
		url, want string
		hidden    bool
	}{
		{"sqlite://my studies/a.db", "sqlite://my studies/a.db", false},
		{"mem://", "mem://", false},
		{"postgres://alice@db.example/goglove", "postgres://alice@db.example/goglove", false},
		{"postgres://alice:s3cret@db.example:5432/goglove?sslmode=disable", "postgres://alice:xxxxx@db.example:5432/goglove?sslmode=disable", true},
		{"postgresql://db.example/g?password=s3cret&sslmode=require", "postgresql://db.example/g?password=xxxxx&sslmode=require", true},
		{"POSTGRES://a:s3cret@h/g", "postgres://a:xxxxx@h/g", true},
		{"postgres://a:b@[::1", "<your PostgreSQL URL>", true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			got, hidden := Redact(tt.url)
			if got != tt.want || hidden != tt.hidden || strings.Contains(got, "s3cret") {
				t.Errorf("Redact = %q, %v; want %q, %v", got, hidden, tt.want, tt.hidden)
			}
		})
	}
}
