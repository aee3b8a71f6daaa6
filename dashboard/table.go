package dashboard

import (
	"cmp"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/search"
)

// Bounds of a trials page.
const (
	defaultPageSize = 50
	maxPageSize     = 500
	errorPreview    = 200 // runes of a trial's error shown in the table
)

// tableQuery is what a trials page asks for: GET /api/trials?study=S
// &state=completed&sort=metric:loss&desc=1&offset=0&limit=50
// &metric=loss&min=0.1&max=0.5&q=text.
type tableQuery struct {
	// State keeps one state's trials ("" all).
	State string
	// Sort is number, state, worker, created, duration or metric:NAME.
	Sort string
	// Desc sorts in decreasing order.
	Desc bool
	// Offset and Limit select the page.
	Offset, Limit int
	// Metric, with Min and Max (NaN: unbounded), keeps the trials whose
	// metric is within bounds.
	Metric   string
	Min, Max float64
	// Text keeps the trials whose worker, error or DNA holds it.
	Text string
}

// parseTableQuery reads a tableQuery from a request's query, or returns
// an error naming the parameter that is wrong.
func parseTableQuery(v url.Values) (tableQuery, error) {
	q := tableQuery{State: v.Get("state"), Sort: v.Get("sort"), Desc: v.Get("desc") == "1" || v.Get("desc") == "true",
		Metric: v.Get("metric"), Text: v.Get("q"), Limit: defaultPageSize, Min: math.NaN(), Max: math.NaN()}
	if q.Sort == "" {
		q.Sort = "number"
	}
	switch {
	case q.Sort == "number", q.Sort == "state", q.Sort == "worker", q.Sort == "created", q.Sort == "duration":
	case strings.HasPrefix(q.Sort, "metric:") && len(q.Sort) > len("metric:"):
	default:
		return q, fmt.Errorf("sort %q: want number, state, worker, created, duration or metric:NAME", q.Sort)
	}
	if q.State != "" {
		if _, err := search.ParseState(q.State); err != nil {
			return q, fmt.Errorf("state %q: unknown state", q.State)
		}
	}
	ints := []struct {
		name     string
		dst      *int
		min, max int
	}{{"offset", &q.Offset, 0, math.MaxInt32}, {"limit", &q.Limit, 1, maxPageSize}}
	for _, p := range ints {
		if s := v.Get(p.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < p.min || n > p.max {
				return q, fmt.Errorf("%s %q: want an integer from %d to %d", p.name, s, p.min, p.max)
			}
			*p.dst = n
		}
	}
	for _, p := range []struct {
		name string
		dst  *float64
	}{{"min", &q.Min}, {"max", &q.Max}} {
		if s := v.Get(p.name); s != "" {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(f) {
				return q, fmt.Errorf("%s %q: want a number", p.name, s)
			}
			*p.dst = f
		}
	}
	if q.Metric == "" && (!math.IsNaN(q.Min) || !math.IsNaN(q.Max)) {
		return q, fmt.Errorf("min and max bound a metric: give metric=NAME")
	}
	return q, nil
}

// tablePage is the JSON of a trials page.
type tablePage struct {
	// Total is the study's trial count; Matched the count the filters
	// keep, of which Rows are the page from Offset.
	Total   int        `json:"total"`
	Matched int        `json:"matched"`
	Offset  int        `json:"offset"`
	Rows    []tableRow `json:"rows"`
	// States counts the matched trials by state; Metrics aggregates each
	// metric over them.
	States  map[string]int           `json:"states"`
	Metrics map[string]metricSummary `json:"metrics"`
	Version string                   `json:"version"`
}

// tableRow is one trial in a page.
type tableRow struct {
	Number  int                `json:"number"`
	State   string             `json:"state"`
	Attempt int                `json:"attempt"`
	Worker  string             `json:"worker"`
	DNA     string             `json:"dna"`
	Metrics map[string]float64 `json:"metrics"`
	Error   string             `json:"error"`
	Created time.Time          `json:"created"`
	Seconds *float64           `json:"seconds"` // from created to finished, null while running
	Steps   int                `json:"steps"`
}

