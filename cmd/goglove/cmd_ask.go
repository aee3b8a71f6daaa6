package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/spf13/cobra"
)

// askOptions are the flags of "goglove ask".
type askOptions struct {
	joinOptions
	JSON bool
	// Lease is how long the trial stays the asker's without a sign of
	// life (0: forever).
	Lease time.Duration
}

const askUsage = "goglove ask [--store URL] --study NAME [--lease D] [--json]"

func newAskCmd() *cobra.Command {
	var opts askOptions
	cmd := &cobra.Command{
		Use:   "ask [--store URL] --study NAME [--lease D] [--json]",
		Short: "Get the next trial of a study to evaluate elsewhere",
		Long: `Ask proposes the next trial of the study NAME, for code in any language
to evaluate, and records it as running; report its result with goglove
tell. The algorithm is rebuilt from the study's history, so each ask
continues the search where the last result left it. Without --lease, a
trial handed out by ask has no heartbeat and is never taken over.

--lease D (a duration such as 10m, at most 168h) makes the trial the
asker's for D after the ask and after each tell --step, which renews it.
Once a lease runs out, the trial is taken over as a stopped worker's is:
a worker of the study, or the next ask with a lease, runs it again as a
new attempt (up to max_attempts; then it fails as abandoned), and the
result of the old attempt is refused (exit 1). An ask with --lease first
hands out such a trial, if the study has one, before proposing a new one.

The output is the trial's number, its DNA, its attempt, its lease and
its program as YAML; with --json one object: {"study": ..., "trial": N,
"attempt": A, "lease_seconds": S (with --lease), "dna": [...],
"dna_text": "...", "program": {...}}. Pass the attempt to
tell (--attempt A) so that tell refuses the result if the trial is no
longer the one ask handed out. When no trial can start (the budget is spent,
the algorithm is done, or the budget is taken by trials still running),
ask says why and exits with code 3; with --json it prints {"study": ...,
"trial": null, "reason": "..."}.`,
		Example: `  goglove ask --store sqlite://goglove.db --study branin-tpe --json
  goglove ask --store sqlite://goglove.db --study branin-tpe --lease 10m --json
  goglove tell --store sqlite://goglove.db --study branin-tpe --trial 12 --attempt 1 --metrics '{"value": 0.41}'`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAsk(cmd.Context(), opts, args, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Store, "store", "", storeFlagHelp)
	f.StringVar(&opts.Study, "study", "", "the study (required)")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object")
	f.DurationVar(&opts.Lease, "lease", 0, "keep the trial for this long after each sign of life (ask, tell --step), then let it be taken over; 0: forever")
	return cmd
}

// askJSON is what ask --json prints.
type askJSON struct {
	Study   string          `json:"study"`
	Trial   *int            `json:"trial"`
	Attempt int             `json:"attempt,omitempty"`
	Lease   float64         `json:"lease_seconds,omitempty"`
	DNA     json.RawMessage `json:"dna,omitempty"`
	DNAText string          `json:"dna_text,omitempty"`
	Program json.RawMessage `json:"program,omitempty"`
	Reason  string          `json:"reason,omitempty"`
}

// errNoTrial is ask's exit when no trial can start.
type errNoTrial struct{ reason string }

func (e *errNoTrial) Error() string { return "ask: no trial can start: " + e.reason }

func runAsk(ctx context.Context, opts askOptions, args []string, stdout io.Writer) error {
	if err := checkArgCount("ask", args, 0, askUsage); err != nil {
		return err
	}
	if opts.Lease < 0 || opts.Lease > search.MaxLease {
		return usageErrorf("ask: --lease is %v, want a duration from 0 (none) to %v such as 10m", opts.Lease, search.MaxLease)
	}
	store, job, err := joinStudy(ctx, "ask", askUsage, opts.joinOptions)
	if err != nil {
		return err
	}
	defer store.Close()
	o := job.Options
	o.Store = store
	rec, reason, err := search.AskLease(ctx, search.Searchable[symbolic.Value](job.Space), job.Algorithm, &o, opts.Lease)
	if err != nil {
		return err
	}
	if rec == nil {
		if opts.JSON {
			if err := writeJSON(stdout, askJSON{Study: o.Study, Reason: reason}); err != nil {
				return err
			}
		}
		return &errNoTrial{reason}
	}
	out := askJSON{Study: o.Study, Trial: &rec.Number, Attempt: rec.Attempt, Lease: rec.Lease.Seconds(), DNAText: rec.DNAText}
	if out.DNA, err = dnaJSON(rec); err != nil {
		return err
	}
	if out.Program, err = programJSON(rec); err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(stdout, out)
	}
	yaml, err := symbolic.EncodeYAML(rec.Program)
	if err != nil {
		return err
	}
	lease := ""
	if rec.Lease > 0 {
		lease = "lease: " + rec.Lease.String() + "\n"
	}
	_, err = fmt.Fprintf(stdout, "trial %d of study %s\ndna: %s\nattempt: %d\n%sprogram:\n%s",
		rec.Number, terminalText(o.Study), rec.DNAText, rec.Attempt, lease, indent(string(yaml)))
	return err
}

// exitNoTrial is ask's exit code when no trial can start.
const exitNoTrial = 3

// indent indents every line of s by two spaces.
func indent(s string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString("  " + l)
		}
	}
	return b.String()
}
