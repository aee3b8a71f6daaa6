package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
)

// progressInterval is the time between two redraws of the progress line:
// at most ten a second, however fast trials end.
const progressInterval = 100 * time.Millisecond

// plainProgressEvery is the default time between two progress lines when
// standard error is not a terminal (nohup, a container, CI): a search
// shorter than it prints none.
const plainProgressEvery = 10 * time.Second

// progressFlagHelp is the help of --progress-every, shared by search and
// worker.
const progressFlagHelp = "when standard error is not a terminal, print a progress line this often (0: never)"

// progressFor starts showing the progress of a search on stderr: on a
// terminal (or with force) a line rewritten in place; elsewhere, if every
// is more than 0, a plain line every that long, the first after that long
// (so that a short search prints nothing). It returns nil, which shows
// nothing, otherwise.
func progressFor(stderr io.Writer, force bool, every time.Duration, metric string, budget budgets) *progressLine {
	switch {
	case force || isTerminal(stderr):
		return startProgress(stderr, metric, budget, progressInterval, false)
	case every > 0:
		return startProgress(stderr, metric, budget, every, true)
	}
	return nil
}

// isTerminal reports whether w is a terminal (a character device), where a
// progress line rewritten in place is welcome.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressLine draws the progress of a search on one line of a terminal,
// rewritten in place with "\r" (or, plain, prints it as a line of its own
// now and then, for a log): trials ended and completed, out of the
// budgets, failures, the best value of the primary metric, the rate and
// the elapsed time, then the trials this process is evaluating, the
// longest running first, with the time each has run (a hung objective
// shows as one whose time keeps growing).
// The search reports through update (cheap: it only keeps the snapshot); a
// goroutine redraws the line every interval. A nil *progressLine
// does nothing. It is safe for concurrent use.
type progressLine struct {
	w      io.Writer
	metric string
	budget budgets
	start  time.Time
	every  time.Duration // between two draws
	plain  bool          // a line of its own each time, not rewritten in place

	mu      sync.Mutex
	last    search.Progress
	running map[int]time.Time // trial number: when its evaluation began

	quit chan struct{}
	wg   sync.WaitGroup
}

// budgets are a search's budgets in trials that ended and in completed
// trials (0: none).
type budgets struct{ trials, completed int }

// startProgress starts drawing the progress on w every interval, in place
// or, plain, as lines of their own (the first after one interval); stop
// ends it.
func startProgress(w io.Writer, metric string, budget budgets, every time.Duration, plain bool) *progressLine {
	p := &progressLine{w: w, metric: metric, budget: budget, start: time.Now(), every: every, plain: plain,
		running: map[int]time.Time{}, quit: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(every)
		defer tick.Stop()
		if !plain {
			p.draw()
		}
		for {
			select {
			case <-p.quit:
				return
			case <-tick.C:
			}
			p.draw()
		}
	}()
	return p
}

// update records the latest snapshot of the search; it is the search's
// Options.Progress.
func (p *progressLine) update(s search.Progress) {
	p.mu.Lock()
	p.last = s
	p.mu.Unlock()
}

// track returns obj, telling the line when each evaluation begins and
// ends. A nil *progressLine returns obj.
func (p *progressLine) track(obj search.Objective[symbolic.Value]) search.Objective[symbolic.Value] {
	if p == nil {
		return obj
	}
	return func(ctx context.Context, t *search.Trial[symbolic.Value]) (search.Metrics, error) {
		p.mu.Lock()
		p.running[t.Number] = time.Now()
		p.mu.Unlock()
		defer func() {
			p.mu.Lock()
			delete(p.running, t.Number)
			p.mu.Unlock()
		}()
		return obj(ctx, t)
	}
}

// draw rewrites the line.
func (p *progressLine) draw() {
	p.mu.Lock()
	s := p.last
	now := time.Now()
	running := make([]runningTrial, 0, len(p.running))
	for n, began := range p.running {
		running = append(running, runningTrial{n, now.Sub(began)})
	}
	p.mu.Unlock()
	line := formatProgress(s, p.metric, p.budget, now.Sub(p.start)) + formatRunning(running)
	if p.plain {
		fmt.Fprintln(p.w, errorPrefix+"progress: "+line)
		return
	}
	fmt.Fprint(p.w, "\r"+line+"\x1b[K")
}

// runningTrial is a trial being evaluated and how long it has run.
type runningTrial struct {
	number  int
	elapsed time.Duration
}

// runningShown is how many running trials the progress line names.
const runningShown = 3

// formatRunning formats the trials being evaluated, the longest running
// first, for the end of the progress line:
//
//	running 12 3m5s, 14 41s, 15 2s +1
func formatRunning(running []runningTrial) string {
	if len(running) == 0 {
		return ""
	}
	slices.SortFunc(running, func(a, b runningTrial) int {
		if c := cmp.Compare(b.elapsed, a.elapsed); c != 0 {
			return c
		}
		return cmp.Compare(a.number, b.number)
	})
	line := "  running"
	for i, r := range running {
		if i == runningShown {
			line += " +" + strconv.Itoa(len(running)-runningShown)
			break
		}
		if i > 0 {
			line += ","
		}
		line += " " + strconv.Itoa(r.number) + " " + r.elapsed.Truncate(time.Second).String()
	}
	return line
}

// stop stops the redrawing, waits for the goroutine and clears the line,
// so that what is printed next starts on a clean line.
func (p *progressLine) stop() {
	if p == nil {
		return
	}
	close(p.quit)
	p.wg.Wait()
	if !p.plain {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// formatProgress formats one progress line (without "\r"): the trials
// that ended and those that completed, each out of its budget if there
// is one:
//
//	trials 60/200  completed 57  failed 3  best value 0.398113  41.2 trials/s  1.4s
func formatProgress(s search.Progress, metric string, budget budgets, elapsed time.Duration) string {
	done := s.Completed + s.Failed + s.Skipped + s.EarlyStopped
	line := "trials " + strconv.Itoa(done)
	if budget.trials > 0 {
		line += "/" + strconv.Itoa(budget.trials)
	}
	line += "  completed " + strconv.Itoa(s.Completed)
	if budget.completed > 0 {
		line += "/" + strconv.Itoa(budget.completed)
	}
	line += "  failed " + strconv.Itoa(s.Failed)
	if s.HaveBest {
		line += "  best " + metric + " " + formatMetric(s.Best, 6)
	} else {
		line += "  best " + metric + " -"
	}
	rate := 0.0
	if sec := elapsed.Seconds(); sec > 0 {
		rate = float64(done) / sec
	}
	line += "  " + strconv.FormatFloat(rate, 'f', 1, 64) + " trials/s  " + formatElapsed(elapsed.Round(100*time.Millisecond))
	return line
}

// noteNoTimeout says, before a search starts, that its command objective
// has no timeout: a command that hangs would hold its trial, and a
// worker, forever, its heartbeats keeping others from taking it over.
func noteNoTimeout(stderr io.Writer, job *search.Job) {
	if c := job.Config; c != nil && len(c.Objective.Command) > 0 && c.Timeout() == 0 {
		note(stderr, "objective.command has no objective.timeout: a command that hangs holds its trial, and this worker, forever; set one, e.g. timeout: 1h")
	}
}
