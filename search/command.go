package search

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/symbolic"
)

// CommandObjective returns an objective that evaluates each program with
// an external command, so objectives can be written in any language. The
// program is written to the command's standard input as one line of JSON;
// the command prints a JSON object of metrics, such as {"value": 1.5}, as
// the last line of its standard output. A non-zero exit, a run longer
// than timeout (0: no limit) or output that is not such an object makes
// the trial fail, with the command's last line of standard error as the
// reason.
func CommandObjective(argv []string, timeout time.Duration) (Objective[symbolic.Value], error) {
	if len(argv) == 0 || argv[0] == "" {
		return nil, errors.New("search: command objective: empty command")
	}
	argv = append([]string(nil), argv...)
	return func(ctx context.Context, t *Trial[symbolic.Value]) (Metrics, error) {
		input, err := symbolic.EncodeJSONCompact(t.Program)
		if err != nil {
			return nil, fmt.Errorf("encode program: %w", err)
		}
		parent := ctx
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.WaitDelay = time.Second // do not wait forever for children holding the pipes
		cmd.Stdin = bytes.NewReader(append(input, '\n'))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err = cmd.Run()
		reason := lastLine(stderr.String())
		switch {
		case parent.Err() != nil:
			return nil, fmt.Errorf("%s: %w", argv[0], parent.Err())
		case ctx.Err() == context.DeadlineExceeded:
			return nil, fmt.Errorf("%s: timed out after %v%s", argv[0], timeout, suffix(reason))
		case err != nil:
			if reason == "" {
				reason = err.Error()
			}
			return nil, fmt.Errorf("%s: %s", argv[0], reason)
		}
		line := lastLine(stdout.String())
		var m Metrics
		if err := json.Unmarshal([]byte(line), &m); err != nil || m == nil {
			return nil, fmt.Errorf("%s: last line of output %q is not a JSON object of metrics%s", argv[0], clipText(line, 80), suffix(reason))
		}
		return m, nil
	}, nil
}

func suffix(reason string) string {
	if reason == "" {
		return ""
	}
	return " (stderr: " + reason + ")"
}

// lastLine returns the last non-blank line of s, trimmed.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n\r\t "), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return clipText(l, 200)
		}
	}
	return ""
}

func clipText(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
