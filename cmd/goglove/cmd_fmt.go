package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/spf13/cobra"
)

// fmtOptions are the flags of "goglove fmt". The zero value prints the
// canonical form of each file on stdout, in the file's own format.
type fmtOptions struct {
	// JSON prints canonical JSON whatever the input format. With Write or
	// List it is accepted only for .json files (where it changes nothing).
	JSON bool
	// Write rewrites each file that is not canonical in place, in its own
	// format, instead of printing it.
	Write bool
	// List prints the names of the files that are not canonical, one a
	// line, instead of their canonical form.
	List bool
	// DropComments lets Write rewrite YAML files with comments, which the
	// canonical form drops, and silences the warning printed without Write.
	DropComments bool
	// Stdin is read for the file "-". If Stdin is nil, os.Stdin is used.
	Stdin io.Reader
}

// fmtUsage shows the ways to call fmt, in usage errors.
const fmtUsage = "goglove fmt [-l] [-w [--drop-comments]] [--json] FILE... (\"-\" reads YAML from standard input)"

// maxInput bounds the size of one input file.
const maxInput = 64 << 20

// stdinName names standard input in messages and in the -l listing.
const stdinName = "<stdin>"

func newFmtCmd() *cobra.Command {
	var opts fmtOptions
	cmd := &cobra.Command{
		Use:   "fmt [flags] FILE...",
		Short: "Print or rewrite symbolic YAML and JSON files in canonical form",
		Long: `Fmt decodes each FILE as a symbolic tree and prints its canonical form:
JSON when the file name ends in .json, YAML otherwise; "-" reads YAML from
standard input. The canonical form is what goglove writes itself: dict keys
in their order, objects' fields in their type's order, two-space indentation,
strings quoted only when needed, floats always with a point or exponent.
Formatting canonical output again gives the same bytes.

By default fmt prints each file in its own format (YAML outputs separated by
"---" lines); --json prints JSON instead. -w rewrites the files in place,
atomically and keeping their mode, and leaves canonical files untouched; -l
lists the files that are not canonical. Neither takes "-", and both take
--json only for .json files.

The canonical form has no comments. Fmt warns when it drops them, and -w
refuses to rewrite a YAML file with comments unless --drop-comments is given.

A file that is missing or does not decode is bad input (exit code 2); fmt
reports it on one line, with the line, column and key path of the problem,
and goes on with the other files. Without -w or -l it prints nothing unless
every file decodes.`,
		Example: `  goglove fmt experiment.yaml
  goglove fmt experiment.yaml --json > experiment.json
  goglove fmt -l configs/*.yaml
  goglove fmt -w --drop-comments experiment.yaml
  cat experiment.yaml | goglove fmt -`,
		Args: cobra.ArbitraryArgs, // runFmt checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Stdin = cmd.InOrStdin()
			return runFmt(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.JSON, "json", false, "print canonical JSON whatever the input format")
	f.BoolVarP(&opts.Write, "write", "w", false, "rewrite files in place instead of printing them")
	f.BoolVarP(&opts.List, "list", "l", false, "list the files that are not canonical instead of printing them")
	f.BoolVar(&opts.DropComments, "drop-comments", false, "let -w drop YAML comments (and do not warn about dropping them)")
	return cmd
}

// runFmt formats the files named by args; see newFmtCmd for what it does.
// Errors about single files are joined, one per file.
func runFmt(ctx context.Context, opts fmtOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkFmtArgs(opts, args); err != nil {
		return err
	}
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	reg := newRegistry()
	var errs []error
	var outs []*fmtFile
	for _, arg := range args {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		f, err := formatFile(reg, arg, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if opts.Write || opts.List {
			if err := f.update(opts, stdout); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		outs = append(outs, f)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	for i, f := range outs {
		if f.comments && !opts.DropComments {
			warn(stderr, "%s: comments dropped: the canonical form has none (--drop-comments silences this warning)", f.name)
		}
		if i > 0 && !(outs[i-1].outJSON && f.outJSON) {
			if _, err := io.WriteString(stdout, "---\n"); err != nil {
				return err
			}
		}
		if _, err := stdout.Write(f.out); err != nil {
			return err
		}
	}
	return nil
}

// checkFmtArgs rejects bad combinations of flags and arguments before any
// file is read.
func checkFmtArgs(opts fmtOptions, args []string) error {
	if len(args) == 0 {
		return usageErrorf("fmt: no files given; usage: %s", fmtUsage)
	}
	inPlace := "-l"
	if opts.Write {
		inPlace = "-w"
	}
	stdin := false
	for _, arg := range args {
		switch {
		case arg == "-" && opts.Write:
			return usageErrorf("fmt: -w cannot rewrite standard input (\"-\"); drop -w to print its canonical form")
		case arg == "-" && stdin:
			return usageErrorf("fmt: standard input (\"-\") is named more than once")
		case arg == "-":
			stdin = true
			if opts.JSON && opts.List {
				return usageErrorf("fmt: --json with -l applies only to .json files, and standard input is read as YAML")
			}
		case opts.JSON && (opts.Write || opts.List) && !isJSONName(arg):
			return usageErrorf("fmt: %s: --json with %s applies only to .json files; convert it with 'goglove fmt --json %s > NEW.json'", arg, inPlace, arg)
		}
	}
	return nil
}

// isJSONName reports whether a file is JSON by its name.
func isJSONName(name string) bool {
	return strings.EqualFold(filepath.Ext(name), ".json")
}

// fmtFile is one input of fmt and its canonical form.
type fmtFile struct {
	arg      string // the argument: a path, or "-" for standard input
	name     string // the name in messages: the path, or stdinName
	in       []byte // the input
	out      []byte // the canonical form, in JSON if outJSON else YAML
	outJSON  bool
	comments bool // the input is YAML with comments, which out drops
}

// formatFile reads and decodes the file named by arg and encodes its
// canonical form.
func formatFile(reg *symbolic.Registry, arg string, opts fmtOptions) (*fmtFile, error) {
	f := &fmtFile{arg: arg, name: arg}
	var err error
	if arg == "-" {
		f.name = stdinName
		f.in, err = io.ReadAll(io.LimitReader(opts.Stdin, maxInput+1))
		if err != nil {
			return nil, fmt.Errorf("reading standard input: %w", err)
		}
	} else if f.in, err = readInput(arg); err != nil {
		return nil, err
	}
	inJSON := arg != "-" && isJSONName(arg)
	f.outJSON = inJSON || opts.JSON
	dopts := &symbolic.DecodeOptions{Filename: f.name, MaxBytes: maxInput}
	var v symbolic.Value
	if inJSON {
		v, err = reg.DecodeJSON(f.in, dopts)
	} else {
		v, err = reg.DecodeYAML(f.in, dopts)
	}
	if err != nil {
		return nil, inFile(err, f.name)
	}
	f.comments = !inJSON && yamlHasComments(f.in, v)
	if f.outJSON {
		f.out, err = symbolic.EncodeJSON(v)
	} else {
		f.out, err = symbolic.EncodeYAML(v)
	}
	if err != nil {
		return nil, inFile(err, f.name)
	}
	return f, nil
}

// readInput reads the file at path. A missing or unreadable file or a
// directory is bad input; other errors are failures.
func readInput(path string) ([]byte, error) { return readInputMax(path, maxInput) }

// readInputMax is readInput reading at most limit+1 bytes, so that the
// caller can tell a file over the limit without reading all of it.
func readInputMax(path string, limit int64) ([]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
			return nil, badInput(err)
		}
		return nil, err
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, usageErrorf("%s: is a directory, not a file", path)
	}
	return io.ReadAll(io.LimitReader(file, limit+1))
}

// inFile names the file in err: a *symbolic.Error that names no file (the
// encoders know none) gets one; other errors are prefixed with it.
func inFile(err error, name string) error {
	var se *symbolic.Error
	if errors.As(err, &se) {
		if se.File != "" {
			return err
		}
		named := *se
		named.File = name
		return &named
	}
	return fmt.Errorf("%s: %w", name, err)
}

// yamlHasComments reports whether YAML input has comments. It works around
// symbolic.HasYAMLComments, which misses the comments of a document that
// holds nothing else: such a document decodes to null, and in it every
// line starting with "#" is a comment.
func yamlHasComments(data []byte, v symbolic.Value) bool {
	if symbolic.HasYAMLComments(data) {
		return true
	}
	if v.Kind() != symbolic.KindNull {
		return false
	}
	for line := range strings.Lines(string(data)) {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			return true
		}
	}
	return false
}

// update does -l and -w for a file that decoded: it lists the file when it
// is not canonical, and rewrites it unless that would drop comments.
func (f *fmtFile) update(opts fmtOptions, stdout io.Writer) error {
	if bytes.Equal(f.in, f.out) {
		return nil
	}
	if opts.List {
		if _, err := fmt.Fprintln(stdout, f.name); err != nil {
			return err
		}
	}
	if !opts.Write {
		return nil
	}
	if f.comments && !opts.DropComments {
		return usageErrorf("%s: not rewritten: it has comments, which the canonical form drops (--drop-comments rewrites it anyway)", f.name)
	}
	return writeFileAtomic(f.arg, f.out)
}
