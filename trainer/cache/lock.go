package cache

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// keyLock is the exclusive lock of one key: the in-process lock of its
// lock file, which orders the goroutines of this process, and an
// operating-system lock on the file, which orders the processes.
type keyLock struct {
	path string
	f    *os.File
}

// local serialises the goroutines of this process that lock the same lock
// file, so that only one of them at a time waits for the file lock.
var local = struct {
	sync.Mutex
	m map[string]*localLock
}{m: map[string]*localLock{}}

// localLock is a one-token semaphore and the number of goroutines that
// hold or wait for it.
type localLock struct {
	token chan struct{}
	users int
}

// acquireLocal takes the in-process lock of path, or returns ctx's error.
func acquireLocal(ctx context.Context, path string) error {
	local.Lock()
	l := local.m[path]
	if l == nil {
		l = &localLock{token: make(chan struct{}, 1)}
		local.m[path] = l
	}
	l.users++
	local.Unlock()
	select {
	case l.token <- struct{}{}:
		return nil
	case <-ctx.Done():
		releaseLocalUser(path, l)
		return ctx.Err()
	}
}

// releaseLocal gives up the in-process lock of path.
func releaseLocal(path string) {
	local.Lock()
	l := local.m[path]
	local.Unlock()
	<-l.token
	releaseLocalUser(path, l)
}

// releaseLocalUser drops one user of l, forgetting it when none is left.
func releaseLocalUser(path string, l *localLock) {
	local.Lock()
	if l.users--; l.users == 0 {
		delete(local.m, path)
	}
	local.Unlock()
}

// Polling bounds of the file lock: a process waiting for another retries
// after minPoll, doubling up to maxPoll.
const (
	minPoll = 2 * time.Millisecond
	maxPoll = 50 * time.Millisecond
)

// lock takes the exclusive lock of key, waiting while another goroutine or
// process holds it, until ctx is done.
func (c *Cache) lock(ctx context.Context, key string) (*keyLock, error) {
	path := c.lockPath(key)
	if err := acquireLocal(ctx, path); err != nil {
		return nil, err
	}
	f, err := lockFile(ctx, path)
	if err != nil {
		releaseLocal(path)
		return nil, err
	}
	return &keyLock{path: path, f: f}, nil
}

// unlock releases the lock and removes its file.
func (l *keyLock) unlock() {
	releaseFile(l.path, l.f)
	releaseLocal(l.path)
}

// lockFile opens (creating it) and locks the lock file path. The holder
// removes the file when it unlocks, so a process that locked a file which
// is no longer the one at path (removed, or replaced since it opened it)
// lets go and tries again.
func lockFile(ctx context.Context, path string) (*os.File, error) {
	wait := minPoll
	for {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("cache: lock: %w", err)
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("cache: lock: %w", err)
		}
		for {
			ok, err := tryLock(f)
			if err != nil {
				f.Close()
				return nil, fmt.Errorf("cache: lock %s: %w", path, err)
			}
			if ok {
				break
			}
			select {
			case <-ctx.Done():
				f.Close()
				return nil, ctx.Err()
			case <-time.After(wait):
			}
			wait = min(2*wait, maxPoll)
		}
		same, err := isFileAt(f, path)
		if same {
			return f, nil
		}
		unlockFile(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("cache: lock: %w", err)
		}
	}
}

// isFileAt reports whether the open file f is the file at path; a missing
// path is no error.
func isFileAt(f *os.File, path string) (bool, error) {
	held, err := f.Stat()
	if err != nil {
		return false, err
	}
	now, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return os.SameFile(held, now), nil
}
