package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// runCLI runs the command line args and returns the exit code, stdout and
// stderr. It checks that every line on stderr is one error or warning line.
func runCLI(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, &stdout, &stderr)
	checkStderrLines(t, stderr.String())
	return code, stdout.String(), stderr.String()
}

// checkStderrLines checks that each line on stderr starts with "goglove: "
// or the prefix of a goglove package.
func checkStderrLines(t *testing.T, stderr string) {
	t.Helper()
	for line := range strings.Lines(stderr) {
		ok := false
		for _, p := range packagePrefixes {
			ok = ok || strings.HasPrefix(line, p+": ")
		}
		if !ok {
			t.Errorf("stderr line without a goglove or package prefix: %q", line)
		}
	}
}

func TestExitCode(t *testing.T) {
	symErr := &symbolic.Error{File: "a.yaml", Line: 1, Msg: "bad", Err: symbolic.ErrSyntax}
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, 0},
		{"plain error", errors.New("disk full"), 1},
		{"usage error", usageErrorf("bad flag"), 2},
		{"wrapped usage error", fmt.Errorf("fmt: %w", usageErrorf("bad flag")), 2},
		{"bad input wrapping an fs error", badInput(fs.ErrNotExist), 2},
		{"symbolic error", symErr, 2},
		{"wrapped symbolic error", fmt.Errorf("x: %w", symErr), 2},
		{"joined failure and bad input", errors.Join(errors.New("disk full"), symErr), 2},
		{"joined failures", errors.Join(errors.New("a"), errors.New("b")), 1},
		{"space error", &space.Error{Msg: "bad", Err: space.ErrInvalidDNA}, 2},
		{"space error in a file", inSpaceFile(&space.Error{Msg: "bad", Err: space.ErrNotInSpace}, "p.yaml"), 2},
		{"wrapped space sentinels", fmt.Errorf("x: %w", space.ErrInvalidSpace), 2},
		{"wrapped not in space", fmt.Errorf("x: %w", space.ErrNotInSpace), 2},
		{"wrapped not finite", fmt.Errorf("x: %w", space.ErrNotFinite), 2},
		{"wrapped invalid DNA", fmt.Errorf("x: %w", space.ErrInvalidDNA), 2},
		{"symbolic error from a space tag", &symbolic.Error{Msg: "no candidates", Err: space.ErrInvalidSpace}, 2},
		{"canceled", context.Canceled, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exitCode(tt.err); got != tt.want {
				t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

func TestPrintError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"plain", errors.New("disk full"), "goglove: disk full\n"},
		{"symbolic prefix kept", &symbolic.Error{File: "a.yaml", Line: 2, Column: 3, Path: symbolic.MustParsePath("a.b"), Msg: "bad"},
			"symbolic: a.yaml:2:3: a.b: bad\n"},
		{"other package prefix kept", errors.New("space: a: unknown choice"), "space: a: unknown choice\n"},
		{"space error", &space.Error{Path: symbolic.MustParsePath("opt[0].m"), Msg: "bad", Err: space.ErrInvalidDNA}, "space: opt[0].m: bad\n"},
		{"space error in a file keeps the prefix", inSpaceFile(&space.Error{Path: symbolic.MustParsePath("a.b"), Msg: "bad", Err: space.ErrNotInSpace}, "p.yaml"),
			"space: p.yaml: a.b: bad\n"},
		{"space error at the root in a file", inSpaceFile(&space.Error{Msg: "bad", Err: space.ErrNotFinite}, "s.yaml"), "space: s.yaml: bad\n"},
		{"unknown prefix gets ours", errors.New("yaml: line 3"), "goglove: yaml: line 3\n"},
		{"multi-line message", errors.New("first\n  second\r\n\nthird"), "goglove: first; second; third\n"},
		{"joined errors one line each", errors.Join(errors.New("a"), errors.Join(errors.New("b\nc"), errors.New("d"))),
			"goglove: a\ngoglove: b; c\ngoglove: d\n"},
		{"canceled", context.Canceled, "goglove: interrupted\n"},
		{"usage error", usageErrorf("bad %s", "flag"), "goglove: bad flag\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			printError(&b, tt.err)
			if b.String() != tt.want {
				t.Errorf("printError(%v) printed %q, want %q", tt.err, b.String(), tt.want)
			}
		})
	}
}

