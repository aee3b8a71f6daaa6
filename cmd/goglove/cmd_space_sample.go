package main

import (
	"context"
	"io"
	"math/rand/v2"

	"github.com/spf13/cobra"
)

// spaceSampleOptions are the flags of "goglove space sample". The zero
// value prints no program; the command's flags default N to 1.
type spaceSampleOptions struct {
	// N is the number of programs to print.
	N int
	// Seed seeds the random source, rand.NewPCG(Seed, Seed): the same
	// seed and space give the same programs.
	Seed uint64
	// JSON prints one JSON object a line instead of YAML documents.
	JSON bool
}

const spaceSampleUsage = "goglove space sample [--n N] [--seed S] [--json] FILE"

func newSpaceSampleCmd() *cobra.Command {
	var opts spaceSampleOptions
	cmd := &cobra.Command{
		Use:   "sample [flags] FILE",
		Short: "Print random programs of a space",
		Long: `Sample prints N programs of the space in FILE drawn at random: at each
decision a uniform candidate (then the decisions inside it), a uniform
subset or ordering for !manyof and !permutation, and a uniform value for
!int and !float (uniform in its logarithm on the log scale). The random
source is a PCG seeded with (S, S), so the same seed, space and goglove
release print the same programs.

Each program is printed as a YAML document preceded by a comment with its
DNA in numbers form, documents separated by "---" lines:

    # dna: [1, 0.003]
    optimizer: adamw
    lr: 0.003

With --json each program is one line: {"dna": [1, 0.003], "program": {...}}.`,
		Example: `  goglove space sample experiments/configs/space-example.yaml
  goglove space sample space.yaml --n 100 --seed 42 --json > programs.jsonl`,
		Args: cobra.ArbitraryArgs, // runSpaceSample checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSpaceSample(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.N, "n", 1, "number of programs to print")
	f.Uint64Var(&opts.Seed, "seed", 0, "seed of the random source (same seed, same programs)")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object a line: {\"dna\": [...], \"program\": ...}")
	return cmd
}

// runSpaceSample prints opts.N random programs of the space named by
// args[0].
func runSpaceSample(ctx context.Context, opts spaceSampleOptions, args []string, stdout, _ io.Writer) error {
	if err := checkArgCount("space sample", args, 1, spaceSampleUsage); err != nil {
		return err
	}
	if opts.N < 0 {
		return usageErrorf("space sample: --n is %d, want 0 or more", opts.N)
	}
	s, err := loadSpace(newRegistry(), args[0])
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed))
	pw := newProgramWriter(stdout, s.Spec(), opts.JSON)
	for range opts.N {
		if err := ctx.Err(); err != nil {
			pw.flush()
			return err
		}
		if err := pw.write(s, s.Spec().Random(rng)); err != nil {
			pw.flush()
			return err
		}
	}
	return pw.flush()
}
