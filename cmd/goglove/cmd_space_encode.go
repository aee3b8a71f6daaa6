package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// spaceEncodeOptions are the flags of "goglove space encode"; it has none
// yet.
type spaceEncodeOptions struct{}

const spaceEncodeUsage = "goglove space encode FILE PROGRAM_FILE"

func newSpaceEncodeCmd() *cobra.Command {
	var opts spaceEncodeOptions
	cmd := &cobra.Command{
		Use:   "encode FILE PROGRAM_FILE",
		Short: "Print the DNA of a program in a space",
		Long: `Encode prints, on one line, the DNA in numbers form of the program in
PROGRAM_FILE in the space in FILE: the decisions that make the space
decode to that program. It is the inverse of 'goglove space decode'.
Both files are YAML, or JSON when their name ends in .json.

A program the space cannot produce is bad input (exit code 2), reported
on one line naming the key path, in the program, of the first value the
space cannot produce.`,
		Example: `  goglove space encode space.yaml program.yaml`,
		Args:    cobra.ArbitraryArgs, // runSpaceEncode checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSpaceEncode(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	return cmd
}

// runSpaceEncode prints the DNA of the program in args[1] in the space in
// args[0].
func runSpaceEncode(_ context.Context, _ spaceEncodeOptions, args []string, stdout, _ io.Writer) error {
	if err := checkArgCount("space encode", args, 2, spaceEncodeUsage); err != nil {
		return err
	}
	reg := newRegistry()
	s, err := loadSpace(reg, args[0])
	if err != nil {
		return err
	}
	prog, err := decodeFile(reg, args[1])
	if err != nil {
		return err
	}
	d, err := s.Encode(prog)
	if err != nil {
		return inSpaceFile(err, args[1])
	}
	_, err = fmt.Fprintln(stdout, s.Spec().Format(d))
	return err
}
