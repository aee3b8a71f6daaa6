package proctest

import (
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestGroupMembers starts a shell with a child in a group of its own and
// finds both, then neither once they are killed and reaped.
func TestGroupMembers(t *testing.T) {
	cmd := exec.Command("/bin/sh", "-c", "sleep 30 & wait")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	var m []string
	for range 500 {
		var err error
		if m, err = GroupMembers(pgid); err != nil {
			t.Fatal(err)
		}
		if len(m) == 2 {
			break
		}
	}
	if len(m) != 2 || !strings.HasPrefix(m[0], strconv.Itoa(pgid)+" ") {
		t.Errorf("GroupMembers(%d) = %q, want the shell and its sleep", pgid, m)
	}
	syscall.Kill(-pgid, syscall.SIGKILL)
	cmd.Wait()
	for range 500 {
		if m, _ = GroupMembers(pgid); len(m) == 0 {
			return
		}
	}
	t.Errorf("after the kill the group still has %q", m)
}
