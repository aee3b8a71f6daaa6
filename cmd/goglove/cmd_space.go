package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/spf13/cobra"
)

// newSpaceCmd builds the "goglove space" verb group; its verbs live in
// cmd_space_VERB.go. This file holds what they share: loading a space
// file and printing programs.
func newSpaceCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "space",
		Short: "Inspect, sample, enumerate, decode and encode search spaces",
		Long: `The space verbs work on a search space: a YAML or JSON file (JSON when the
name ends in .json) whose tree holds hyper-values, written with the tags
!oneof, !manyof, !permutation, !float and !int:

    activation: !oneof [relu, gelu]
    layers: !int {min: 1, max: 4}
    lr: !float {min: 1.0e-4, max: 0.1, scale: log}

In JSON a hyper-value is written {"_tag": "!oneof", "_value": [...]}.

A space compiles to a tree of decision points, one per hyper-value, with
the key path of the hyper-value as its ID (a point inside candidate i of
the choice at opt has an ID starting with opt[i]). A DNA is one decision
per active point; its numbers form is a JSON array with one entry per
decision, depth first: a choice's candidate index followed by the
decisions inside that candidate, a number's value. Decoding a DNA gives a
program, the space's tree with every hyper-value replaced by its
decision; encoding a program gives its DNA back.

A space file that does not decode or holds a malformed hyper-value, a
DNA that does not fit the space and a program that is not in the space
are bad input (exit code 2), reported on one line naming the key path.`,
		Example: `  goglove space inspect experiments/configs/space-example.yaml
  goglove space sample experiments/configs/space-example.yaml --n 3 --seed 7
  goglove space enumerate space.yaml --limit 10 --json
  goglove space decode space.yaml --dna '[0, 2, 0.01]'
  goglove space encode space.yaml program.yaml`,
		Args:                       groupArgs,
		RunE:                       func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		SuggestionsMinimumDistance: 2, // as the root's: "inspct" suggests "inspect"
	}
	cmd.AddCommand(
		newSpaceInspectCmd(),
		newSpaceSampleCmd(),
		newSpaceEnumerateCmd(),
		newSpaceDecodeCmd(),
		newSpaceEncodeCmd(),
	)
	return cmd
}

// groupArgs rejects arguments that name no verb of a verb group; the group
// alone prints its help.
func groupArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	hint := ""
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		hint = fmt.Sprintf(" (did you mean %q?)", s[0])
	}
	return usageErrorf("unknown command %q for '%s'%s; run '%s --help' for the list of commands",
		args[0], cmd.CommandPath(), hint, cmd.CommandPath())
}

// checkArgCount reports a usage error unless args holds exactly n
// arguments. verb names the verb ("space inspect") and usage shows how to
// call it.
func checkArgCount(verb string, args []string, n int, usage string) error {
	switch {
	case len(args) < n:
		return usageErrorf("%s: missing arguments; usage: %s", verb, usage)
	case len(args) > n:
		return usageErrorf("%s: unexpected argument %q; usage: %s", verb, args[n], usage)
	}
	return nil
}

// decodeFile reads the file at path and decodes it with reg: as JSON when
// its name ends in .json, as YAML otherwise. Errors name the file.
func decodeFile(reg *symbolic.Registry, path string) (symbolic.Value, error) {
	in, err := readInput(path)
	if err != nil {
		return nil, err
	}
	opts := &symbolic.DecodeOptions{Filename: path, MaxBytes: maxInput}
	var v symbolic.Value
	if isJSONName(path) {
		v, err = reg.DecodeJSON(in, opts)
	} else {
		v, err = reg.DecodeYAML(in, opts)
	}
	if err != nil {
		return nil, inFile(err, path)
	}
	return v, nil
}

// loadSpace decodes the space file at path with the CLI's registry and
// compiles it.
func loadSpace(reg *symbolic.Registry, path string) (*space.Space, error) {
	tree, err := decodeFile(reg, path)
	if err != nil {
		return nil, err
	}
	s, err := space.New(tree)
	if err != nil {
		return nil, inSpaceFile(err, path)
	}
	return s, nil
}

// spaceFileError is a *space.Error about a file: it prints as
// "space: FILE: PATH: MSG", keeping the package prefix, and unwraps to the
// *space.Error.
type spaceFileError struct {
	file string
	err  *space.Error
}

func (e *spaceFileError) Error() string {
	return "space: " + e.file + ": " + strings.TrimPrefix(e.err.Error(), "space: ")
}

func (e *spaceFileError) Unwrap() error { return e.err }

// inSpaceFile names the file in a *space.Error; other errors are named by
// inFile.
func inSpaceFile(err error, name string) error {
	var se *space.Error
	if errors.As(err, &se) {
		return &spaceFileError{file: name, err: se}
	}
	return inFile(err, name)
}

// programWriter prints programs with their DNA, for sample and enumerate:
// as YAML documents separated by "---" lines, each starting with a
// "# dna: [...]" comment, or, with JSON, as one compact JSON object a line,
// {"dna": [...], "program": ...}. Output is buffered; call flush at the
// end.
type programWriter struct {
	w    *bufio.Writer
	spec *space.DNASpec
	json bool
	n    int // programs written
}

func newProgramWriter(w io.Writer, spec *space.DNASpec, asJSON bool) *programWriter {
	return &programWriter{w: bufio.NewWriter(w), spec: spec, json: asJSON}
}

// write decodes d with s and prints the program.
func (pw *programWriter) write(s *space.Space, d space.DNA) error {
	prog, err := s.Decode(d)
	if err != nil {
		return err
	}
	dna := pw.spec.Format(d) // the numbers form is valid JSON and YAML flow
	if pw.json {
		b, err := symbolic.EncodeJSONCompact(prog)
		if err != nil {
			return err
		}
		fmt.Fprintf(pw.w, "{\"dna\": %s, \"program\": %s}\n", dna, b)
	} else {
		b, err := symbolic.EncodeYAML(prog)
		if err != nil {
			return err
		}
		if pw.n > 0 {
			pw.w.WriteString("---\n")
		}
		fmt.Fprintf(pw.w, "# dna: %s\n", dna)
		pw.w.Write(b)
	}
	pw.n++
	return nil
}

// flush writes out the buffered output and reports the first write error.
func (pw *programWriter) flush() error { return pw.w.Flush() }

// writeProgram prints one program: YAML, or compact JSON on one line.
func writeProgram(w io.Writer, prog symbolic.Value, asJSON bool) error {
	var b []byte
	var err error
	if asJSON {
		b, err = symbolic.EncodeJSONCompact(prog)
		b = append(b, '\n')
	} else {
		b, err = symbolic.EncodeYAML(prog)
	}
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}
