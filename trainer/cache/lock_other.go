//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd || solaris || windows)

package cache

import "os"

// fileLocks is false here: the platform has no file lock the package
// uses, so only the goroutines of one process exclude each other.
const fileLocks = false

// tryLock always succeeds: the in-process lock is the only one.
func tryLock(*os.File) (bool, error) { return true, nil }

// unlockFile does nothing.
func unlockFile(*os.File) {}

// releaseFile removes the lock file path.
func releaseFile(path string, f *os.File) {
	f.Close()
	os.Remove(path)
}
