package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"
)

// spaceDecodeOptions are the flags of "goglove space decode".
type spaceDecodeOptions struct {
	// DNA is the DNA in numbers form, a JSON array such as [0, 2, 0.01];
	// it is required.
	DNA string
	// JSON prints the program as compact JSON on one line instead of YAML.
	JSON bool
}

const spaceDecodeUsage = "goglove space decode --dna '[...]' [--json] FILE"

func newSpaceDecodeCmd() *cobra.Command {
	var opts spaceDecodeOptions
	cmd := &cobra.Command{
		Use:   "decode [flags] --dna DNA FILE",
		Short: "Print the program a DNA selects in a space",
		Long: `Decode prints the program of the space in FILE that the DNA given by --dna
selects: the space's tree with every hyper-value replaced by its
decision. The DNA is in numbers form, a JSON array with one entry per
decision, depth first, as 'goglove space sample' and 'goglove space
encode' print it. The program is printed as YAML, or with --json as
compact JSON on one line.

A DNA that does not fit the space (too short or too long, an index out of
range, a number out of bounds, not a JSON array) is bad input (exit code
2), reported on one line naming the decision point.`,
		Example: `  goglove space decode space.yaml --dna '[0, 2, 0.01]'
  goglove space decode space.yaml --dna "$(goglove space encode space.yaml program.yaml)"`,
		Args: cobra.ArbitraryArgs, // runSpaceDecode checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSpaceDecode(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.DNA, "dna", "", "the DNA in numbers form, a JSON array such as '[0, 2, 0.01]' (required)")
	f.BoolVar(&opts.JSON, "json", false, "print the program as compact JSON on one line")
	return cmd
}

// runSpaceDecode prints the program opts.DNA selects in the space named by
// args[0].
func runSpaceDecode(_ context.Context, opts spaceDecodeOptions, args []string, stdout, _ io.Writer) error {
	if err := checkArgCount("space decode", args, 1, spaceDecodeUsage); err != nil {
		return err
	}
	if opts.DNA == "" {
		return usageErrorf("space decode: --dna is required; usage: %s", spaceDecodeUsage)
	}
	s, err := loadSpace(newRegistry(), args[0])
	if err != nil {
		return err
	}
	d, err := s.Spec().ParseNumbers(opts.DNA)
	if err != nil {
		return err
	}
	prog, err := s.Decode(d)
	if err != nil {
		return err
	}
	return writeProgram(stdout, prog, opts.JSON)
}
