package plots

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
)

// ReportOptions complete what a report says about a study.
type ReportOptions struct {
	// Config is the study's config, printed as YAML (nil: none kept).
	Config symbolic.Value
	// Store names the store the study is in, for the report's first
	// lines; it must not hold a password (storeurl.Describe).
	Store string
	// Top is how many of the best trials are listed; 0 means 10.
	Top int
	// Limit is Options.Limit for the plots.
	Limit int
}

// ReportFile is the name of a report's Markdown file in its directory:
// a code-hosting site shows it when the directory is opened.
const ReportFile = "README.md"

// WriteReport writes a Markdown report of the study to dir (created if
// missing): ReportFile, with the plots it shows as SVG files in
// dir/plots/. It holds the counts of trials by state, the search's cost
// (wall time, trial time by state, trials per worker, the training time
// the trials report), the best trials with their decisions, the Pareto
// front of a study of several objectives, the decisions' importance, the
// plots (a kind the study lacks the data for is named with the reason)
// and the config. It returns the files written.
func WriteReport(dir string, s *Study, o *ReportOptions) ([]string, error) {
	var opts ReportOptions
	if o != nil {
		opts = *o
	}
	if opts.Top <= 0 {
		opts.Top = 10
	}
	if err := os.MkdirAll(filepath.Join(dir, "plots"), 0o755); err != nil {
		return nil, fmt.Errorf("plots: report: %w", err)
	}
	var b bytes.Buffer
	var files []string
	fmt.Fprintf(&b, "# Study %s\n\n", mdText(s.Name))
	if opts.Store != "" {
		fmt.Fprintf(&b, "Kept in %s. ", mdText(opts.Store))
	}
	fmt.Fprintf(&b, "%s.\n\n", objectivesText(s.Objectives))
	reportCounts(&b, s)
	reportCost(&b, s)
	reportBest(&b, s, opts.Top)
	reportPareto(&b, s)
	reportImportance(&b, s)
	b.WriteString("## Plots\n\n")
	for _, kind := range Kinds {
		c, err := Build(kind, s, &Options{Limit: opts.Limit})
		if errors.Is(err, ErrNoData) {
			fmt.Fprintf(&b, "- %s: not drawn (%s)\n", kind, strings.TrimPrefix(err.Error(), ErrNoData.Error()+": "))
			continue
		}
		if err != nil {
			return files, err
		}
		name := filepath.Join("plots", kind+".svg")
		if err := Save(c, filepath.Join(dir, name)); err != nil {
			return files, err
		}
		files = append(files, filepath.Join(dir, name))
		fmt.Fprintf(&b, "\n### %s\n\n![%s](%s)\n", kind, kind, filepath.ToSlash(name))
		for _, n := range c.Notes {
			fmt.Fprintf(&b, "\n%s.\n", mdText(n))
		}
	}
	b.WriteString("\n")
	if opts.Config != nil {
		text, err := symbolic.EncodeYAML(opts.Config)
		if err != nil {
			return files, fmt.Errorf("plots: report: the config: %w", err)
		}
		fmt.Fprintf(&b, "## Config\n\n```yaml\n%s```\n", strings.ReplaceAll(string(text), "```", "` ` `"))
	}
	path := filepath.Join(dir, ReportFile)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return files, fmt.Errorf("plots: report: %w", err)
	}
	return append([]string{path}, files...), nil
}

func objectivesText(ms []search.Metric) string {
	if len(ms) == 0 {
		return "No objective"
	}
	var parts []string
	for _, m := range ms {
		parts = append(parts, mdCode(m.Name)+" ("+m.Direction.String()+")")
	}
	if len(parts) == 1 {
		return "Objective: " + parts[0]
	}
	return "Objectives: " + strings.Join(parts, ", ") + ", the first one primary"
}

