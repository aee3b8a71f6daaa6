package main

import (
	"context"
	"regexp"
	"strings"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/pgstore"
	"github.com/c2602f9e/goglove/search/sqlitestore"
	"github.com/c2602f9e/goglove/symbolic"
)

// storeScheme matches the scheme of a URL (RFC 3986).
var storeScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*$`)

// storesToday lists the store URLs this binary opens, for error messages.
const storesToday = "mem://, sqlite://PATH, postgres://…"

// openStore opens the store a --store URL names: mem:// (nothing kept on
// disk), sqlite://PATH (a file, created if missing) or postgres://… (a
// database shared by many machines); a study found there is resumed. reg decodes the programs and configs kept in the store.
// Errors never repeat the URL, which may hold a password; they name only
// its scheme (and, for SQLite, the path).
func openStore(ctx context.Context, rawURL string, reg *symbolic.Registry) (search.Store, error) {
	if rawURL == "" {
		rawURL = "mem://"
	}
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok || !storeScheme.MatchString(scheme) {
		return nil, usageErrorf("search: --store: want a URL such as mem:// or sqlite://goglove.db; the stores today: %s", storesToday)
	}
	switch strings.ToLower(scheme) {
	case "mem":
		if rest != "" {
			return nil, usageErrorf("search: --store mem://: the in-memory store takes no name or path, give mem:// alone")
		}
		return search.NewMemStore(), nil
	case "sqlite":
		if rest == "" {
			return nil, usageErrorf("search: --store sqlite://: give a file, as in sqlite://goglove.db")
		}
		st, err := sqlitestore.Open(ctx, rest, &sqlitestore.Options{Registry: reg})
		if err != nil {
			return nil, err
		}
		return st, nil
	case "postgres", "postgresql":
		st, err := pgstore.Open(ctx, rawURL, &pgstore.Options{Registry: reg})
		if err != nil {
			return nil, err // pgstore's errors hide the password
		}
		return st, nil
	}
	return nil, usageErrorf("search: --store %s://…: unknown store; the stores today: %s", scheme, storesToday)
}
