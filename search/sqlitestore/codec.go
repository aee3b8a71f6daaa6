package sqlitestore

import (
	"database/sql"
	"time"
)

// Rows are encoded by package storecodec (shared with pgstore); these
// helpers map its values to SQLite's column types.

// nullString maps encoded JSON to a TEXT column; nil is NULL.
func nullString(b []byte) sql.NullString {
	if b == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: string(b), Valid: true}
}

// bytesOf maps a TEXT column back; NULL is nil.
func bytesOf(s sql.NullString) []byte {
	if !s.Valid {
		return nil
	}
	return []byte(s.String)
}

// Times are kept as microseconds since the Unix epoch, UTC; the zero
// time is NULL.

func encodeTime(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

func decodeTime(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}
