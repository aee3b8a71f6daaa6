package search

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// InnerStudyName returns the name of the study nested in trial n of the
// study outer: "OUTER/trial-N/NAME".
func InnerStudyName(outer string, n int, name string) string {
	return outer + "/trial-" + strconv.Itoa(n) + "/" + name
}

// ParseInnerStudyName splits the name of a nested study into its outer
// study, the outer trial's number and its own name (the inverse of
// InnerStudyName, taking the last "/trial-N/" of a study nested more
// deeply); ok is false for a name that is not a nested study's.
func ParseInnerStudyName(study string) (outer string, trial int, name string, ok bool) {
	i := strings.LastIndex(study, "/trial-")
	if i <= 0 {
		return "", 0, "", false
	}
	num, name, found := strings.Cut(study[i+len("/trial-"):], "/")
	n, err := strconv.Atoi(num)
	if !found || name == "" || err != nil || n < 0 || strconv.Itoa(n) != num {
		return "", 0, "", false
	}
	return study[:i], n, name, true
}

// InnerStudies returns the names of the studies nested in the trials of
// the study outer, among the given studies, by outer trial number, each
// trial's sorted by name.
func InnerStudies(studies []StudyInfo, outer string) map[int][]string {
	out := map[int][]string{}
	for _, s := range studies {
		if o, n, _, ok := ParseInnerStudyName(s.Name); ok && o == outer {
			out[n] = append(out[n], s.Name)
		}
	}
	for _, names := range out {
		slices.Sort(names)
	}
	return out
}

// InnerWinner is the winning trial of the inner study of an outer trial.
type InnerWinner struct {
	// Study is the inner study's name.
	Study string
	// Trial is its winning trial: the one the outer trial's
	// InnerTrialMetric names, else the inner study's best.
	Trial TrialRecord
}

// InnerWinners returns the winners of the inner studies of outer trial t
// (none when the trial ran no inner search), read from st.
func InnerWinners(ctx context.Context, st Store, outer string, t TrialRecord) ([]InnerWinner, error) {
	studies, err := st.Studies(ctx)
	if err != nil {
		return nil, err
	}
	var out []InnerWinner
	for _, name := range InnerStudies(studies, outer)[t.Number] {
		trials, err := st.Trials(ctx, name)
		if err != nil {
			return nil, err
		}
		w, ok := winnerOf(trials, t.Metrics)
		if !ok {
			res, err := Summarize(ctx, st, name)
			if err != nil {
				return nil, err
			}
			if res.Best == nil {
				continue
			}
			w = *res.Best
		}
		out = append(out, InnerWinner{Study: name, Trial: w})
	}
	return out, nil
}

// winnerOf finds the inner trial an outer trial's metrics name.
func winnerOf(trials []TrialRecord, outer Metrics) (TrialRecord, bool) {
	v, ok := outer[InnerTrialMetric]
	if !ok {
		return TrialRecord{}, false
	}
	for _, t := range trials {
		if float64(t.Number) == v {
			return t, true
		}
	}
	return TrialRecord{}, false
}
