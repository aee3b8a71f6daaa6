package search

import (
	"context"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"
)

// commandSpec is how runCommand runs one command.
type commandSpec struct {
	argv  []string
	env   []string
	input []byte
	// timeout bounds the command's run (0: none).
	timeout time.Duration
	// grace is how long the processes of an ended command have between
	// SIGTERM and SIGKILL.
	grace time.Duration
	// drain is how long, once the group is killed, the output pipes are
	// read for: a process that left the group may hold them open.
	drain time.Duration
	// line, if not nil, is given each whole line of standard output as
	// it arrives (lines up to stepLineMax bytes), from one goroutine.
	line func(line []byte)
	// stop, when closed, ends the command as its timeout would.
	stop <-chan struct{}
}

// Defaults of commandSpec.
const (
	commandGrace = 5 * time.Second
	commandDrain = time.Second
)

// commandRun is what a command did.
type commandRun struct {
	// waitErr is the command's exit (nil: status 0), when it exited by
	// itself.
	waitErr error
	// exited is set when the command exited by itself; timedOut,
	// canceled and stopped (spec.stop closed) say why it was ended
	// otherwise.
	exited, timedOut, canceled, stopped bool
	stdout, stderr                      *tailBuffer
}

// runCommand runs spec's command in a process group of its own, writes
// its input to its standard input and keeps the tails of its output.
// It returns when the command has exited (then the rest of its group is
// ended), its timeout has passed, spec.stop is closed or ctx is done
// (then the whole group is ended), and not before every process of the group is gone. The error
// is one starting the command.
func runCommand(ctx context.Context, spec commandSpec) (*commandRun, error) {
	defer lockStartThread()()
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		closeAll(inR, inW, outR, outW)
		return nil, err
	}
	cmd := exec.Command(spec.argv[0], spec.argv[1:]...)
	cmd.Env = spec.env
	// *os.File streams: os/exec starts no copying goroutines of its
	// own, so Wait returns when the command exits, whoever holds the
	// pipes.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, errW
	g, err := startGroup(cmd)
	closeAll(inR, outW, errW) // the command's ends
	if err != nil {
		closeAll(inW, outR, errR)
		return nil, err
	}

	run := &commandRun{stdout: newTailBuffer(stdoutTail), stderr: newTailBuffer(stderrTail)}
	var wg sync.WaitGroup
	outDone, errDone, exited := make(chan struct{}), make(chan struct{}), make(chan struct{})
	wg.Add(4)
	var stdout io.Writer = run.stdout
	if spec.line != nil {
		stdout = io.MultiWriter(run.stdout, &lineWriter{max: stepLineMax, fn: spec.line})
	}
	go func() { defer wg.Done(); defer close(outDone); copyQuietly(stdout, outR) }()
	go func() { defer wg.Done(); defer close(errDone); copyQuietly(run.stderr, errR) }()
	go func() {
		defer wg.Done()
		inW.Write(spec.input) // a command need not read it all
		inW.Close()
	}()
	var waitErr error
	go func() { defer wg.Done(); waitErr = cmd.Wait(); close(exited) }()

	var deadline <-chan time.Time
	if spec.timeout > 0 {
		timer := time.NewTimer(spec.timeout)
		defer timer.Stop()
		deadline = timer.C
	}
	select {
	case <-exited:
		run.exited, run.waitErr = true, waitErr
	case <-deadline:
		run.timedOut = true
	case <-ctx.Done():
		run.canceled = true
	case <-spec.stop:
		run.stopped = true
	}
	settled := make(chan struct{}) // the command and its output are done
	go func() {
		<-exited
		<-outDone
		<-errDone
		close(settled)
	}()
	endGroup(g, cmd, spec.grace, settled)
	<-exited
	select {
	case <-settled:
	case <-time.After(spec.drain):
		closeAll(outR, errR) // a process outside the group holds them
	}
	inW.Close()
	wg.Wait()
	<-settled
	closeAll(outR, errR)
	g.release()
	return run, nil
}

// endGroup ends a command's process group: SIGTERM to all of it, then,
// once settled is closed (the command exited, and nothing holds its
// output open any more) or grace has passed, SIGKILL. It is the one way a
// command is ended, on timeout, interruption or after it exited.
func endGroup(g *procGroup, cmd *exec.Cmd, grace time.Duration, settled <-chan struct{}) {
	g.term()
	cmd.Process.Signal(terminateSignal) // were it to have left its group
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-settled:
	case <-timer.C:
	}
	g.kill()
	cmd.Process.Kill()
}

// copyQuietly copies r to w until r ends or is closed.
func copyQuietly(w io.Writer, r *os.File) {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		w.Write(buf[:n])
		if err != nil {
			return
		}
	}
}

func closeAll(files ...*os.File) {
	for _, f := range files {
		f.Close()
	}
}
