package main

import (
	"context"
	"errors"
	"os"
	"strings"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/storeurl"
	"github.com/c2602f9e/goglove/symbolic"
)

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

// openStore opens the store a --store URL names (storeurl.Open): mem://,
// sqlite://PATH (created if missing) or postgres://…; a study found there
// is resumed. reg decodes the programs and configs kept in the store.
// Errors never repeat the URL, which may hold a password.
func openStore(ctx context.Context, rawURL string, reg *symbolic.Registry) (search.Store, error) {
	return openStoreMode(ctx, "search", rawURL, &storeurl.Options{Registry: reg})
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

// openStoreMode is openStore for verb, whose --store flag is flag, with
// the options given (storeurl.Options: ReadOnly, MustExist). A URL that
// names no store is a usage error naming where the URL came from (--store
// or $GOGLOVE_STORE).
func openStoreMode(ctx context.Context, verb, flag string, opts *storeurl.Options) (search.Store, error) {
	st, err := storeurl.Open(ctx, storeURL(flag), opts)
	var ue *storeurl.URLError
	if errors.As(err, &ue) {
		if ue.URL == "" {
			return nil, usageErrorf("%s: %s: %s", verb, storeSource(flag), ue.Reason)
		}
		return nil, usageErrorf("%s: %s %s: %s", verb, storeSource(flag), ue.URL, ue.Reason)
	}
	return st, err
}

// describeStore names a store URL for messages without its password
// (storeurl.Describe).
func describeStore(rawURL string) string { return storeurl.Describe(rawURL) }

// redactedStoreURL returns a store URL to show in a command a user may
// copy (goglove worker --store …): storeurl.Redact's URL, its password
// replaced by "xxxxx", quoted for a POSIX shell when it needs it. hidden
// reports whether a password was left out.
func redactedStoreURL(rawURL string) (shown string, hidden bool) {
	shown, hidden = storeurl.Redact(rawURL)
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
