package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/spf13/cobra"
)

// trialsOptions are the flags of "goglove trials".
type trialsOptions struct {
	// Store is the URL of the store; it must be given.
	Store string
	// Study names the study; it must be given.
	Study string
	// State, if not "", keeps only the trials in that state.
	State string
	// JSON prints one JSON object per trial and line.
	JSON bool
	// CSV prints CSV with a header row.
	CSV bool
}

const trialsUsage = "goglove trials [--store URL] --study NAME [--state S] [--json|--csv]"

func newTrialsCmd() *cobra.Command {
	var opts trialsOptions
	cmd := &cobra.Command{
		Use:   "trials [--store URL] --study NAME [--state S] [--json|--csv]",
		Short: "List the trials of a study",
		Long: `Trials lists the trials of the study --study names in the store --store
names, in number order: by default a table with the number, state,
attempt, worker, DNA (numbers form), metrics and error of each trial.

--state keeps only the trials in one state: running, completed, failed,
skipped, early_stopped or waiting (enqueued, not started yet).

--json prints one JSON object per trial and line:

    {"number": n, "state": "completed", "dna": [1, 0.5], "dna_text": "[1, 0.5]",
     "program": {...}, "metrics": {...}, "steps": [...], "attempt": n,
     "worker": "...", "error": "...", "created": "...", "finished": "...",
     "heartbeat": "..."}

program is null when the space gives no tree; finished is null for a
trial still running; heartbeat, when its worker last showed a running
trial was alive, is null for a trial that ended (or that goglove ask
handed out: nobody watches it). A trial that ran an inner search (a
nested search) has "inner_studies": the names of the studies nested in
it, OUTER/trial-N/NAME.

The table lists under each such trial its inner studies, a line each
("inner", the study's name, its trial counts and best trial); --study
with an inner study's name lists its trials.

--csv prints a header row, then one row per trial: number, state,
dna_text, attempt, worker, error, then one column per decision of the
study's space, named by its key path (model.hidden, optimizer[1].lr;
the i-th candidate a ManyOf or Permutation chose is layers#i), in the
order of the space, then one column per metric name seen in the trials
listed, sorted by name. A cell is empty where a trial has no value: a
conditional decision whose candidate it did not choose, a metric it did
not report. A decision's cell is its number, or the chosen candidate as
written (in YAML's flow form, a string bare: relu, [16], {_type:
trainer.SGD, lr: 0.05}). A metric named like an earlier
column is headed metric:NAME. A study that keeps no config has no
decision columns.

The table and CSV escape control characters in stored text (an error
from a command's standard error, a name) as \x1b, \u202e…, so that
nothing a trial recorded can send escape sequences to a terminal; --json
escapes them as JSON does.

A missing --store or --study, an unknown study or state, or both --json
and --csv are bad input (exit code 2).`,
		Example: `  goglove trials --store sqlite://goglove.db --study branin-tpe
  goglove trials --store sqlite://goglove.db --study branin-tpe --state failed --json
  goglove trials --store sqlite://goglove.db --study branin-tpe --csv > trials.csv`,
		Args: cobra.ArbitraryArgs, // runTrials checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTrials(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Store, "store", "", storeFlagHelp)
	f.StringVar(&opts.Study, "study", "", "name of the study (required)")
	f.StringVar(&opts.State, "state", "", "list only the trials in this state: running, completed, failed, skipped, early_stopped or waiting")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object per trial and line")
	f.BoolVar(&opts.CSV, "csv", false, "print CSV with a header row")
	return cmd
}

// trialLineJSON is one line of trials --json; the JSON names are part of
// the command's output format.
type trialLineJSON struct {
	Number   int             `json:"number"`
	State    string          `json:"state"`
	DNA      json.RawMessage `json:"dna"`
	DNAText  string          `json:"dna_text"`
	Program  json.RawMessage `json:"program"`
	Metrics  search.Metrics  `json:"metrics"`
	Steps    []search.Step   `json:"steps"`
	Attempt  int             `json:"attempt"`
	Worker   string          `json:"worker"`
	Error    string          `json:"error"`
	Created  time.Time       `json:"created"`
	Finished *time.Time      `json:"finished"`
	// Heartbeat is when a running trial's worker last showed it was
	// alive (null for a trial nobody watches, and once it ended).
	Heartbeat *time.Time `json:"heartbeat"`
	// InnerStudies names the studies nested in the trial (its inner
	// searches'); absent for a trial without.
	InnerStudies []string `json:"inner_studies,omitempty"`
}

// stateNamesText lists the trial states, for error messages.
func stateNamesText() string {
	var names []string
	for s := search.Running; s <= search.Waiting; s++ {
		names = append(names, s.String())
	}
	return strings.Join(names, ", ")
}

// runTrials lists a study's trials.
func runTrials(ctx context.Context, opts trialsOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkArgCount("trials", args, 0, trialsUsage); err != nil {
		return err
	}
	if opts.JSON && opts.CSV {
		return usageErrorf("trials: give --json or --csv, not both")
	}
	if err := checkStudyFlag("trials", opts.Study, trialsUsage); err != nil {
		return err
	}
	var state *search.State
	if opts.State != "" {
		s, err := search.ParseState(opts.State)
		if err != nil {
			return usageErrorf("trials: --state %q: unknown state; the states: %s", opts.State, stateNamesText())
		}
		state = &s
	}
	store, err := openReadOnlyStore(ctx, "trials", opts.Store, trialsUsage)
	if err != nil {
		return err
	}
	defer store.Close()
	info, err := store.Study(ctx, opts.Study)
	if err != nil {
		return studyError(err)
	}
	all, err := store.Trials(ctx, opts.Study)
	if err != nil {
		return studyError(err)
	}
	studies, err := store.Studies(ctx)
	if err != nil {
		return err
	}
	inner := search.InnerStudies(studies, opts.Study)
	var trials []search.TrialRecord
	for _, t := range all {
		if state == nil || t.State == *state {
			trials = append(trials, t)
		}
	}
	switch {
	case opts.JSON:
		return printTrialsJSON(stdout, trials, inner)
	case opts.CSV:
		spec, err := studySpace(newRegistry())(info)
		if err != nil {
			fmt.Fprintf(stderr, "goglove: trials: study %s: its space: %s; the decisions' columns are left out\n", terminalText(opts.Study), oneLine(err.Error()))
			spec = nil
		}
		return printTrialsCSV(stdout, spec, trials)
	}
	counts := map[string]string{}
	for _, names := range inner {
		for _, name := range names {
			res, err := search.Summarize(ctx, store, name)
			if err != nil {
				return err
			}
			counts[name] = innerSummaryText(res)
		}
	}
	return printTrialsTable(stdout, info.Objectives, trials, inner, counts)
}

// programJSON returns a trial's program as compact JSON, or null.
func programJSON(t *search.TrialRecord) (json.RawMessage, error) {
	if t.Program == nil {
		return json.RawMessage("null"), nil
	}
	b, err := symbolic.EncodeJSONCompact(t.Program)
	if err != nil {
		return nil, fmt.Errorf("trial %d: %w", t.Number, err)
	}
	return b, nil
}

// dnaJSON returns a trial's DNA as JSON: its numbers form, as search
// --json prints it (a flat array, e.g. [1, 0.5]), which the trial keeps as
// text; the nested form only when the text is missing or not JSON.
func dnaJSON(t *search.TrialRecord) (json.RawMessage, error) {
	if t.DNAText != "" && json.Valid([]byte(t.DNAText)) {
		return json.RawMessage(t.DNAText), nil
	}
	b, err := json.Marshal(t.DNA)
	if err != nil {
		return nil, fmt.Errorf("trial %d: %w", t.Number, err)
	}
	return b, nil
}

func printTrialsJSON(w io.Writer, trials []search.TrialRecord, inner map[int][]string) error {
	for i := range trials {
		t := &trials[i]
		line := trialLineJSON{Number: t.Number, State: t.State.String(), DNAText: t.DNAText, Metrics: t.Metrics,
			Steps: t.Steps, Attempt: t.Attempt, Worker: t.Worker, Error: t.Error, Created: t.Created.UTC(), InnerStudies: inner[t.Number]}
		var err error
		if line.DNA, err = dnaJSON(t); err != nil {
			return err
		}
		if line.Program, err = programJSON(t); err != nil {
			return err
		}
		if line.Metrics == nil {
			line.Metrics = search.Metrics{}
		}
		if line.Steps == nil {
			line.Steps = []search.Step{}
		}
		if !t.Finished.IsZero() {
			f := t.Finished.UTC()
			line.Finished = &f
		}
		if t.State == search.Running && !t.Heartbeat.IsZero() {
			h := t.Heartbeat.UTC()
			line.Heartbeat = &h
		}
		if err := writeJSONLine(w, line); err != nil {
			return err
		}
	}
	return nil
}

func printTrialsCSV(w io.Writer, spec *space.DNASpec, trials []search.TrialRecord) error {
	seen := map[string]bool{}
	var metrics []string
	for _, t := range trials {
		for k := range t.Metrics {
			if !seen[k] {
				seen[k] = true
				metrics = append(metrics, k)
			}
		}
	}
	sort.Strings(metrics)
	cw := csv.NewWriter(w)
	header := []string{"number", "state", "dna_text", "attempt", "worker", "error"}
	var columns []space.Column
	if spec != nil {
		columns = spec.Columns()
	}
	taken := map[string]bool{}
	for _, h := range header {
		taken[h] = true
	}
	for _, c := range columns {
		header = append(header, terminalText(c.Name))
		taken[c.Name] = true
	}
	for _, k := range metrics {
		if taken[k] {
			k = "metric:" + k
		}
		header = append(header, terminalText(k))
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, t := range trials {
		row := []string{strconv.Itoa(t.Number), t.State.String(), terminalText(t.DNAText), strconv.Itoa(t.Attempt),
			terminalText(t.Worker), terminalText(t.Error)}
		if len(columns) > 0 {
			cells := spec.Row(trialDNA(spec, &t))
			for _, c := range columns {
				row = append(row, terminalText(cells[c.Name].Text))
			}
		}
		for _, k := range metrics {
			v, ok := t.Metrics[k]
			if ok {
				row = append(row, formatMetric(v, -1))
			} else {
				row = append(row, "")
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// innerSummaryText sums an inner study up for the trials table:
// "4 trials: 3 completed, 1 skipped; best trial 2".
func innerSummaryText(res *search.Result) string {
	l := studyJSON{Completed: res.Completed, Failed: res.Failed, Skipped: res.Skipped, EarlyStopped: res.EarlyStopped}
	l.Trials = l.Completed + l.Failed + l.Skipped + l.EarlyStopped
	s := trialCountsText(l)
	if res.Best != nil {
		s += "; best trial " + strconv.Itoa(res.Best.Number)
	}
	return s
}

func printTrialsTable(w io.Writer, objectives []search.Metric, trials []search.TrialRecord, inner map[int][]string, counts map[string]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tSTATE\tATTEMPT\tWORKER\tDNA\tMETRICS\tERROR")
	for _, t := range trials {
		worker := t.Worker
		if worker == "" {
			worker = "-"
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\t%s\n", t.Number, t.State, t.Attempt, cell(worker),
			cell(t.DNAText), metricsText(objectives, t.Metrics), cell(oneLine(t.Error)))
		for _, name := range inner[t.Number] {
			fmt.Fprintf(tw, "\t  inner\t\t\t%s\t%s\t\n", cell(name), counts[name])
		}
	}
	return tw.Flush()
}

// trialDNA returns a trial's DNA, parsed from its numbers form when the
// store gave none.
func trialDNA(spec *space.DNASpec, t *search.TrialRecord) space.DNA {
	if len(t.DNA.Children) == 0 && t.DNAText != "" {
		if d, err := spec.ParseNumbers(t.DNAText); err == nil {
			return d
		}
	}
	return t.DNA
}

// cell makes s fit in one tabwriter cell, its other control characters
// escaped (see terminalText).
func cell(s string) string {
	return terminalText(strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s))
}
