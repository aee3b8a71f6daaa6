package dashboard_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/dashboard"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/sqlitestore"
	"github.com/chromedp/chromedp"
)

var (
	largeTrials = flag.Int("large", 10000, "trials in the study of TestLargeStudy (100000 to measure the issue's case)")
	largeStore  = flag.String("large-store", "", "a SQLite file for TestLargeStudy's study, made if missing (default: a memory store)")
)

// TestLargeStudy times the dashboard's answers for a study of -large
// trials (10,000 by default; the figure is measured with -large
// 100000 -large-store FILE, see docs/dashboard.md): the table's pages
// (sorted, filtered, paged on the server), the study's summary, a trial,
// and each plot, drawn cold. Each table answer must come within a second
// and each plot within ten (both far above what they take), so that a
// cost that grows faster than the trials fails the test.
func TestLargeStudy(t *testing.T) {
	ctx := context.Background()
	var st search.Store = search.NewMemStore()
	if *largeStore != "" {
		s, err := sqlitestore.Open(ctx, *largeStore, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		st = s
	}
	start := time.Now()
	if trials, err := st.Trials(ctx, "large"); err != nil || len(trials) < *largeTrials {
		if err := runStudy(t, ctx, st, "large", *largeTrials, 0); err != nil {
			t.Fatal(err)
		}
		t.Logf("made %d trials in %v", *largeTrials, time.Since(start).Round(time.Millisecond))
	}
	ts := serve(t, st, &dashboard.Options{Refresh: time.Hour}) // one read: the answers are timed on it
	timed := func(path string, bound time.Duration) time.Duration {
		t.Helper()
		begin := time.Now()
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		took := time.Since(begin)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		if took > bound {
			t.Errorf("GET %s took %v, more than %v", path, took, bound)
		}
		t.Logf("%-72s %8.1f ms %9d bytes", path, float64(took.Microseconds())/1000, n)
		return took
	}
	q := "/api/trials?study=large"
	timed("/api/studies", 30*time.Second) // reads the store
	timed("/api/study?study=large", time.Second)
	timed(q, time.Second)
	timed(q+"&offset="+strconv.Itoa(*largeTrials-50), time.Second)
	timed(q+"&sort=metric:loss", time.Second)
	timed(q+"&sort=metric:loss&desc=1&offset=100", time.Second)
	timed(q+"&sort=duration", time.Second)
	timed(q+"&state=failed&sort=worker", time.Second)
	timed(q+"&metric=loss&min=0.5&max=1&sort=metric:size", time.Second)
	timed(q+"&q="+url.QueryEscape("NaN"), time.Second)
	timed("/api/trial?study=large&number="+strconv.Itoa(*largeTrials/2), time.Second)
	for _, kind := range []string{"history", "intermediate", "parallel", "pareto", "slice", "importance", "edf", "timeline"} {
		timed("/api/plot?study=large&kind="+kind, 10*time.Second)
	}
	timed(fmt.Sprintf("/api/plot?study=large&kind=history&v=%d", 2), time.Second) // drawn: from the cache

	// In the browser: the study's page, until its table shows and until
	// its plots have loaded (drawn again: a new server), then a click
	// that sorts the table by the objective.
	t.Run("browser", func(t *testing.T) {
		ts := serve(t, st, &dashboard.Options{Refresh: time.Hour})
		ctx := tab(t)
		begin := time.Now()
		run(t, ctx, chromedp.Navigate(ts.URL+"/study?name=large"), until(`document.querySelectorAll('#trials tbody tr').length === 50`))
		table := time.Since(begin)
		run(t, ctx, until(`[...document.querySelectorAll('.plot img')].every(i => i.complete && i.naturalWidth > 0)`))
		all := time.Since(begin)
		begin = time.Now()
		run(t, ctx, chromedp.Click(css(`th[data-sort="metric:loss"]`)), until(`document.querySelector('th[data-sort="metric:loss"].sorted.asc') !== null`))
		sorted := time.Since(begin)
		t.Logf("the study page of %d trials: table in %v, every plot in %v; sorted by a click in %v", *largeTrials,
			table.Round(time.Millisecond), all.Round(time.Millisecond), sorted.Round(time.Millisecond))
		if table > 10*time.Second || sorted > 5*time.Second {
			t.Errorf("the page is slow: table %v, sort %v", table, sorted)
		}
	})
}
