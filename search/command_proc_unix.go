//go:build unix

package search

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// On Unix, a command objective runs in a process group of its own, with a
// watchdog: a shell, the group's leader, started before the command,
// that ignores SIGTERM and blocks reading a pipe whose only writer is
// this process. When this process dies, however it dies (kill -9
// included), the kernel closes that pipe; the watchdog reads end of file
// and kills its whole group with SIGKILL, the command's children and
// grandchildren included. While the watchdog is not reaped the group's
// id cannot be reused, so signalling the group never reaches another
// process; it is reaped only after the group's last signal.
//
// On Linux, the command itself also has a parent-death signal (SIGKILL),
// so the kernel ends it directly when the thread that started it ends;
// runCommand holds that thread (runtime.LockOSThread) until the command
// has exited, so the signal comes only when this process dies.
const watchdogScript = `trap '' TERM INT HUP; read x; kill -9 0`

// terminateSignal asks a process to end.
var terminateSignal os.Signal = syscall.SIGTERM

// procGroup is a command's process group and its watchdog.
type procGroup struct {
	pgid     int
	watchdog *exec.Cmd
	lifeline *os.File // the pipe's write end; closing it ends the group
}

// startGroup starts the watchdog, then cmd in the watchdog's group.
func startGroup(cmd *exec.Cmd) (*procGroup, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("watchdog pipe: %w", err)
	}
	wd := exec.Command("/bin/sh", "-c", watchdogScript)
	wd.Stdin = r
	wd.Env = []string{"PATH=/usr/bin:/bin"}
	wd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = wd.Start()
	r.Close()
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("watchdog: %w", err)
	}
	g := &procGroup{pgid: wd.Process.Pid, watchdog: wd, lifeline: w}
	attr := &syscall.SysProcAttr{Setpgid: true, Pgid: g.pgid}
	setParentDeathSignal(attr)
	cmd.SysProcAttr = attr
	if err := cmd.Start(); err != nil {
		g.kill()
		g.release()
		return nil, err
	}
	return g, nil
}

// term asks every process of the group to end (SIGTERM); the watchdog
// ignores it.
func (g *procGroup) term() { syscall.Kill(-g.pgid, syscall.SIGTERM) }

// kill ends every process of the group (SIGKILL), the watchdog included.
func (g *procGroup) kill() { syscall.Kill(-g.pgid, syscall.SIGKILL) }

// release closes the lifeline (a watchdog still alive ends its group)
// and reaps the watchdog. Call it once, after kill: the group's id may be
// reused afterwards.
func (g *procGroup) release() {
	g.lifeline.Close()
	g.watchdog.Wait()
}
