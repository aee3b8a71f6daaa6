package dashboard

import (
	"math/rand/v2"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/search"
)

// syntheticSnapshot returns a snapshot of n trials with made-up states,
// workers and metrics (no store, no space).
func syntheticSnapshot(n int) *snapshot {
	rng := rand.New(rand.NewPCG(1, 2))
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	trials := make([]search.TrialRecord, n)
	for i := range trials {
		st := search.Completed
		m := search.Metrics{"loss": rng.Float64(), "size": float64(rng.IntN(100))}
		switch i % 10 {
		case 3:
			st, m = search.Failed, nil
		case 7:
			st = search.EarlyStopped
		}
		trials[i] = search.TrialRecord{Number: i, State: st, Metrics: m, Worker: "w" + strconv.Itoa(i%4), Seq: int64(i),
			Created: at.Add(time.Duration(i) * time.Second), Finished: at.Add(time.Duration(i)*time.Second + time.Duration(rng.IntN(1000))*time.Millisecond)}
	}
	info := search.StudyInfo{Name: "s", Objectives: []search.Metric{{Name: "loss", Direction: search.Minimize}}}
	return newSnapshot(info, trials, nil, at, 0)
}

// FuzzTableQuery: any query string either is refused or gives a page
// within its bounds; nothing panics.
func FuzzTableQuery(f *testing.F) {
	for _, seed := range []string{"", "sort=metric:loss&desc=1", "state=failed&offset=3&limit=2", "metric=loss&min=0.2&max=0.1",
		"sort=metric:&limit=0", "offset=99999999999", "q=w1&sort=duration", "min=-Inf&metric=size", "limit=500&offset=2147483647"} {
		f.Add(seed)
	}
	snap := syntheticSnapshot(200)
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := parseTableQuery(v)
		if err != nil {
			return
		}
		p := snap.page(q)
		if p.Total != 200 || p.Matched > p.Total || len(p.Rows) > q.Limit || len(p.Rows) > max(0, p.Matched-q.Offset) {
			t.Fatalf("query %q: total %d, matched %d, %d rows (limit %d, offset %d)", raw, p.Total, p.Matched, len(p.Rows), q.Limit, q.Offset)
		}
	})
}

// BenchmarkPage measures a page of a 100,000-trial study sorted by a
// metric, filtered and aggregated: what each table request of the
// dashboard costs once the study is read (the sort's order is kept per
// snapshot, so only the first request of a key sorts).
func BenchmarkPage(b *testing.B) {
	snap := syntheticSnapshot(100000)
	q, err := parseTableQuery(url.Values{"sort": {"metric:loss"}, "desc": {"1"}, "state": {"completed"}, "offset": {"5000"}})
	if err != nil {
		b.Fatal(err)
	}
	snap.page(q) // the order, once
	for b.Loop() {
		snap.page(q)
	}
}

// BenchmarkMatch measures the first request of a filter and sort on a
// 100,000-trial study: the filter, the aggregates and the order of the
// matched trials, which later pages reuse.
func BenchmarkMatch(b *testing.B) {
	snap := syntheticSnapshot(100000)
	q, err := parseTableQuery(url.Values{"sort": {"metric:loss"}, "desc": {"1"}, "state": {"completed"}})
	if err != nil {
		b.Fatal(err)
	}
	snap.order(q.Sort)
	for b.Loop() {
		snap.match(q)
	}
}
