package dashboard_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/dashboard"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/chromedp/chromedp"
)

// run runs chromedp steps, failing the test on an error.
func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// until waits for a JavaScript expression to be true in the page.
func until(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))
}

// css selects by a CSS selector.
func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// TestBrowserStudies loads the studies page and checks each row against
// the store.
func TestBrowserStudies(t *testing.T) {
	st := doneStore(t)
	ts := serve(t, st, &dashboard0)
	ctx := tab(t) // after serve: the tab closes first, ending its event stream
	run(t, ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(css(`#studies tbody tr[data-study="done/trial-0/inner"]`)))
	for _, name := range []string{"done", "done/trial-0/inner"} {
		trials := storeTrials(t, st, name)
		counts := map[string]int{}
		for _, tr := range trials {
			counts[tr.State.String()]++
		}
		got := eval[map[string]string](t, ctx, fmt.Sprintf(`Object.fromEntries([...document.querySelectorAll('#studies tr[data-study=%q] td[data-col]')].map(td => [td.dataset.col, td.textContent]))`, name))
		want := map[string]string{"total": strconv.Itoa(len(trials)), "completed": strconv.Itoa(counts["completed"]),
			"running": "0", "failed": strconv.Itoa(counts["failed"])}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("study %s, %s: the page shows %q, the store has %s", name, k, got[k], v)
			}
		}
	}
	if store := eval[string](t, ctx, `document.querySelector('#store').textContent`); store != "the test store" {
		t.Errorf("header store %q", store)
	}
	shoot(t, ctx, "dashboard-studies.png")
}

// TestBrowserStudyPage loads a study's page, sorts its table by the
// objective by a click, filters it by state, pages it, and checks each
// against the store; the plots load as images.
func TestBrowserStudyPage(t *testing.T) {
	st := doneStore(t)
	ts := serve(t, st, &dashboard0)
	ctx := tab(t) // after serve: the tab closes first, ending its event stream
	trials := storeTrials(t, st, "done")
	best, failed := -1, 0
	for _, tr := range trials {
		if tr.State == search.Failed {
			failed++
		}
		if tr.State == search.Completed && (best < 0 || tr.Metrics["loss"] < trials[best].Metrics["loss"]) {
			best = tr.Number
		}
	}
	rows := `document.querySelectorAll('#trials tbody tr').length`
	first := `document.querySelector('#trials tbody tr').dataset.number`
	change := func(sel string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`document.querySelector('` + sel + `').dispatchEvent(new Event('change'))`)
	}
	run(t, ctx, chromedp.Navigate(ts.URL+"/study?name=done"), until(rows+` === 50`),
		until(`[...document.querySelectorAll('.plot img')].every(i => i.complete && i.naturalWidth > 0)`))
	if r, n0 := eval[string](t, ctx, `document.querySelector('#range').textContent`), eval[string](t, ctx, first); r != "1–50 of 60 matched (60 in the study)" || n0 != "0" {
		t.Errorf("first page: range %q, first trial %s", r, n0)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('.plot img').length`); n != 8 {
		t.Errorf("%d plots on the page, want 8", n)
	}
	shoot(t, ctx, "dashboard-study.png")
	// Sort by loss: the best trial first; again: decreasing.
	run(t, ctx, chromedp.Click(css(`th[data-sort="metric:loss"]`)), until(first+` === "`+strconv.Itoa(best)+`"`))
	run(t, ctx, chromedp.Click(css(`th[data-sort="metric:loss"]`)),
		until(`document.querySelector('th.sorted.desc') !== null && `+first+` !== "`+strconv.Itoa(best)+`"`))
	// The failed trials only.
	run(t, ctx, chromedp.SetValue(css("#state"), "failed"), change("#state"),
		until(rows+` === `+strconv.Itoa(failed)+` && [...document.querySelectorAll('#trials tbody tr .state')].every(s => s.textContent === 'failed')`))
	if e := eval[string](t, ctx, `document.querySelector('#trials tbody tr td.err').textContent`); e != trials[4].Error {
		t.Errorf("the error cell shows %q, the store has %q", e, trials[4].Error)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#trials script').length`); n != 0 {
		t.Errorf("an error's <script> became an element: %d", n)
	}
	// Every state again, then the second page.
	run(t, ctx, chromedp.SetValue(css("#state"), ""), change("#state"), until(rows+` === 50`),
		chromedp.Click(css("#next")), until(rows+` === 10`))
}

