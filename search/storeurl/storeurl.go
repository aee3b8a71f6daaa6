package storeurl

import (
	"context"
	"errors"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/pgstore"
	"github.com/c2602f9e/goglove/search/sqlitestore"
	"github.com/c2602f9e/goglove/symbolic"
)

// Schemes lists the store URLs Open opens, as its errors name them.
const Schemes = "mem://, sqlite://PATH, postgres://…"

// Options are the options of Open; nil means the zero Options.
type Options struct {
	// Registry decodes the programs and configs kept in the store; nil
	// is the stores' default.
	Registry *symbolic.Registry
	// ReadOnly opens the store for reading only (the ReadOnly options
	// of sqlitestore and pgstore): a SQLite file must exist and may be one
	// the user can only read, a PostgreSQL role may be one that can only
	// SELECT, and nothing is written or migrated.
	ReadOnly bool
	// MustExist refuses a SQLite file that does not exist (a *URLError)
	// instead of creating it.
	MustExist bool
}

// URLError is the error of Open for a URL that names no store it can
// open. Its message never holds the URL itself.
type URLError struct {
	// URL is the part of the URL the reason is about, safe to show: ""
	// when the reason is about the whole URL, else "mem://",
	// "sqlite://" or "SCHEME://…".
	URL string
	// Reason says what is wrong, in the words a user reads, e.g.
	// "give a file, as in sqlite://goglove.db".
	Reason string
}

// Error implements error: "storeurl: URL: Reason".
func (e *URLError) Error() string {
	if e.URL == "" {
		return "storeurl: " + e.Reason
	}
	return "storeurl: " + e.URL + ": " + e.Reason
}

// scheme matches the scheme of a URL (RFC 3986).
var scheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*$`)

// Open opens the store rawURL names: mem:// (nothing kept on disk),
// sqlite://PATH (a file, created if missing unless opts.MustExist) or
// postgres://… (a database shared by many machines). A URL of no such
// form is a *URLError; the stores' errors (sqlitestore.ErrSchemaTooOld,
// a file that cannot be opened, a database that cannot be reached) are
// returned as the stores return them.
func Open(ctx context.Context, rawURL string, opts *Options) (search.Store, error) {
	if opts == nil {
		opts = &Options{}
	}
	sch, rest, ok := strings.Cut(rawURL, "://")
	if !ok || !scheme.MatchString(sch) {
		return nil, &URLError{Reason: "want a URL such as mem:// or sqlite://goglove.db; the stores today: " + Schemes}
	}
	switch strings.ToLower(sch) {
	case "mem":
		if rest != "" {
			return nil, &URLError{URL: "mem://", Reason: "the in-memory store takes no name or path, give mem:// alone"}
		}
		return search.NewMemStore(), nil
	case "sqlite":
		if rest == "" {
			return nil, &URLError{URL: "sqlite://", Reason: "give a file, as in sqlite://goglove.db"}
		}
		if opts.MustExist {
			path, _, _ := strings.Cut(rest, "?")
			if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
				return nil, &URLError{Reason: "no SQLite file " + path}
			}
		}
		st, err := sqlitestore.Open(ctx, rest, &sqlitestore.Options{Registry: opts.Registry, ReadOnly: opts.ReadOnly})
		if err != nil {
			return nil, err
		}
		return st, nil
	case "postgres", "postgresql":
		st, err := pgstore.Open(ctx, rawURL, &pgstore.Options{Registry: opts.Registry, ReadOnly: opts.ReadOnly})
		if err != nil {
			return nil, err // pgstore's errors hide the password
		}
		return st, nil
	}
	return nil, &URLError{URL: sch + "://…", Reason: "unknown store; the stores today: " + Schemes}
}

// Describe names the store rawURL names, for messages, without its
// password: "the SQLite file PATH", "memory (mem://: it ends with this
// process)" or "the SCHEME database".
func Describe(rawURL string) string {
	sch, rest, _ := strings.Cut(rawURL, "://")
	switch strings.ToLower(sch) {
	case "sqlite":
		return "the SQLite file " + rest
	case "mem":
		return "memory (mem://: it ends with this process)"
	}
	return "the " + sch + " database"
}

// Redact returns rawURL to show a user, e.g. in a command to copy: a
// PostgreSQL URL with its password, in the user part or in a password=
// parameter, replaced by "xxxxx" as pgstore's messages do, its other
// parameters (sslmode) kept; a PostgreSQL URL that does not parse (it may
// hold a password anywhere) as "<your PostgreSQL URL>"; any other URL as
// it is. hidden reports whether a password was left out.
func Redact(rawURL string) (shown string, hidden bool) {
	sch, _, _ := strings.Cut(rawURL, "://")
	if !strings.EqualFold(sch, "postgres") && !strings.EqualFold(sch, "postgresql") {
		return rawURL, false
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "<your PostgreSQL URL>", true
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User, hidden = url.UserPassword(u.User.Username(), "xxxxx"), true
		}
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery, hidden = q.Encode(), true
	}
	return u.String(), hidden
}
