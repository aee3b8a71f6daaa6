package search

import (
	"runtime"
	"syscall"
)

// setParentDeathSignal has the kernel kill the command (SIGKILL) when the
// thread that starts it ends; see lockStartThread.
func setParentDeathSignal(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGKILL }

// lockStartThread keeps the calling goroutine on its thread until the
// returned function is called: the parent-death signal follows the
// thread that started the command, which must live as long as the
// command, and the Go runtime ends a thread only when a goroutine locked
// to it exits locked.
func lockStartThread() (unlock func()) {
	runtime.LockOSThread()
	return runtime.UnlockOSThread
}
