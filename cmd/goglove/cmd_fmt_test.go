package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fmtResult is what one run of fmt printed and its exit code.
type fmtResult struct {
	code           int
	stdout, stderr string
}

// callFmt calls runFmt with buffers and prints its error as run does.
func callFmt(t *testing.T, ctx context.Context, opts fmtOptions, args ...string) fmtResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := runFmt(ctx, opts, args, &stdout, &stderr)
	printError(&stderr, err)
	checkStderrLines(t, stderr.String())
	return fmtResult{exitCode(err), stdout.String(), stderr.String()}
}

// writeFiles creates the named files with the given contents in dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRunFmt(t *testing.T) {
	files := map[string]string{
		"a.yaml":       "b:   1\na: [1,2]\n",
		"b.yaml":       "c: {d: x}\n",
		"a.json":       `{"b":1, "a":[1,2]}`,
		"b.json":       `["x"]`,
		"canon.yaml":   "a: 1\n",
		"bad.yaml":     "a: [1\n",
		"typed.yaml":   "study: s\nmodel:\n  _type: trainer.Transformer\n",
		"typed.json":   `{"model": {"_type": "trainer.Transformer"}}`,
		"comment.yaml": "a: 1 # why\n",
		"only.yaml":    "# nothing yet\n",
		"nan.yaml":     "a: .nan\n",
		"dir/x.yaml":   "",
	}
	const (
		aYAML = "b: 1\na: [1, 2]\n"
		aJSON = "{\n  \"b\": 1,\n  \"a\": [\n    1,\n    2\n  ]\n}\n"
		bYAML = "c:\n  d: x\n"
		bJSON = "[\n  \"x\"\n]\n"
	)
	tests := []struct {
		name       string
		opts       fmtOptions
		stdin      string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr []string // substrings, one per stderr line, in order
	}{
		{"yaml", fmtOptions{}, "", []string{"a.yaml"}, 0, aYAML, nil},
		{"json", fmtOptions{}, "", []string{"a.json"}, 0, aJSON, nil},
		{"yaml as json", fmtOptions{JSON: true}, "", []string{"a.yaml"}, 0, aJSON, nil},
		{"several yaml separated", fmtOptions{}, "", []string{"a.yaml", "b.yaml"}, 0, aYAML + "---\n" + bYAML, nil},
		{"several json concatenated", fmtOptions{}, "", []string{"a.json", "b.json"}, 0, aJSON + bJSON, nil},
		{"several as json concatenated", fmtOptions{JSON: true}, "", []string{"a.yaml", "b.json"}, 0, aJSON + bJSON, nil},
		{"mixed formats", fmtOptions{}, "", []string{"a.json", "b.yaml", "b.json", "a.json"}, 0, aJSON + "---\n" + bYAML + "---\n" + bJSON + aJSON, nil},
		{"stdin", fmtOptions{}, "b:   1\na: [1,2]\n", []string{"-"}, 0, aYAML, nil},
		{"stdin is yaml", fmtOptions{}, `{"b": 1, "a": [1, 2]}`, []string{"-"}, 0, aYAML, nil},
		{"stdin and a file", fmtOptions{JSON: true}, "[x]", []string{"-", "a.json"}, 0, bJSON + aJSON, nil},
		{"empty stdin", fmtOptions{}, "", []string{"-"}, 0, "null\n", nil},
		{"comments warn", fmtOptions{}, "", []string{"comment.yaml", "a.yaml"}, 0, "a: 1\n---\n" + aYAML,
			[]string{"goglove: warning: comment.yaml: comments dropped"}},
		{"comments as json warn", fmtOptions{JSON: true}, "", []string{"comment.yaml"}, 0, "{\n  \"a\": 1\n}\n",
			[]string{"goglove: warning: comment.yaml: comments dropped"}},
		{"comment-only document warns", fmtOptions{}, "", []string{"only.yaml"}, 0, "null\n",
			[]string{"goglove: warning: only.yaml: comments dropped"}},
		{"drop comments silently", fmtOptions{DropComments: true}, "", []string{"comment.yaml"}, 0, "a: 1\n", nil},
		{"list", fmtOptions{List: true}, "", []string{"a.yaml", "canon.yaml", "a.json", "comment.yaml"}, 0, "a.yaml\na.json\ncomment.yaml\n", nil},
		{"list stdin", fmtOptions{List: true}, "a:  1\n", []string{"-"}, 0, stdinName + "\n", nil},
		{"list canonical stdin", fmtOptions{List: true}, "a: 1\n", []string{"-"}, 0, "", nil},
		{"list json files with --json", fmtOptions{List: true, JSON: true}, "", []string{"a.json"}, 0, "a.json\n", nil},

		{"no files", fmtOptions{}, "", nil, 2, "", []string{"goglove: fmt: no files given; usage: goglove fmt [-l] [-w [--drop-comments]] [--json] FILE..."}},
		{"stdin twice", fmtOptions{}, "a: 1", []string{"-", "-"}, 2, "", []string{`standard input ("-") is named more than once`}},
		{"write stdin", fmtOptions{Write: true}, "a: 1", []string{"-"}, 2, "", []string{"-w cannot rewrite standard input"}},
		{"write yaml as json", fmtOptions{Write: true, JSON: true}, "", []string{"a.json", "a.yaml"}, 2, "",
			[]string{"goglove: fmt: a.yaml: --json with -w applies only to .json files"}},
		{"list yaml as json", fmtOptions{List: true, JSON: true}, "", []string{"a.yaml"}, 2, "", []string{"--json with -l applies only to .json files"}},
		{"list stdin as json", fmtOptions{List: true, JSON: true}, "a: 1", []string{"-"}, 2, "", []string{"standard input is read as YAML"}},
		{"missing file", fmtOptions{}, "", []string{"nope.yaml"}, 2, "", []string{"goglove: open nope.yaml: no such file or directory"}},
		{"directory", fmtOptions{}, "", []string{"dir"}, 2, "", []string{"goglove: dir: is a directory, not a file"}},
		{"syntax error", fmtOptions{}, "", []string{"bad.yaml"}, 2, "", []string{"symbolic: bad.yaml:1: invalid YAML"}},
		{"unknown type yaml", fmtOptions{}, "", []string{"typed.yaml"}, 2, "",
			[]string{`symbolic: typed.yaml:3:3: model._type: unknown _type "trainer.Transformer"`}},
		{"unknown type json", fmtOptions{}, "", []string{"typed.json"}, 2, "", []string{`symbolic: typed.json:1:12: model._type: unknown _type "trainer.Transformer"`}},
		{"unknown type stdin", fmtOptions{}, "_type: x\n", []string{"-"}, 2, "", []string{`symbolic: <stdin>:1:1: _type: unknown _type "x"`}},
		{"nan as json names the file", fmtOptions{JSON: true}, "", []string{"nan.yaml"}, 2, "", []string{"symbolic: nan.yaml: a: JSON cannot express .nan"}},
		{"bad file among good ones prints nothing", fmtOptions{}, "", []string{"a.yaml", "bad.yaml", "b.yaml"}, 2, "", []string{"bad.yaml:1"}},
		{"one line per bad file", fmtOptions{}, "", []string{"typed.yaml", "a.yaml", "nope.yaml", "bad.yaml"}, 2, "",
			[]string{"typed.yaml:3:3", "open nope.yaml", "bad.yaml:1"}},
		{"list reports bad files", fmtOptions{List: true}, "", []string{"a.yaml", "bad.yaml"}, 2, "a.yaml\n", []string{"bad.yaml:1"}},
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, files)
	t.Chdir(dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Stdin = strings.NewReader(tt.stdin)
			got := callFmt(t, t.Context(), opts, tt.args...)
			if got.code != tt.wantCode {
				t.Errorf("exit code %d, want %d (stderr %q)", got.code, tt.wantCode, got.stderr)
			}
			if got.stdout != tt.wantStdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", got.stdout, tt.wantStdout)
			}
			lines := strings.SplitAfter(got.stderr, "\n")
			lines = lines[:len(lines)-1]
			if len(lines) != len(tt.wantStderr) {
				t.Fatalf("stderr has %d lines, want %d:\n%s", len(lines), len(tt.wantStderr), got.stderr)
			}
			for i, want := range tt.wantStderr {
				if !strings.Contains(lines[i], want) {
					t.Errorf("stderr line %d is %q, want it to contain %q", i+1, lines[i], want)
				}
			}
		})
	}
	for name, content := range files {
		if b, err := os.ReadFile(name); err != nil || string(b) != content {
			t.Errorf("fmt without -w changed %s to %q (%v)", name, b, err)
		}
	}
}

