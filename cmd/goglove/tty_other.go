//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package main

// isTTY reports whether the file descriptor fd is a terminal. Without a
// terminal check for this system, no descriptor is one: rm then needs
// --yes.
func isTTY(fd uintptr) bool { return false }
