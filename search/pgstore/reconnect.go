package pgstore

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// openRetryFor is how long Open keeps trying when the server drops the
// connection it opened (a restart, an administrator terminating
// backends): long enough to ride out a restart, short enough that a
// server that is really gone is reported.
const openRetryFor = 30 * time.Second

// retryOpen runs prepare (migrate, or checkSchema for a read-only
// store), trying again with backoff while it fails because the server
// ended the connection under it. A server that refuses connections, a
// wrong password or a bad database name fail at once: those are answers,
// not accidents.
func retryOpen(ctx context.Context, pool *pgxpool.Pool, prepare func(context.Context, *pgxpool.Pool) error) error {
	start := time.Now()
	wait := 50 * time.Millisecond
	for {
		err := prepare(ctx, pool)
		if err == nil || !droppedConnection(err) || ctx.Err() != nil || time.Since(start)+wait > openRetryFor {
			return err
		}
		t := time.NewTimer(wait/2 + rand.N(wait/2+1))
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// readRetries is how many times a read is tried when the server ended
// the pooled connection it went out on.
const readRetries = 3

// readRetrying runs a read, trying it again on a fresh connection when
// the server had ended the one it went out on: a pooled connection a
// restart or an administrator terminated is found dead only when it is
// used, and a read is safe to repeat. Other errors, and a dropped
// connection that persists, are returned as they are (the search loop
// retries those with backoff).
func readRetrying[T any](ctx context.Context, read func() (T, error)) (T, error) {
	for try := 1; ; try++ {
		v, err := read()
		if err == nil || try == readRetries || !droppedConnection(err) || ctx.Err() != nil {
			return v, err
		}
	}
}

// droppedConnection reports whether err says that an established
// connection ended: the server terminated the backend or is shutting
// down (SQLSTATE class 57P), or the connection was reset or closed.
func droppedConnection(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "57P01", "57P02", "57P03": // admin shutdown, crash shutdown, cannot connect now
			return true
		}
		return false
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
