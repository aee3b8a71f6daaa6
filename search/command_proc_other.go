//go:build !unix

package search

import (
	"os"
	"os/exec"
)

// terminateSignal asks a process to end: without Unix signals, it kills.
var terminateSignal = os.Kill

// Without Unix process groups, a command objective is one process:
// ending it ends it alone, and its children may outlive it.
type procGroup struct{ cmd *exec.Cmd }

// startGroup starts cmd.
func startGroup(cmd *exec.Cmd) (*procGroup, error) {
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &procGroup{cmd: cmd}, nil
}

// term ends the command: there is no gentler signal to send.
func (g *procGroup) term() { g.cmd.Process.Kill() }

// kill ends the command.
func (g *procGroup) kill() { g.cmd.Process.Kill() }

// release does nothing.
func (g *procGroup) release() {}

// lockStartThread does nothing without a parent-death signal.
func lockStartThread() (unlock func()) { return func() {} }
