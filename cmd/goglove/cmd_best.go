package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/spf13/cobra"
)

// bestOptions are the flags of "goglove best".
type bestOptions struct {
	// Store is the URL of the store; it must be given.
	Store string
	// Study names the study; it must be given.
	Study string
	// JSON prints one JSON object instead of text.
	JSON bool
	// Program prints the best trial's program alone, as YAML (or JSON
	// with JSON), for goglove train.
	Program bool
}

const bestUsage = "goglove best [--store URL] --study NAME [--json] [--program]"

func newBestCmd() *cobra.Command {
	var opts bestOptions
	cmd := &cobra.Command{
		Use:   "best [--store URL] --study NAME [--json] [--program]",
		Short: "Print the best trial of a study",
		Long: `Best prints the best completed trial of the study --study names in the
store --store names: a summary line, then the trial's number, DNA in
numbers form, metrics and program as YAML. For a study with several
objectives it prints the Pareto front instead, best primary metric first.

With --json it prints one object:

    {"study": ..., "objectives": [{"name": ..., "direction": ...}],
     "best": {"number": n, "dna": [...], "dna_text": "...", "program": {...},
              "metrics": {...}},
     "pareto": [...], "completed": n, "failed": n, "skipped": n,
     "early_stopped": n}

best is null when no trial completed; pareto is there only for several
objectives. For a nested search (an objective that is an inner search),
each trial printed also shows the winner of the inner study it ran: in
text under "inner:", in JSON as "inner": [{"study": "OUTER/trial-N/NAME",
"number": n, "dna": [...], "dna_text": ..., "program": {...},
"metrics": {...}}].

With --program it prints the best trial's program alone, as YAML (as
JSON with --json), which "goglove train" takes as it is:

    goglove best --study quickstart --program > best.yaml
    goglove train best.yaml

For several objectives that is the trial of the front with the best
primary metric. A study with no completed trial has no program to print:
one line, exit code 1. The store is opened read-only.

A missing --store or --study, or an unknown study, is bad input (exit
code 2).`,
		Example: `  goglove best --store sqlite://goglove.db --study branin-tpe
  goglove best --store sqlite://goglove.db --study branin-tpe --json
  goglove best --study quickstart --program > best.yaml`,
		Args: cobra.ArbitraryArgs, // runBest checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBest(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Store, "store", "", storeFlagHelp)
	f.StringVar(&opts.Study, "study", "", "name of the study (required)")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object instead of text")
	f.BoolVar(&opts.Program, "program", false, "print the best trial's program alone, as YAML (JSON with --json), for goglove train")
	return cmd
}

// bestJSON is what best --json prints; the JSON names are part of the
// command's output format.
type bestJSON struct {
	Study        string           `json:"study"`
	Objectives   []objectiveJSON  `json:"objectives"`
	Best         *bestTrialJSON   `json:"best"`
	Pareto       *[]bestTrialJSON `json:"pareto,omitempty"`
	Completed    int              `json:"completed"`
	Failed       int              `json:"failed"`
	Skipped      int              `json:"skipped"`
	EarlyStopped int              `json:"early_stopped"`
}

// bestTrialJSON is one trial in best --json.
type bestTrialJSON struct {
	Number  int             `json:"number"`
	DNA     json.RawMessage `json:"dna"`
	DNAText string          `json:"dna_text"`
	Program json.RawMessage `json:"program"`
	Metrics search.Metrics  `json:"metrics"`
	// Inner holds the winners of the inner searches the trial ran (a
	// nested search's), each with its study; absent for other trials.
	Inner []innerWinnerJSON `json:"inner,omitempty"`
}

// innerWinnerJSON is the winner of an inner search in best --json.
type innerWinnerJSON struct {
	Study   string          `json:"study"`
	Number  int             `json:"number"`
	DNA     json.RawMessage `json:"dna"`
	DNAText string          `json:"dna_text"`
	Program json.RawMessage `json:"program"`
	Metrics search.Metrics  `json:"metrics"`
}

// runBest prints the best trial or the Pareto front of a study.
func runBest(ctx context.Context, opts bestOptions, args []string, stdout, _ io.Writer) error {
	if err := checkArgCount("best", args, 0, bestUsage); err != nil {
		return err
	}
	if err := checkStudyFlag("best", opts.Study, bestUsage); err != nil {
		return err
	}
	store, err := openReadOnlyStore(ctx, "best", opts.Store, bestUsage)
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := search.Summarize(ctx, store, opts.Study)
	if err != nil {
		return studyError(err)
	}
	if opts.Program {
		return printBestProgram(stdout, res, opts.JSON)
	}
	winners, err := bestWinners(ctx, store, res)
	if err != nil {
		return err
	}
	if opts.JSON {
		return printBestJSON(stdout, res, winners)
	}
	return printBestText(stdout, res, winners)
}

// bestWinners reads the winners of the inner searches of the trials best
// prints (the best one and the Pareto front), by trial number.
func bestWinners(ctx context.Context, store search.Store, res *search.Result) (map[int][]search.InnerWinner, error) {
	out := map[int][]search.InnerWinner{}
	trials := res.Pareto
	if res.Best != nil {
		trials = append([]search.TrialRecord{*res.Best}, trials...)
	}
	for _, t := range trials {
		if _, done := out[t.Number]; done {
			continue
		}
		ws, err := search.InnerWinners(ctx, store, res.Study, t)
		if err != nil {
			return nil, err
		}
		out[t.Number] = ws
	}
	return out, nil
}

// printBestProgram writes the program of the best trial alone: YAML that
// goglove train reads as it is, or compact JSON.
func printBestProgram(w io.Writer, res *search.Result, asJSON bool) error {
	if res.Best == nil {
		return fmt.Errorf("best: study %s has no completed trial, so no best program (%d failed, %d skipped, %d stopped early)",
			terminalText(res.Study), res.Failed, res.Skipped, res.EarlyStopped)
	}
	if res.Best.Program == nil {
		return fmt.Errorf("best: trial %d of study %s keeps no program", res.Best.Number, terminalText(res.Study))
	}
	var out []byte
	var err error
	if asJSON {
		if out, err = programJSON(res.Best); err == nil {
			out = append(out, '\n')
		}
	} else {
		out, err = symbolic.EncodeYAML(res.Best.Program)
	}
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

func toBestTrialJSON(t *search.TrialRecord) (bestTrialJSON, error) {
	out := bestTrialJSON{Number: t.Number, DNAText: t.DNAText, Metrics: t.Metrics}
	var err error
	if out.DNA, err = dnaJSON(t); err != nil {
		return out, err
	}
	if out.Program, err = programJSON(t); err != nil {
		return out, err
	}
	if out.Metrics == nil {
		out.Metrics = search.Metrics{}
	}
	return out, nil
}

func printBestJSON(w io.Writer, res *search.Result, winners map[int][]search.InnerWinner) error {
	out := bestJSON{Study: res.Study, Objectives: objectivesJSON(res.Objectives), Completed: res.Completed,
		Failed: res.Failed, Skipped: res.Skipped, EarlyStopped: res.EarlyStopped}
	conv := func(t *search.TrialRecord) (bestTrialJSON, error) {
		out, err := toBestTrialJSON(t)
		if err != nil {
			return out, err
		}
		for _, win := range winners[t.Number] {
			wt, err := toBestTrialJSON(&win.Trial)
			if err != nil {
				return out, err
			}
			out.Inner = append(out.Inner, innerWinnerJSON{Study: win.Study, Number: wt.Number, DNA: wt.DNA,
				DNAText: wt.DNAText, Program: wt.Program, Metrics: wt.Metrics})
		}
		return out, nil
	}
	var err error
	if out.Best, out.Pareto, err = resultTrialsJSON(res, conv); err != nil {
		return err
	}
	return writeJSON(w, out)
}

func printBestText(w io.Writer, res *search.Result, winners map[int][]search.InnerWinner) error {
	var b strings.Builder
	fmt.Fprintf(&b, "study %s: %d completed, %d failed, %d skipped, %d stopped early\n",
		terminalText(res.Study), res.Completed, res.Failed, res.Skipped, res.EarlyStopped)
	if err := writeBestTextInner(&b, res, winners); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}
