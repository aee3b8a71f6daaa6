package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/pgstore"
	"github.com/c2602f9e/goglove/search/sqlitestore"
	"github.com/c2602f9e/goglove/search/storeurl"
	"github.com/spf13/cobra"
)

// studiesOptions are the flags of "goglove studies".
type studiesOptions struct {
	// Store is the URL of the store to list; it must be given.
	Store string
	// JSON prints one JSON object per study and line instead of text.
	JSON bool
}

const studiesUsage = "goglove studies [--store URL] [--json]"

func newStudiesCmd() *cobra.Command {
	var opts studiesOptions
	cmd := &cobra.Command{
		Use:   "studies [--store URL] [--json]",
		Short: "List the studies a store keeps; delete, rename or copy one",
		Long: `Studies lists the studies kept in the store --store names (sqlite://PATH
or postgres://…), sorted by name: one line per study with its name, its
objectives, its number of trials by state and its creation time. A
study nested in a trial of another (an inner search's, named
OUTER/trial-N/NAME) is listed under its outer study, indented, in trial
order.

With --json it prints one JSON object per study and line:

    {"name": ..., "objectives": [{"name": ..., "direction": ...}],
     "created": "2006-01-02T15:04:05Z", "trials": n, "running": n,
     "completed": n, "failed": n, "skipped": n, "early_stopped": n,
     "waiting": n}

and, for a nested study, "outer": the outer study's name and
"outer_trial": the outer trial's number.

A missing --store, or a SQLite file that does not exist, is bad input
(exit code 2).

"goglove studies rm STUDY" deletes a study with its trials, "goglove
studies rename STUDY NEW" renames one and "goglove studies copy STUDY
NEW" copies one; see their --help.`,
		Example: `  goglove studies --store sqlite://goglove.db
  goglove studies --store sqlite://goglove.db --json
  goglove studies rm --store sqlite://goglove.db branin-tpe --yes`,
		Args: cobra.ArbitraryArgs, // runStudies checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return groupArgs(cmd, args) // names no verb: rm, rename, copy
			}
			return runStudies(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
		SuggestionsMinimumDistance: 2,
	}
	f := cmd.Flags()
	f.StringVar(&opts.Store, "store", "", storeFlagHelp)
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object per study and line")
	cmd.AddCommand(newStudiesRmCmd(), newStudiesRenameCmd(), newStudiesCopyCmd())
	return cmd
}

// studyJSON is one line of studies --json; the JSON names are part of the
// command's output format.
type studyJSON struct {
	Name         string          `json:"name"`
	Objectives   []objectiveJSON `json:"objectives"`
	Created      time.Time       `json:"created"`
	Trials       int             `json:"trials"`
	Running      int             `json:"running"`
	Completed    int             `json:"completed"`
	Failed       int             `json:"failed"`
	Skipped      int             `json:"skipped"`
	EarlyStopped int             `json:"early_stopped"`
	Waiting      int             `json:"waiting"`
	// Outer and OuterTrial name the outer study and trial of a study
	// nested in one (an inner search's: OUTER/trial-N/NAME); absent for
	// the others.
	Outer      string `json:"outer,omitempty"`
	OuterTrial *int   `json:"outer_trial,omitempty"`
	depth      int    // how deeply nested under studies listed
}