// metricSummary aggregates one metric over the matched trials that
// report it.
type metricSummary struct {
	Count int     `json:"count"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Mean  float64 `json:"mean"`
}

// page answers a query from a snapshot: filter, sort (the order of each
// sort key is computed once per snapshot), aggregate, cut. The trials a
// filter and sort keep, with their aggregates, are kept per snapshot
// too, so that paging through them costs only the page.
func (s *snapshot) page(q tableQuery) tablePage {
	m := s.matches(q)
	out := tablePage{Total: len(s.trials), Matched: len(m.indices), Offset: q.Offset, States: m.states, Metrics: m.metrics,
		Version: s.version, Rows: []tableRow{}}
	for _, i := range m.indices[min(q.Offset, len(m.indices)):min(q.Offset+q.Limit, len(m.indices))] {
		out.Rows = append(out.Rows, rowOf(&s.trials[i]))
	}
	return out
}

// match is the trials a query's filters and sort keep, in order, and
// their aggregates.
type match struct {
	indices []int
	states  map[string]int
	metrics map[string]metricSummary
}

// maxMatches bounds the matches a snapshot keeps.
const maxMatches = 64

// matches returns the match of a query, kept per snapshot and query (but
// for its page).
func (s *snapshot) matches(q tableQuery) *match {
	key := fmt.Sprintf("%s\x00%s\x00%t\x00%s\x00%v\x00%v\x00%s", q.State, q.Sort, q.Desc, q.Metric, q.Min, q.Max, q.Text)
	s.matchMu.Lock()
	m, ok := s.matchCache[key]
	s.matchMu.Unlock()
	if ok {
		return m
	}
	m = s.match(q)
	s.matchMu.Lock()
	if s.matchCache == nil || len(s.matchCache) >= maxMatches {
		s.matchCache = map[string]*match{}
	}
	s.matchCache[key] = m
	s.matchMu.Unlock()
	return m
}

// accumulator sums one metric.
type accumulator struct {
	n             int
	min, max, sum float64
}

// match computes a query's match.
func (s *snapshot) match(q tableQuery) *match {
	order := s.order(q.Sort)
	var state search.State
	if q.State != "" {
		state, _ = search.ParseState(q.State)
	}
	acc := map[string]*accumulator{}
	states := map[string]int{}
	matched := make([]int, 0, len(order))
	for _, i := range order {
		t := &s.trials[i]
		if q.State != "" && t.State != state {
			continue
		}
		if q.Metric != "" {
			v, ok := t.Metrics[q.Metric]
			if !ok || (!math.IsNaN(q.Min) && v < q.Min) || (!math.IsNaN(q.Max) && v > q.Max) {
				continue
			}
		}
		if q.Text != "" && !strings.Contains(t.Worker, q.Text) && !strings.Contains(t.Error, q.Text) && !strings.Contains(t.DNAText, q.Text) {
			continue
		}
		matched = append(matched, i)
		states[t.State.String()]++
		for k, v := range t.Metrics {
			a := acc[k]
			if a == nil {
				a = &accumulator{min: v, max: v}
				acc[k] = a
			}
			a.n++
			a.sum += v
			a.min, a.max = math.Min(a.min, v), math.Max(a.max, v)
		}
	}
	metrics := make(map[string]metricSummary, len(acc))
	for k, a := range acc {
		metrics[k] = metricSummary{Count: a.n, Min: a.min, Max: a.max, Mean: a.sum / float64(a.n)}
	}
	if q.Desc {
		slices.Reverse(matched)
		// Trials without the sort key (a metric, a duration) stay last
		// either way.
		n := 0
		for n < len(matched) && lacksKey(q.Sort, &s.trials[matched[n]]) {
			n++
		}
		matched = append(matched[n:], matched[:n]...)
	}
	return &match{indices: matched, states: states, metrics: metrics}
}

// rowOf makes a table row of a trial.
func rowOf(t *search.TrialRecord) tableRow {
	r := tableRow{Number: t.Number, State: t.State.String(), Attempt: t.Attempt, Worker: t.Worker, DNA: t.DNAText,
		Metrics: t.Metrics, Error: preview(t.Error, errorPreview), Created: t.Created.UTC(), Steps: len(t.Steps)}
	if r.Metrics == nil {
		r.Metrics = map[string]float64{}
	}
	if !t.Finished.IsZero() {
		d := t.Finished.Sub(t.Created).Seconds()
		r.Seconds = &d
	}
	return r
}

// preview cuts s to n runes, marking the cut.
func preview(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// order returns the trials' indices sorted by key, ties by number;
// trials without a metric sorted on sort after all that have it. The
// order is computed once per snapshot and key.
func (s *snapshot) order(key string) []int {
	if o, ok := s.orders.Load(key); ok {
		return o.([]int)
	}
	idx := make([]int, len(s.trials))
	for i := range idx {
		idx[i] = i
	}
	ts := s.trials
	// Each trial's key is computed once, then the indices are sorted on
	// it: a comparison never looks into a map.
	type sortKey struct {
		missing bool // the trial lacks the metric: after all that have it
		f       float64
		s       string
	}
	keys := make([]sortKey, len(ts))
	for i := range ts {
		t := &ts[i]
		switch key {
		case "number":
		case "state":
			keys[i].s = t.State.String()
		case "worker":
			keys[i].s = t.Worker
		case "created":
			keys[i].f = float64(t.Created.UnixNano())
		case "duration":
			if t.Finished.IsZero() {
				keys[i].missing = true
			} else {
				keys[i].f = t.Finished.Sub(t.Created).Seconds()
			}
		default:
			v, ok := t.Metrics[strings.TrimPrefix(key, "metric:")]
			keys[i] = sortKey{missing: !ok, f: v}
		}
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		a, b := &keys[i], &keys[j]
		if a.missing != b.missing {
			if a.missing {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(a.f, b.f); c != 0 {
			return c
		}
		if c := cmp.Compare(a.s, b.s); c != 0 {
			return c
		}
		return cmp.Compare(ts[i].Number, ts[j].Number)
	})
	s.orders.Store(key, idx)
	return idx
}

// lacksKey reports whether a trial has no value for a sort key: the
// metric it names, or a duration while it runs.
func lacksKey(key string, t *search.TrialRecord) bool {
	if key == "duration" {
		return t.Finished.IsZero()
	}
	if name, ok := strings.CutPrefix(key, "metric:"); ok {
		_, has := t.Metrics[name]
		return !has
	}
	return false
}

// sortedKeys returns a set's keys in order.
func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
