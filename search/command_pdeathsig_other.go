//go:build unix && !linux

package search

import "syscall"

// setParentDeathSignal does nothing: only Linux has a parent-death signal
// that os/exec sets; the watchdog ends the group without it.
func setParentDeathSignal(*syscall.SysProcAttr) {}

// lockStartThread does nothing without a parent-death signal.
func lockStartThread() (unlock func()) { return func() {} }
