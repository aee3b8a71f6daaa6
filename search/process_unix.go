//go:build unix

package search

import "syscall"

// processGone reports whether no process of this host has the id pid.
func processGone(pid int) bool { return syscall.Kill(pid, 0) == syscall.ESRCH }