// runStudies lists the studies of a store.
func runStudies(ctx context.Context, opts studiesOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkArgCount("studies", args, 0, studiesUsage); err != nil {
		return err
	}
	store, err := openReadOnlyStore(ctx, "studies", opts.Store, studiesUsage)
	if err != nil {
		return err
	}
	defer store.Close()
	studies, err := store.Studies(ctx)
	if err != nil {
		return err
	}
	studies = nestedOrder(studies)
	var lines []studyJSON
	for _, s := range studies {
		trials, err := store.Trials(ctx, s.Name)
		if err != nil {
			return err
		}
		line := studyJSON{Name: s.Name, Objectives: objectivesJSON(s.Objectives), Created: s.Created.UTC(), Trials: len(trials)}
		if outer, n, _, ok := search.ParseInnerStudyName(s.Name); ok {
			line.Outer, line.OuterTrial = outer, &n
			line.depth = nestingDepth(studies, s.Name)
		}
		for _, t := range trials {
			switch t.State {
			case search.Running:
				line.Running++
			case search.Completed:
				line.Completed++
			case search.Failed:
				line.Failed++
			case search.Skipped:
				line.Skipped++
			case search.EarlyStopped:
				line.EarlyStopped++
			case search.Waiting:
				line.Waiting++
			}
		}
		lines = append(lines, line)
	}
	if opts.JSON {
		for _, l := range lines {
			if err := writeJSONLine(stdout, l); err != nil {
				return err
			}
		}
		return nil
	}
	if len(lines) == 0 {
		note(stderr, "the store holds no study")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for i, l := range lines {
		fmt.Fprintf(tw, "%s\t%s\t%s\tcreated %s\n", strings.Repeat("  ", l.depth)+cell(l.Name), objectivesText(studies[i].Objectives),
			trialCountsText(l), l.Created.Format(time.RFC3339))
	}
	return tw.Flush()
}

// trialCountsText formats a study's trial counts as
// "12 trials: 10 completed, 2 failed", leaving out the states with none.
func trialCountsText(l studyJSON) string {
	var parts []string
	for _, c := range []struct {
		n    int
		name string
	}{{l.Running, "running"}, {l.Completed, "completed"}, {l.Failed, "failed"}, {l.Skipped, "skipped"}, {l.EarlyStopped, "stopped early"}, {l.Waiting, "waiting"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.name))
		}
	}
	s := fmt.Sprintf("%d trials", l.Trials)
	if l.Trials == 1 {
		s = "1 trial"
	}
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	return s
}

// objectivesJSON converts objectives to their JSON form.
func objectivesJSON(objectives []search.Metric) []objectiveJSON {
	out := []objectiveJSON{}
	for _, o := range objectives {
		out = append(out, objectiveJSON{Name: o.Name, Direction: o.Direction.String()})
	}
	return out
}

// openExistingStore opens the store of a verb on studies that exist
// (worker, ask, tell, studies rm): a SQLite file must exist (opening one
// would create it). Errors never repeat the URL.
func openExistingStore(ctx context.Context, verb, rawURL, usage string) (search.Store, error) {
	return openExisting(ctx, verb, rawURL, false)
}

// openReadOnlyStore opens the store of a verb that only reads (studies,
// trials, best) as openExistingStore does, but a SQLite file for reading
// only, so that a file the user may only read serves.
func openReadOnlyStore(ctx context.Context, verb, rawURL, usage string) (search.Store, error) {
	return openExisting(ctx, verb, rawURL, true)
}

func openExisting(ctx context.Context, verb, flag string, readOnly bool) (search.Store, error) {
	st, err := openStoreMode(ctx, verb, flag, &storeurl.Options{Registry: newRegistry(), ReadOnly: readOnly, MustExist: true})
	if errors.Is(err, sqlitestore.ErrSchemaTooOld) || errors.Is(err, pgstore.ErrSchemaTooOld) {
		return nil, badInput(err)
	}
	return st, err
}

// studyError marks an unknown study as bad input.
func studyError(err error) error {
	if errors.Is(err, search.ErrNotFound) {
		return badInput(err)
	}
	return err
}

// nestedOrder orders studies so that each study nested in a trial of
// another listed study comes after it (and after the studies of earlier
// trials), depth first; the others keep their order by name.
func nestedOrder(studies []search.StudyInfo) []search.StudyInfo {
	byName := map[string]bool{}
	for _, s := range studies {
		byName[s.Name] = true
	}
	children := map[string][]search.StudyInfo{}
	var roots []search.StudyInfo
	for _, s := range studies {
		if outer, _, _, ok := search.ParseInnerStudyName(s.Name); ok && byName[outer] {
			children[outer] = append(children[outer], s)
		} else {
			roots = append(roots, s)
		}
	}
	out := make([]search.StudyInfo, 0, len(studies))
	var add func(s search.StudyInfo)
	add = func(s search.StudyInfo) {
		out = append(out, s)
		kids := children[s.Name]
		sort.SliceStable(kids, func(i, j int) bool {
			_, a, an, _ := search.ParseInnerStudyName(kids[i].Name)
			_, b, bn, _ := search.ParseInnerStudyName(kids[j].Name)
			return a < b || a == b && an < bn
		})
		for _, k := range kids {
			add(k)
		}
	}
	for _, r := range roots {
		add(r)
	}
	return out
}

// nestingDepth counts the listed outer studies above a nested study.
func nestingDepth(studies []search.StudyInfo, name string) int {
	depth := 0
	for {
		outer, _, _, ok := search.ParseInnerStudyName(name)
		if !ok || !slices.ContainsFunc(studies, func(s search.StudyInfo) bool { return s.Name == outer }) {
			return depth
		}
		depth++
		name = outer
	}
}
