//go:build windows

package cache

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// fileLocks tells the package documentation's truth: processes exclude
// each other here.
const fileLocks = true

// tryLock takes an exclusive LockFileEx lock on the first byte of f
// without waiting and reports whether it got it.
func tryLock(f *os.File) (bool, error) {
	var ol windows.Overlapped
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION), errors.Is(err, windows.ERROR_IO_PENDING):
		return false, nil
	}
	return false, err
}

// unlockFile releases the lock tryLock took.
func unlockFile(f *os.File) {
	var ol windows.Overlapped
	windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &ol)
}

// releaseFile releases the lock of the lock file path and removes it.
// Windows does not remove a file another process holds open, so the
// removal fails, harmlessly, while another process waits on it.
func releaseFile(path string, f *os.File) {
	unlockFile(f)
	f.Close()
	os.Remove(path)
}