// TestBrowserTrialPage loads a failed trial's page and checks what it
// shows against the store.
func TestBrowserTrialPage(t *testing.T) {
	st := doneStore(t)
	ts := serve(t, st, &dashboard0)
	ctx := tab(t) // after serve: the tab closes first, ending its event stream
	tr := storeTrials(t, st, "done")[4]
	run(t, ctx, chromedp.Navigate(ts.URL+"/trial?study=done&number=4"), chromedp.WaitVisible(css("#program")))
	text := func(sel string) string { return eval[string](t, ctx, `document.querySelector('`+sel+`').textContent`) }
	yaml, _ := symbolic.EncodeYAML(tr.Program)
	state, worker, dna, errText, program := text("#trial-state"), text("#trial-worker"), text("#dna"), text("#trial-error"), text("#program")
	steps := eval[int](t, ctx, `document.querySelectorAll('#steps tr[data-step]').length`)
	if state != "failed" || worker != tr.Worker || dna != tr.DNAText || errText != tr.Error || program != string(yaml) || steps != len(tr.Steps) {
		t.Errorf("trial page: state %q, worker %q, DNA %q, error %q, %d steps, program\n%s\nthe store: %s, %q, %q, %q, %d steps, program\n%s",
			state, worker, dna, errText, steps, program, tr.State, tr.Worker, tr.DNAText, tr.Error, len(tr.Steps), yaml)
	}
	shoot(t, ctx, "dashboard-trial.png")
}

// TestBrowserLive opens a study's page while its search runs and watches
// the counts, the table and the plots follow the store without a reload.
func TestBrowserLive(t *testing.T) {
	st := search.NewMemStore()
	ts := serve(t, st, &dashboard0)
	ctx := tab(t)
	sctx, stop := context.WithCancel(context.Background())
	defer stop()
	done := make(chan error, 1)
	const n = 30
	go func() { done <- runStudy(t, sctx, st, "live", n, 100*time.Millisecond) }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if trials, _ := st.Trials(context.Background(), "live"); len(trials) > 0 {
			break
		}
		if time.Now().After(deadline) {
			stop()
			<-done
			t.Fatal("the search did not start")
		}
	}
	completed := `Number((document.querySelector('#counts [data-state=completed]') || {dataset: {n: 0}}).dataset.n)`
	run(t, ctx, chromedp.Navigate(ts.URL+"/study?name=live"), chromedp.WaitVisible(css("#trials")))
	eval[string](t, ctx, `window.marker = "no reload"`)
	early := eval[int](t, ctx, completed)
	v0 := eval[string](t, ctx, `document.body.dataset.version`)
	if early >= n-5 {
		stop()
		<-done
		t.Fatalf("the page saw %d of %d trials at once: the search ran too fast to watch", early, n)
	}
	// The counts and the history plot follow the search as it runs.
	history := `document.querySelector('.plot img[data-kind=history]').dataset.loaded`
	run(t, ctx, until(completed+` >= `+strconv.Itoa(early+3)), until(history+` !== undefined && `+history+` !== "`+v0+`"`))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	trials := storeTrials(t, st, "live")
	want := 0
	for _, tr := range trials {
		if tr.State == search.Completed {
			want++
		}
	}
	// Once it ended: what the store holds.
	run(t, ctx, until(completed+` === `+strconv.Itoa(want)),
		until(`document.querySelector('#range').dataset.total === "`+strconv.Itoa(len(trials))+`"`))
	if m := eval[string](t, ctx, `window.marker`); m != "no reload" {
		t.Errorf("the page was reloaded (marker %q)", m)
	}
}

// TestBrowserToken opens a token-guarded dashboard with ?token= once:
// the address loses the token, and the page's requests (its table, its
// plots, its event stream) pass on the cookie it left.
func TestBrowserToken(t *testing.T) {
	st := doneStore(t)
	ts := serve(t, st, &dashboard.Options{StoreName: "the test store", Token: "tok-123"})
	ctx := tab(t)
	run(t, ctx, chromedp.Navigate(ts.URL+"/study?name=done&token=tok-123"),
		until(`document.querySelectorAll('#trials tbody tr').length === 50`),
		until(`document.querySelector('#live').className === 'on'`),
		until(`[...document.querySelectorAll('.plot img')].every(i => i.complete && i.naturalWidth > 0)`))
	if loc := eval[string](t, ctx, `location.href`); strings.Contains(loc, "tok-123") || !strings.Contains(loc, "/study?name=done") {
		t.Errorf("the address after ?token=: %s", loc)
	}
	// Another tab of the same browser context has the cookie too; a
	// fresh context without it is refused.
	other, cancel := chromedp.NewContext(ctx)
	defer cancel()
	run(t, other, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(css(`#studies tr[data-study="done"]`)))
	fresh, cancelFresh := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	defer cancelFresh()
	fresh, cancelT := context.WithTimeout(fresh, 30*time.Second)
	defer cancelT()
	run(t, fresh, chromedp.Navigate(ts.URL+"/"))
	if body := eval[string](t, fresh, `document.body.innerText`); !strings.Contains(body, "needs its token") {
		t.Errorf("a browser without the cookie sees %q", body)
	}
}
