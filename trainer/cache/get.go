package cache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

// Get returns the entry for key and marks it as used now (by setting its
// file's modification time, which eviction goes by, when the file may be
// written). With no entry the error
// wraps ErrMiss. An entry that cannot be read as a checkpoint (truncated,
// a checksum mismatch, a malformed header) is removed and the error wraps
// ErrCorrupt and names the file; other errors (a file that may not be
// read, say) leave the entry alone.
func (c *Cache) Get(key string) (*checkpoint.Checkpoint, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	path := c.Path(key)
	ckpt, err := checkpoint.ReadFile(path)
	if err != nil {
		return nil, c.readError(key, path, err)
	}
	now := time.Now()
	os.Chtimes(path, now, now) // best effort: a cache one may only read still serves
	return ckpt, nil
}

// readError classifies an error of checkpoint.ReadFile on the entry path:
// a missing file is a miss, an error of the file system is returned as it
// is, any other error means a corrupt entry, which is removed.
func (c *Cache) readError(key, path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w for key %s (file %s)", ErrMiss, key, path)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cache: reading %s: %w", path, err)
	}
	rm := os.Remove(path)
	if rm != nil && !errors.Is(rm, fs.ErrNotExist) {
		return &corruptError{path: path, err: err, rm: rm}
	}
	return &corruptError{path: path, err: err}
}

// corruptError is the error of Get for a corrupt entry: it wraps
// ErrCorrupt and the reading error.
type corruptError struct {
	path string
	err  error // why the file cannot be read
	rm   error // why it could not be removed, if it could not
}

func (e *corruptError) Error() string {
	msg := strings.TrimPrefix(e.err.Error(), "checkpoint: ")
	msg = strings.TrimSuffix(msg, " (file "+e.path+")")
	if e.rm != nil {
		return fmt.Sprintf("%s %s (%s); removing it failed: %v", ErrCorrupt, e.path, msg, unwrapPath(e.rm))
	}
	return fmt.Sprintf("%s %s removed (%s)", ErrCorrupt, e.path, msg)
}

func (e *corruptError) Unwrap() []error { return []error{ErrCorrupt, e.err} }

// unwrapPath returns the error inside a *fs.PathError, for messages that
// name the path already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