func TestRun(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // a substring of stdout
		wantStderr string // a substring of stderr; "" means stderr must be empty
	}{
		{"no arguments prints help", nil, 0, "Available Commands:", ""},
		{"help", []string{"help"}, 0, "symbolic AutoML search framework", ""},
		{"help flag", []string{"--help"}, 0, "Available Commands:", ""},
		{"help verb", []string{"help", "fmt"}, 0, "--drop-comments", ""},
		{"help help", []string{"help", "help"}, 0, "goglove help [VERB]", ""},
		{"help unknown topic", []string{"help", "bogus"}, 2, "", `goglove: unknown help topic "bogus"`},
		{"help too many words", []string{"help", "fmt", "x"}, 2, "", `unknown help topic "fmt x"`},
		{"unknown command", []string{"bogus"}, 2, "", `goglove: unknown command "bogus"; run 'goglove help'`},
		{"unknown command suggestion", []string{"fmtt"}, 2, "", `(did you mean "fmt"?)`},
		{"unknown root flag", []string{"--bogus"}, 2, "", "goglove: unknown flag: --bogus; run 'goglove --help' for usage"},
		{"unknown verb flag", []string{"fmt", "--bogus", "x.yaml"}, 2, "", "unknown flag: --bogus; run 'goglove fmt --help'"},
		{"bad flag value", []string{"version", "--json=maybe"}, 2, "", `invalid argument "maybe"`},
		{"version", []string{"version"}, 0, "goglove ", ""},
		{"version json", []string{"version", "--json"}, 0, `"revision": `, ""},
		{"version extra argument", []string{"version", "now"}, 2, "", `goglove: version takes no arguments, got "now"`},
		{"fmt without files", []string{"fmt"}, 2, "", "goglove: fmt: no files given; usage: goglove fmt"},
		{"fmt missing file", []string{"fmt", "testdata/fmt/missing.yaml"}, 2, "", "goglove: open testdata/fmt/missing.yaml: no such file"},
		{"fmt unknown type", []string{"fmt", "testdata/fmt/unknown_type.yaml"}, 2, "", `symbolic: testdata/fmt/unknown_type.yaml:3:3: model._type: unknown _type "trainer.Transformer"`},
		{"fmt directory", []string{"fmt", "testdata"}, 2, "", "goglove: testdata: is a directory"},
		{"fmt canonical", []string{"fmt", "testdata/fmt/canonical.yaml"}, 0, "study: quickstart\n", ""},
		{"fmt space", []string{"fmt", "testdata/space/small.yaml"}, 0, "momentum: !oneof [0.0, 0.9]", "goglove: warning: testdata/space/small.yaml: comments dropped"},
		{"space alone prints help", []string{"space"}, 0, "Available Commands:", ""},
		{"help space", []string{"help", "space"}, 0, "goglove space [command]", ""},
		{"help space verb", []string{"help", "space", "sample"}, 0, "--seed", ""},
		{"space inspect", []string{"space", "inspect", "testdata/space/small.yaml"}, 0, "size: 18\n", ""},
		{"space verb suggestion", []string{"space", "inspct"}, 2, "", `(did you mean "inspect"?)`},
		{"bench alone prints help", []string{"bench"}, 0, "goglove bench [command]", ""},
		{"help bench verb", []string{"help", "bench", "blackbox"}, 0, "--seeds", ""},
		{"bench verb suggestion", []string{"bench", "overhed"}, 2, "", `(did you mean "overhead"?)`},
		{"help search", []string{"help", "search"}, 0, "goglove search [flags] CONFIG", ""},
		{"search bad config", []string{"search", "testdata/search/no-space.yaml"}, 2, "", "symbolic: testdata/search/no-space.yaml: space: missing"},
		{"space bad DNA", []string{"space", "decode", "testdata/space/small.yaml", "--dna", "[9, 1, 2]"}, 2, "", "space: DNA entry 0 for act is 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stdout, tt.wantStdout) {
				t.Errorf("stdout %q does not contain %q", stdout, tt.wantStdout)
			}
			switch {
			case tt.wantStderr == "" && stderr != "":
				t.Errorf("stderr %q, want none", stderr)
			case !strings.Contains(stderr, tt.wantStderr):
				t.Errorf("stderr %q does not contain %q", stderr, tt.wantStderr)
			case tt.wantStderr != "" && strings.Count(stderr, "\n") != 1:
				t.Errorf("stderr %q is not exactly one line", stderr)
			}
		})
	}
}

func TestRunCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	code, stdout, stderr := runCLI(t, ctx, "fmt", "testdata/fmt/canonical.yaml")
	if code != 1 || stdout != "" || stderr != "goglove: interrupted\n" {
		t.Errorf("canceled run: code %d, stdout %q, stderr %q; want 1, nothing, one interrupted line", code, stdout, stderr)
	}
}

func TestRunRecoversPanics(t *testing.T) {
	newRoot := func() *cobra.Command {
		root := newRootCmd()
		root.AddCommand(&cobra.Command{
			Use: "boom",
			Run: func(*cobra.Command, []string) { panic("index out of range\ngoroutine 1 [running]:") },
		})
		return root
	}
	var stdout, stderr bytes.Buffer
	code := runWith(t.Context(), newRoot, []string{"boom"}, &stdout, &stderr)
	want := "goglove: internal error: index out of range; goroutine 1 [running]:\n"
	if code != 1 || stderr.String() != want {
		t.Errorf("panicking verb: code %d, stderr %q; want 1, %q", code, stderr.String(), want)
	}
}

// TestHelpMentionsFlags checks that "VERB --help" and "help VERB" describe
// every verb and all of its flags.
func TestHelpMentionsFlags(t *testing.T) {
	root := newRootCmd()
	root.InitDefaultHelpCmd() // adds our help verb to the list, as Execute does
	verbs := root.Commands()
	if len(verbs) < 3 {
		t.Fatalf("root has %d verbs, want at least fmt, help and version", len(verbs))
	}
	for _, verb := range verbs {
		for _, args := range [][]string{{verb.Name(), "--help"}, {"help", verb.Name()}} {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				code, stdout, stderr := runCLI(t, t.Context(), args...)
				if code != 0 || stderr != "" {
					t.Fatalf("exit code %d, stderr %q; want 0 and none", code, stderr)
				}
				if !strings.Contains(stdout, "goglove "+verb.Name()) {
					t.Errorf("help does not show the usage line %q:\n%s", "goglove "+verb.Name(), stdout)
				}
				verb.LocalFlags().VisitAll(func(f *pflag.Flag) {
					want := "--" + f.Name
					if f.Shorthand != "" {
						want = "-" + f.Shorthand + ", --" + f.Name
					}
					if !strings.Contains(stdout, want) || !strings.Contains(stdout, f.Usage) {
						t.Errorf("help does not mention flag %s (%s):\n%s", want, f.Usage, stdout)
					}
				})
			})
		}
	}
}