func reportCounts(b *bytes.Buffer, s *Study) {
	counts := map[search.State]int{}
	for _, t := range s.Trials {
		counts[t.State]++
	}
	fmt.Fprintf(b, "%d trials:", len(s.Trials))
	first := true
	for st := search.Running; st <= search.Waiting; st++ {
		if counts[st] == 0 {
			continue
		}
		if !first {
			b.WriteString(",")
		}
		first = false
		fmt.Fprintf(b, " %d %s", counts[st], strings.ReplaceAll(st.String(), "_", " "))
	}
	b.WriteString(".\n\n")
}

// reportCost writes the search's cost: wall time, time spent in trials by
// state, trials per worker, and the training time the trials report.
func reportCost(b *bytes.Buffer, s *Study) {
	b.WriteString("## Cost\n\n")
	var start, end time.Time
	byState := map[search.State]time.Duration{}
	perWorker := map[string]int{}
	trainSeconds, withTrain := 0.0, 0
	for _, t := range s.Trials {
		if t.State == search.Waiting {
			continue
		}
		if start.IsZero() || t.Created.Before(start) {
			start = t.Created
		}
		if t.Finished.After(end) {
			end = t.Finished
		}
		perWorker[t.Worker]++
		if !t.Finished.IsZero() {
			byState[t.State] += t.Finished.Sub(t.Created)
		}
		if v, ok := t.Metrics["train_seconds"]; ok {
			trainSeconds += v
			withTrain++
		}
	}
	if start.IsZero() {
		b.WriteString("No trial has started.\n\n")
		return
	}
	b.WriteString("| measure | value |\n|---|---|\n")
	if !end.IsZero() {
		fmt.Fprintf(b, "| wall time, first trial created to last finished | %s |\n", duration(end.Sub(start)))
	}
	var total time.Duration
	for st := search.Running; st <= search.Waiting; st++ {
		if d, ok := byState[st]; ok {
			total += d
			fmt.Fprintf(b, "| time in %s trials | %s |\n", strings.ReplaceAll(st.String(), "_", " "), duration(d))
		}
	}
	fmt.Fprintf(b, "| time in finished trials, all | %s |\n", duration(total))
	if withTrain > 0 {
		fmt.Fprintf(b, "| training time the trials report (train_seconds, %d trials) | %s |\n", withTrain, duration(time.Duration(trainSeconds*float64(time.Second))))
	}
	workers := slices.Sorted(func(yield func(string) bool) {
		for w := range perWorker {
			if !yield(w) {
				return
			}
		}
	})
	fmt.Fprintf(b, "| workers | %d |\n", len(workers))
	if wall := end.Sub(start); !end.IsZero() && wall > 0 && len(workers) > 0 {
		fmt.Fprintf(b, "| busy: time in trials over wall time × workers | %.0f%% |\n", 100*total.Seconds()/(wall.Seconds()*float64(len(workers))))
	}
	b.WriteString("\n")
	b.WriteString("| worker | trials |\n|---|---|\n")
	for _, w := range workers {
		name := w
		if name == "" {
			name = "(none)"
		}
		fmt.Fprintf(b, "| %s | %d |\n", mdCell(name), perWorker[w])
	}
	b.WriteString("\n")
}

// duration rounds d for a report: to the millisecond below a minute, to
// the second above.
func duration(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// reportBest lists the best completed trials by the primary objective.
func reportBest(b *bytes.Buffer, s *Study, top int) {
	m, ok := s.primary()
	if !ok {
		return
	}
	trials, values := s.completed(m)
	if len(trials) == 0 {
		b.WriteString("## Best trials\n\nNo trial completed.\n\n")
		return
	}
	order := make([]int, len(trials))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, c int) int {
		switch {
		case better(m, values[a], values[c]):
			return -1
		case better(m, values[c], values[a]):
			return 1
		}
		return cmp.Compare(trials[a].Number, trials[c].Number)
	})
	if len(order) > top {
		order = order[:top]
	}
	fmt.Fprintf(b, "## Best trials\n\nThe %d best of %d completed trials by %s:\n\n", len(order), len(trials), mdCode(m.Name))
	sel := make([]*search.TrialRecord, len(order))
	for i, j := range order {
		sel[i] = trials[j]
	}
	trialTable(b, s, sel)
}

