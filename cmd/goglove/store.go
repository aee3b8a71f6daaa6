package main

import (
	"context"
	"net/url"
	"os"
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

// defaultStore is the store of every verb when --store is not given and
// GOGLOVE_STORE is not set: a SQLite file in the working directory, so
// that a study survives the process and can be resumed or joined.
const defaultStore = "sqlite://goglove.db"

// storeURL returns the store URL a verb uses: --store if given, else
// $GOGLOVE_STORE, else defaultStore.
func storeURL(flag string) string {
	if flag != "" {
		return flag
	}
	if env := os.Getenv("GOGLOVE_STORE"); env != "" {
		return env
	}
	return defaultStore
}

// storeFlagHelp is the --store flag's help, shared by the verbs.
const storeFlagHelp = "URL of the store: sqlite://PATH, postgres://… or mem:// (default $GOGLOVE_STORE, else " + defaultStore + ")"

// openStore opens the store a --store URL names: mem:// (nothing kept on
// disk), sqlite://PATH (a file, created if missing) or postgres://… (a
// database shared by many machines); a study found there is resumed. reg decodes the programs and configs kept in the store.
// Errors never repeat the URL, which may hold a password; they name only
// its scheme (and, for SQLite, the path).
func openStore(ctx context.Context, rawURL string, reg *symbolic.Registry) (search.Store, error) {
	return openStoreMode(ctx, "search", rawURL, reg, false)
}

// storeSource names where a verb's store URL came from, for messages:
// "--store" when the flag (given as flag) was, else "$GOGLOVE_STORE"
// when it is set, else the default store.
func storeSource(flag string) string {
	switch {
	case flag != "":
		return "--store"
	case os.Getenv("GOGLOVE_STORE") != "":
		return "$GOGLOVE_STORE"
	}
	return "the default store"
}

// openStoreMode is openStore for verb, whose --store flag is flag; with
// readOnly the store is opened for reading only (the ReadOnly options of
// sqlitestore and pgstore): a SQLite file must exist and may be one the
// user can only read, a PostgreSQL role may be one that can only SELECT,
// and nothing is written or migrated. Errors name where
// the URL came from (--store or $GOGLOVE_STORE).
func openStoreMode(ctx context.Context, verb, flag string, reg *symbolic.Registry, readOnly bool) (search.Store, error) {
	rawURL, from := storeURL(flag), storeSource(flag)
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok || !storeScheme.MatchString(scheme) {
		return nil, usageErrorf("%s: %s: want a URL such as mem:// or sqlite://goglove.db; the stores today: %s", verb, from, storesToday)
	}
	switch strings.ToLower(scheme) {
	case "mem":
		if rest != "" {
			return nil, usageErrorf("%s: %s mem://: the in-memory store takes no name or path, give mem:// alone", verb, from)
		}
		return search.NewMemStore(), nil
	case "sqlite":
		if rest == "" {
			return nil, usageErrorf("%s: %s sqlite://: give a file, as in sqlite://goglove.db", verb, from)
		}
		st, err := sqlitestore.Open(ctx, rest, &sqlitestore.Options{Registry: reg, ReadOnly: readOnly})
		if err != nil {
			return nil, err
		}
		return st, nil
	case "postgres", "postgresql":
		st, err := pgstore.Open(ctx, rawURL, &pgstore.Options{Registry: reg, ReadOnly: readOnly})
		if err != nil {
			return nil, err // pgstore's errors hide the password
		}
		return st, nil
	}
	return nil, usageErrorf("%s: %s %s://…: unknown store; the stores today: %s", verb, from, scheme, storesToday)
}

// describeStore names a store URL for messages without its password:
// the scheme and, for SQLite, the path.
func describeStore(rawURL string) string {
	scheme, rest, _ := strings.Cut(rawURL, "://")
	switch strings.ToLower(scheme) {
	case "sqlite":
		return "the SQLite file " + rest
	case "mem":
		return "memory (mem://: it ends with this process)"
	}
	return "the " + scheme + " database"
}

// redactedStoreURL returns a store URL to show in a command a user may
// copy (goglove worker --store …): the URL with its password, in the
// user part or in a password= parameter, replaced by "xxxxx" as
// pgstore's messages do, its other parameters (sslmode) kept, quoted for
// a POSIX shell when it needs it. hidden reports whether a password was
// left out.
func redactedStoreURL(rawURL string) (shown string, hidden bool) {
	shown = rawURL
	if scheme, _, _ := strings.Cut(rawURL, "://"); strings.EqualFold(scheme, "postgres") || strings.EqualFold(scheme, "postgresql") {
		u, err := url.Parse(rawURL)
		if err != nil {
			return "'<your PostgreSQL URL>'", true // not a URL: it may hold a password anywhere
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
		shown = u.String()
	}
	return shellQuote(shown), hidden
}

// shellQuote quotes s for a POSIX shell if it holds anything but
// letters, digits and the punctuation of paths and URLs.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@%+=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
