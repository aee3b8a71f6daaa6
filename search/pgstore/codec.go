package pgstore

import "time"

// Rows are encoded by package storecodec (shared with sqlitestore); JSON
// columns take its []byte values as they are (nil is NULL), and times
// are timestamptz to the microsecond, NULL for the zero time.

func encodeTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.Truncate(time.Microsecond).UTC()
	return &t
}

func decodeTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
