//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd || solaris

package cache

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// fileLocks tells the package documentation's truth: processes exclude
// each other here.
const fileLocks = true

// tryLock takes an exclusive flock(2) lock on f without waiting and
// reports whether it got it. flock locks belong to the open file, so two
// opens of one file exclude each other even within a process.
func tryLock(f *os.File) (bool, error) {
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, unix.EWOULDBLOCK):
			return false, nil
		case errors.Is(err, unix.EINTR):
			continue
		}
		return false, err
	}
}

// unlockFile releases the lock tryLock took.
func unlockFile(f *os.File) { unix.Flock(int(f.Fd()), unix.LOCK_UN) }

// releaseFile removes the lock file path and releases its lock: removed
// first, so that a process that opens path next creates a new file rather
// than locking this one.
func releaseFile(path string, f *os.File) {
	os.Remove(path)
	unlockFile(f)
	f.Close()
}
