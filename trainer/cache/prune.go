package cache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// StaleAge is how old a temporary file (left by a writer that crashed) or
// a lock file (left by a process that died holding it) must be before
// Prune removes it.
const StaleAge = time.Hour

// Remove removes the entry for key. With no entry the error wraps ErrMiss.
func (c *Cache) Remove(key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	path := c.Path(key)
	if err := os.Remove(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w for key %s (file %s)", ErrMiss, key, path)
	} else if err != nil {
		return fmt.Errorf("cache: removing %s: %w", path, unwrapPath(err))
	}
	return nil
}

// Resolve returns the key of the one entry whose key starts with prefix,
// which must hold at least 2 lower-case hex digits (a whole key is its own
// prefix). With no such entry the error wraps ErrMiss, with several
// ErrAmbiguous; both name the prefix.
func (c *Cache) Resolve(prefix string) (string, error) {
	if len(prefix) < 2 || len(prefix) > keyLen || !isHex(prefix) {
		return "", fmt.Errorf("cache: key prefix %q is not 2 to %d lower-case hex digits", prefix, keyLen)
	}
	files, err := os.ReadDir(filepath.Join(c.Dir, prefix[:2]))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("cache: %w", err)
	}
	var found []string
	for _, f := range files {
		key, ok := strings.CutSuffix(f.Name(), entrySuffix)
		if ok && checkKey(key) == nil && strings.HasPrefix(key, prefix) && f.Type().IsRegular() {
			found = append(found, key)
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("%w with a key starting %s in %s", ErrMiss, prefix, c.Dir)
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("%w %s: %d entries have keys starting with it (%s, %s, …)", ErrAmbiguous, prefix, len(found), found[0][:12], found[1][:12])
}

// Prune removes temporary and lock files older than StaleAge, then the
// least recently used entries while the total size of the entries exceeds
// maxBytes, and returns the entries it removed, least recently used
// first. Prune(0) removes every entry; a negative maxBytes removes none,
// only the stale files.
func (c *Cache) Prune(maxBytes int64) (removed []Entry, err error) {
	if err := c.removeStale(time.Now().Add(-StaleAge)); err != nil {
		return nil, err
	}
	if maxBytes < 0 {
		return nil, nil
	}
	return c.evict(maxBytes, "")
}

// removeStale removes the temporary files last modified before cutoff,
// and the lock files as old that no process holds.
func (c *Cache) removeStale(cutoff time.Time) error {
	shards, err := os.ReadDir(c.Dir)
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	for _, s := range shards {
		if !s.IsDir() || len(s.Name()) != 2 || !isHex(s.Name()) {
			continue
		}
		dir := filepath.Join(c.Dir, s.Name())
		files, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return fmt.Errorf("cache: %w", err)
		}
		for _, f := range files {
			name := f.Name()
			isTemp := strings.HasPrefix(name, ".") && strings.Contains(name, entrySuffix+".tmp")
			isLock := strings.HasPrefix(name, ".") && strings.HasSuffix(name, lockSuffix)
			if !isTemp && !isLock || !f.Type().IsRegular() {
				continue
			}
			info, err := f.Info()
			if err != nil || !info.ModTime().Before(cutoff) {
				continue // gone meanwhile, or in use
			}
			path := filepath.Join(dir, name)
			if isLock {
				err = removeLockFile(path)
			} else {
				err = os.Remove(path)
			}
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("cache: removing the stale file %s: %w", path, unwrapPath(err))
			}
		}
	}
	return nil
}

// removeLockFile removes the lock file path unless a process holds its
// lock.
func removeLockFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	ok, err := tryLock(f)
	if err != nil || !ok {
		f.Close()
		return err
	}
	if same, _ := isFileAt(f, path); same {
		releaseFile(path, f)
		return nil
	}
	unlockFile(f)
	f.Close()
	return nil
}
