package main

import (
	"context"
	"fmt"
	"io"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/spf13/cobra"
)

// enqueueOptions are the flags of "goglove enqueue".
type enqueueOptions struct {
	Store string
	Study string
}

const enqueueUsage = `goglove enqueue [--store URL] --study NAME PROGRAM.yaml...`

func newEnqueueCmd() *cobra.Command {
	var opts enqueueOptions
	cmd := &cobra.Command{
		Use:   "enqueue [--store URL] --study NAME PROGRAM.yaml...",
		Short: "Hand a study programs to evaluate before the algorithm's proposals",
		Long: `Enqueue adds each program (a YAML or JSON file; - for standard input) to
the study NAME as a waiting trial: a warm start with configurations known
to be good. Each program is encoded to DNA against the study's space; one
that the space cannot produce is refused, naming the file and the key
path, and nothing is enqueued (exit 2). The next proposals of the study's
workers (goglove search, goglove worker, goglove ask) hand out the
waiting trials first, lowest number first, and the algorithm learns from
their results. The study must exist (goglove search --create makes one).`,
		Example: `  goglove enqueue --store sqlite://goglove.db --study branin-tpe good.yaml
  goglove trials --store sqlite://goglove.db --study branin-tpe --state waiting`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEnqueue(cmd.Context(), opts, args, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Store, "store", "", storeFlagHelp)
	f.StringVar(&opts.Study, "study", "", "the study (required)")
	return cmd
}

// runEnqueue enqueues the programs of args in the study: all of them, or,
// if one does not fit the space, none.
func runEnqueue(ctx context.Context, opts enqueueOptions, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usageErrorf("enqueue: missing PROGRAM.yaml; usage: %s", enqueueUsage)
	}
	store, job, err := joinStudy(ctx, "enqueue", enqueueUsage, joinOptions{Store: opts.Store, Study: opts.Study})
	if err != nil {
		return err
	}
	defer store.Close()
	reg := newRegistry()
	spec := job.Space.Spec()
	var dnas []space.DNA
	for _, file := range args {
		prog, err := decodeFile(reg, file)
		if err != nil {
			return err
		}
		d, err := job.Space.Encode(prog)
		if err != nil {
			return badInput(fmt.Errorf("enqueue: not a program of study %s: %w", terminalText(opts.Study), inSpaceFile(err, file)))
		}
		dnas = append(dnas, d)
	}
	o := job.Options
	o.Store = store
	for i, d := range dnas {
		n, err := search.EnqueueDNA(ctx, search.Searchable[symbolic.Value](job.Space), d, &o)
		if err != nil {
			return fmt.Errorf("enqueue: %s: %w", args[i], err)
		}
		if _, err := fmt.Fprintf(stdout, "trial %d of study %s: waiting, dna %s\n", n, terminalText(opts.Study), spec.Format(d)); err != nil {
			return err
		}
	}
	return nil
}