// TestFmtGolden formats each input in testdata/fmt and compares what fmt
// prints with golden files next to it: INPUT.golden holds stdout in the
// input's format and INPUT.json.golden with --json (for YAML inputs);
// .stderr.golden files hold the exit code and stderr when the run failed
// or warned. Run "go test -update" to rewrite them.
func TestFmtGolden(t *testing.T) {
	entries, err := os.ReadDir("testdata/fmt")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		in := filepath.Join("testdata", "fmt", e.Name())
		if strings.HasSuffix(in, ".golden") {
			continue
		}
		modes := []string{""}
		if !isJSONName(in) {
			modes = append(modes, ".json")
		}
		for _, mode := range modes {
			t.Run(e.Name()+mode, func(t *testing.T) {
				args := []string{"fmt", in}
				if mode == ".json" {
					args = append(args, "--json") // a flag after the file, as users type it
				}
				code, stdout, stderr := runCLI(t, t.Context(), args...)
				checkGolden(t, in+mode+".golden", stdout)
				diag := ""
				if code != 0 || stderr != "" {
					diag = fmt.Sprintf("exit %d\n%s", code, stderr)
				}
				checkGolden(t, in+mode+".stderr.golden", diag)
				if code == 0 {
					checkFixedPoint(t, stdout, mode == ".json" || isJSONName(in))
				}
			})
		}
	}
}

// checkGolden compares got with the golden file at path, where an empty
// got means that the file must not exist. With -update it writes or
// removes the file instead.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		var err error
		if got == "" {
			if err = os.Remove(path); errors.Is(err, fs.ErrNotExist) {
				err = nil
			}
		} else {
			err = os.WriteFile(path, []byte(got), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it); got:\n%s\nwant:\n%s", path, got, want)
	}
}

// checkFixedPoint checks that fmt's output is canonical: formatting it
// again, as YAML or JSON, gives the same bytes, and -l does not list it.
func checkFixedPoint(t *testing.T, out string, isJSON bool) {
	t.Helper()
	name := filepath.Join(t.TempDir(), "out.yaml")
	if isJSON {
		name = filepath.Join(filepath.Dir(name), "out.json")
	}
	if err := os.WriteFile(name, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	again := callFmt(t, t.Context(), fmtOptions{}, name)
	if again.code != 0 || again.stdout != out {
		t.Errorf("fmt of fmt's output is not the same (exit %d, %s):\n%s\nfirst output:\n%s", again.code, again.stderr, again.stdout, out)
	}
	if list := callFmt(t, t.Context(), fmtOptions{List: true}, name); list.code != 0 || list.stdout != "" {
		t.Errorf("fmt -l lists fmt's own output: %q %q", list.stdout, list.stderr)
	}
}
