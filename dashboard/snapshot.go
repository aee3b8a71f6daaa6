package dashboard

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/c2602f9e/goglove/plots"
	"github.com/c2602f9e/goglove/search"
)

// snapshot is one read of a study: its info and trials, and what is
// derived from them. Its fields do not change once it is made, but for
// the caches, which hold their own locks.
type snapshot struct {
	info     search.StudyInfo
	trials   []search.TrialRecord
	study    *plots.Study // nil when the space could not be read
	spaceErr string       // why study has no space, or ""
	version  string
	loaded   time.Time
	took     time.Duration
	counts   map[string]int
	metrics  []string // every metric name the trials report, sorted
	best     *search.TrialRecord

	orders sync.Map // sort key → []int, the trials' order

	matchMu    sync.Mutex
	matchCache map[string]*match // see matches
}

// newSnapshot derives a snapshot from what was read.
func newSnapshot(info search.StudyInfo, trials []search.TrialRecord, spaceOf plots.SpaceOf, loaded time.Time, took time.Duration) *snapshot {
	s := &snapshot{info: info, trials: trials, loaded: loaded, took: took, counts: map[string]int{}}
	var seq int64
	names := map[string]bool{}
	for i := range trials {
		t := &trials[i]
		s.counts[t.State.String()]++
		seq = max(seq, t.Seq)
		for k := range t.Metrics {
			names[k] = true
		}
	}
	s.metrics = sortedKeys(names)
	s.version = strconv.Itoa(len(trials)) + "-" + strconv.FormatInt(seq, 10)
	study, err := plots.FromRecords(info, trials, spaceOf)
	if err != nil {
		s.spaceErr = err.Error()
		study, _ = plots.FromRecords(info, trials, nil)
	}
	s.study = study
	if len(info.Objectives) > 0 {
		m := info.Objectives[0]
		for i := range trials {
			t := &trials[i]
			v, ok := t.Metrics[m.Name]
			if t.State != search.Completed || !ok {
				continue
			}
			if s.best == nil || better(m, v, s.best.Metrics[m.Name]) {
				s.best = t
			}
		}
	}
	return s
}

// better reports whether a is better than b for m.
func better(m search.Metric, a, b float64) bool {
	if m.Direction == search.Maximize {
		return a > b
	}
	return a < b
}

// snapshots keeps the latest snapshot of each study.
type snapshots struct {
	st      search.Store
	spaceOf plots.SpaceOf
	refresh time.Duration
	now     func() time.Time

	mu      sync.Mutex
	studies map[string]*studyEntry
}

// studyEntry holds one study's snapshot; its lock is held while the study
// is read, so that concurrent requests read it once.
type studyEntry struct {
	mu   sync.Mutex
	snap *snapshot
}

// get returns the study's snapshot, read again when the last one is older
// than the refresh interval, or than twice the time its read took.
func (c *snapshots) get(ctx context.Context, name string) (*snapshot, error) {
	c.mu.Lock()
	e := c.studies[name]
	if e == nil {
		e = &studyEntry{}
		c.studies[name] = e
	}
	c.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if s := e.snap; s != nil && c.now().Sub(s.loaded) < max(c.refresh, 2*s.took) {
		return s, nil
	}
	start := c.now()
	info, err := c.st.Study(ctx, name)
	if err != nil {
		return nil, err
	}
	trials, err := c.st.Trials(ctx, name)
	if err != nil {
		return nil, err
	}
	end := c.now()
	e.snap = newSnapshot(info, trials, c.spaceOf, end, end.Sub(start))
	return e.snap, nil
}

// forget drops the snapshots of studies that no longer exist.
func (c *snapshots) forget(keep map[string]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name := range c.studies {
		if !keep[name] {
			delete(c.studies, name)
		}
	}
}
