package dashboard_test

import (
	"context"
	"encoding/json"
	"image/png"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/dashboard"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
)

// get fetches a path of the test server and decodes its JSON into v,
// failing unless the status is want.
func get(t *testing.T, base, path string, want int, v any) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d %s, want %d", path, resp.StatusCode, body, want)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: %v: %s", path, err, body)
		}
	}
}

// storeTrials reads a study's trials from the store.
func storeTrials(t *testing.T, st search.Store, name string) []search.TrialRecord {
	t.Helper()
	trials, err := st.Trials(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return trials
}

type page struct {
	Total, Matched, Offset int
	Rows                   []struct {
		Number  int
		State   string
		Metrics map[string]float64
		Error   string
	}
	States  map[string]int
	Metrics map[string]struct {
		Count          int
		Min, Max, Mean float64
	}
}

// TestAPIAgainstStore checks the studies list, the trials pages (sort,
// filters, pagination, aggregates) and a trial against the store.
func TestAPIAgainstStore(t *testing.T) {
	st := doneStore(t)
	ts := serve(t, st, &dashboard.Options{StoreName: "memory"})
	trials := storeTrials(t, st, "done")
	counts := map[string]int{}
	best, bestLoss := -1, math.Inf(1)
	sum, n := 0.0, 0
	for _, tr := range trials {
		counts[tr.State.String()]++
		if l, ok := tr.Metrics["loss"]; ok && tr.State == search.Completed {
			sum += l
			n++
			if l < bestLoss {
				best, bestLoss = tr.Number, l
			}
		}
	}
	t.Run("studies", func(t *testing.T) {
		var out struct {
			Store   string
			Studies []struct {
				Name   string
				State  string
				Total  int
				Counts map[string]int
				Best   *struct{ Number int }
			}
		}
		get(t, ts.URL, "/api/studies", 200, &out)
		if out.Store != "memory" || len(out.Studies) != 2 || out.Studies[0].Name != "done" || out.Studies[1].Name != "done/trial-0/inner" {
			t.Fatalf("studies: %+v", out)
		}
		s := out.Studies[0]
		if s.State != "done" || s.Total != 60 || s.Counts["completed"] != counts["completed"] || s.Counts["failed"] != counts["failed"] || s.Best == nil || s.Best.Number != best {
			t.Errorf("study done: %+v; the store has %v, best %d", s, counts, best)
		}
	})
	t.Run("sorted by loss", func(t *testing.T) {
		var p page
		get(t, ts.URL, "/api/trials?study=done&sort=metric:loss&limit=5", 200, &p)
		if p.Total != 60 || p.Matched != 60 || len(p.Rows) != 5 || p.Rows[0].Number != best {
			t.Fatalf("page: total %d, matched %d, %d rows, first %+v; want trial %d first", p.Total, p.Matched, len(p.Rows), p.Rows[0], best)
		}
		for i := 1; i < len(p.Rows); i++ {
			if p.Rows[i].Metrics["loss"] < p.Rows[i-1].Metrics["loss"] {
				t.Errorf("rows %d and %d out of order", i-1, i)
			}
		}
		var d page
		get(t, ts.URL, "/api/trials?study=done&sort=metric:loss&desc=1&limit=60", 200, &d)
		last := d.Rows[len(d.Rows)-1]
		if _, has := last.Metrics["loss"]; has || d.Rows[0].Metrics["loss"] < d.Rows[1].Metrics["loss"] {
			t.Errorf("decreasing loss: first %+v, last %+v; want the failed trials (no loss) last", d.Rows[0], last)
		}
	})
	t.Run("filtered and paged", func(t *testing.T) {
		var p page
		get(t, ts.URL, "/api/trials?study=done&state=failed", 200, &p)
		if p.Matched != counts["failed"] || len(p.Rows) != counts["failed"] || p.States["failed"] != counts["failed"] {
			t.Fatalf("failed: matched %d, %d rows; the store has %d", p.Matched, len(p.Rows), counts["failed"])
		}
		for _, r := range p.Rows {
			if r.State != "failed" || !strings.Contains(r.Error, "diverged") {
				t.Errorf("row %+v", r)
			}
		}
		var q page
		get(t, ts.URL, "/api/trials?study=done&offset=50&limit=20", 200, &q)
		if len(q.Rows) != 10 || q.Rows[0].Number != 50 {
			t.Errorf("the last page: %d rows from %d; want 10 from 50", len(q.Rows), q.Rows[0].Number)
		}
		var b page
		get(t, ts.URL, "/api/trials?study=done&metric=loss&max="+url.QueryEscape("1.5"), 200, &b)
		want := 0
		for _, tr := range trials {
			if l, ok := tr.Metrics["loss"]; ok && l <= 1.5 {
				want++
			}
		}
		if b.Matched != want {
			t.Errorf("loss ≤ 1.5: %d matched, the store has %d", b.Matched, want)
		}
	})
	t.Run("aggregates", func(t *testing.T) {
		var p page
		get(t, ts.URL, "/api/trials?study=done&state=completed&limit=1", 200, &p)
		m := p.Metrics["loss"]
		if m.Count != n || math.Abs(m.Mean-sum/float64(n)) > 1e-12 || m.Min != bestLoss {
			t.Errorf("loss over completed trials: %+v; the store gives count %d, mean %v, min %v", m, n, sum/float64(n), bestLoss)
		}
	})
	t.Run("trial", func(t *testing.T) {
		tr := trials[4] // failed (4 % 9 == 4)
		var out struct {
			Number    int
			State     string
			Worker    string
			DNA       string
			Program   string
			Error     string
			Steps     []search.Step
			Decisions []struct{ Name, Value string }
		}
		get(t, ts.URL, "/api/trial?study=done&number=4", 200, &out)
		yaml, _ := symbolic.EncodeYAML(tr.Program)
		if out.State != "failed" || out.Error != tr.Error || out.Worker != tr.Worker || out.DNA != tr.DNAText || out.Program != string(yaml) || len(out.Steps) != len(tr.Steps) {
			t.Errorf("trial 4: %+v; the store has %+v", out, tr)
		}
		if len(out.Decisions) < 3 || out.Decisions[0].Name != "optimizer" {
			t.Errorf("decisions %+v", out.Decisions)
		}
		get(t, ts.URL, "/api/trial?study=done&number=600", 404, nil)
		get(t, ts.URL, "/api/trial?study=nope&number=0", 404, nil)
	})
	t.Run("plots", func(t *testing.T) {
		for _, kind := range []string{"history", "intermediate", "parallel", "pareto", "slice", "importance", "edf", "timeline"} {
			resp, err := http.Get(ts.URL + "/api/plot?study=done&kind=" + kind)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
				t.Errorf("%s: %d %s", kind, resp.StatusCode, resp.Header.Get("Content-Type"))
			} else if _, err := png.Decode(resp.Body); err != nil {
				t.Errorf("%s: not a PNG: %v", kind, err)
			}
			resp.Body.Close()
		}
		get(t, ts.URL, "/api/plot?study=done&kind=pie", 400, nil)
	})
	t.Run("deleted study", func(t *testing.T) {
		if err := st.DeleteStudy(context.Background(), "done/trial-0/inner"); err != nil {
			t.Fatal(err)
		}
		var out struct{ Studies []struct{ Name string } }
		get(t, ts.URL, "/api/studies", 200, &out)
		if len(out.Studies) != 1 || out.Studies[0].Name != "done" {
			t.Errorf("after deleting the nested study: %+v", out.Studies)
		}
		get(t, ts.URL, "/api/study?study="+url.QueryEscape("done/trial-0/inner"), 404, nil)
	})
	t.Run("bad queries", func(t *testing.T) {
		for _, q := range []string{"sort=size", "state=lost", "limit=0", "limit=100000", "offset=-1", "min=1", "metric=loss&min=x"} {
			get(t, ts.URL, "/api/trials?study=done&"+q, 400, nil)
		}
		get(t, ts.URL, "/api/trials", 400, nil)
	})
}