// reportPareto lists the Pareto front of a study of several objectives.
func reportPareto(b *bytes.Buffer, s *Study) {
	if len(s.Objectives) < 2 {
		return
	}
	front, _ := ParetoFront(s)
	if len(front) == 1 {
		b.WriteString("## Pareto front\n\nOne trial dominates every other completed trial:\n\n")
	} else {
		fmt.Fprintf(b, "## Pareto front\n\n%d trials no other completed trial dominates:\n\n", len(front))
	}
	trialTable(b, s, front)
}

// trialTable writes a table of trials: number, the objectives, then each
// decision.
func trialTable(b *bytes.Buffer, s *Study, trials []*search.TrialRecord) {
	var cols []string
	if s.Spec != nil {
		for _, c := range s.Spec.Columns() {
			cols = append(cols, c.Name)
		}
	}
	b.WriteString("| trial |")
	for _, m := range s.Objectives {
		fmt.Fprintf(b, " %s |", mdCell(m.Name))
	}
	for _, c := range cols {
		fmt.Fprintf(b, " %s |", mdCell(c))
	}
	b.WriteString("\n|---|")
	b.WriteString(strings.Repeat("---|", len(s.Objectives)+len(cols)))
	b.WriteString("\n")
	for _, t := range trials {
		fmt.Fprintf(b, "| %d |", t.Number)
		for _, m := range s.Objectives {
			v, ok := t.Metrics[m.Name]
			cell := ""
			if ok {
				cell = number(v)
			}
			fmt.Fprintf(b, " %s |", cell)
		}
		if s.Spec != nil {
			dna := t.DNA
			if len(dna.Children) == 0 && t.DNAText != "" {
				if d, err := s.Spec.ParseNumbers(t.DNAText); err == nil {
					dna = d
				}
			}
			row := s.Spec.Row(dna)
			for _, c := range s.Spec.Columns() {
				cell, ok := row[c.Name]
				text := cell.Text
				switch {
				case ok && cell.Index >= 0:
					text = CandidateLabel(c.Point.Candidates[cell.Index])
				case ok:
					text = number(cell.Number)
				}
				fmt.Fprintf(b, " %s |", mdCell(shorten(text, 40)))
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

// reportImportance writes the decisions' importance, when it can be
// estimated.
func reportImportance(b *bytes.Buffer, s *Study) {
	imps, err := Importances(s)
	if err != nil {
		return
	}
	slices.SortStableFunc(imps, func(a, c Importance) int { return cmp.Compare(c.Value, a.Value) })
	b.WriteString("## Importance of the decisions\n\nPED-ANOVA style (see `go doc plots.Importances`); a conditional decision is measured in the trials that have it, weighted by their share:\n\n")
	b.WriteString("| decision | importance | in trials |\n|---|---|---|\n")
	for _, im := range imps {
		fmt.Fprintf(b, "| %s | %.3f | %s%% |\n", mdCell(im.Decision), im.Value, strconv.FormatFloat(100*im.Active, 'f', 0, 64))
	}
	b.WriteString("\n")
}

// number formats a metric for a report: integers as integers, others to
// six significant digits.
func number(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// mdText escapes what Markdown (GitHub's flavour) would take as markup
// in running text or a table cell: \ ` * [ ] < > & | ~, and _ at either
// end of a word (inside one it is no emphasis); control characters are
// written as \xNN, line breaks as spaces.
func mdText(s string) string {
	var b strings.Builder
	rs := []rune(s)
	word := func(i int) bool {
		return i >= 0 && i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i]))
	}
	for i, r := range rs {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\x%02x", r)
		case strings.ContainsRune("\\`*[]<>&|~", r), r == '_' && !(word(i-1) && word(i+1)):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCell is mdText for a table cell.
func mdCell(s string) string { return mdText(s) }

// mdCode writes s as inline code, with a fence longer than any run of
// backticks in it; control characters become spaces.
func mdCode(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " " // CommonMark strips one space each side
	}
	return fence + s + fence
}