// TestReadOnly: anything but GET and HEAD is refused, and the store is
// left as it was.
func TestReadOnly(t *testing.T) {
	st := doneStore(t)
	ts := serve(t, st, nil)
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH"} {
		req, _ := http.NewRequest(m, ts.URL+"/api/studies", strings.NewReader("{}"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s: %d, want 405", m, resp.StatusCode)
		}
	}
}

// TestLoopbackOnly: without a token, a request addressed to another host
// name (DNS rebinding) is refused.
func TestLoopbackOnly(t *testing.T) {
	ts := serve(t, doneStore(t), nil)
	for host, want := range map[string]int{"evil.example": 403, "localhost": 200, "127.0.0.1": 200, "[::1]": 200, "10.0.0.1": 403} {
		req, _ := http.NewRequest("GET", ts.URL+"/api/studies", nil)
		req.Host = host + ":8080"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, resp.StatusCode, want)
		}
	}
}

// TestToken: with a token, every request needs it, by header, cookie or
// ?token=; ?token= on a page sets the cookie and redirects without it.
func TestToken(t *testing.T) {
	ts := serve(t, doneStore(t), &dashboard.Options{Token: "s3cret"})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(path string, mod func(*http.Request)) *http.Response {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.Host = "dashboard.example" // a token makes any host fine
		if mod != nil {
			mod(req)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for _, path := range []string{"/", "/study?name=done", "/api/studies", "/api/plot?study=done&kind=edf", "/assets/app.js", "/api/trials?study=done&token=wrong"} {
		if r := do(path, nil); r.StatusCode != 401 {
			t.Errorf("%s without the token: %d, want 401", path, r.StatusCode)
		}
	}
	if r := do("/api/studies", func(r *http.Request) { r.Header.Set("Authorization", "Bearer s3cret") }); r.StatusCode != 200 {
		t.Errorf("bearer: %d", r.StatusCode)
	}
	r := do("/study?name=done&token=s3cret", nil)
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || strings.Contains(loc, "s3cret") || !strings.Contains(loc, "name=done") || len(r.Cookies()) != 1 {
		t.Fatalf("?token=: %d, Location %q, cookies %v", r.StatusCode, loc, r.Cookies())
	}
	c := r.Cookies()[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict", c)
	}
	if r := do(loc, func(r *http.Request) { r.AddCookie(c) }); r.StatusCode != 200 {
		t.Errorf("with the cookie: %d", r.StatusCode)
	}
}

// TestIsLoopback checks which --addr values bind to loopback only.
func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:8080": true, "localhost:80": true, "[::1]:9": true, "127.1.2.3:1": true,
		"0.0.0.0:8080": false, ":8080": false, "example.com:80": false, "10.1.1.1:80": false, "[::]:80": false, "nonsense": false} {
		if got := dashboard.IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}
