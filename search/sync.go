package search

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
)

// studyView is what a runner knows of its study: every trial's state,
// the change number it has caught up to, which trials its algorithm has
// seen proposed and fed back, the counts and the best reward.
type studyView struct {
	seq     int64               // the store's change number caught up to; -1: none yet
	trials  []viewTrial         // by number
	workers map[int]string      // worker of each running trial of others, with a heartbeat
	seen    map[int]time.Time   // when such a trial last changed, by this runner's clock
	stepped map[int]int         // steps of others' trials given to the stopping policy
	waiting map[int]TrialRecord // enqueued trials nobody has started, by number
	count   [Waiting + 1]int

	best     float64 // best primary reward of a completed trial
	haveBest bool
	// reclaimMiss is when a Reclaim last found nothing, to keep workers
	// from asking again and again for a trial that only looks stale.
	reclaimMiss time.Time
}

// viewTrial is what a runner knows of one trial.
type viewTrial struct {
	state   State
	present bool // state is known
	known   bool // the algorithm has seen it proposed
	fed     bool // the algorithm has had its result
}

func newStudyView() studyView {
	return studyView{seq: -1, workers: map[int]string{}, seen: map[int]time.Time{}, stepped: map[int]int{},
		waiting: map[int]TrialRecord{}}
}

// at returns trial n's entry, growing the view to hold it.
func (v *studyView) at(n int) *viewTrial {
	if n >= len(v.trials) {
		v.trials = append(v.trials, make([]viewTrial, n+1-len(v.trials))...)
	}
	return &v.trials[n]
}

// set records a trial's state and keeps the counts. worker is "" for a
// trial without heartbeats (one goglove ask handed out), which nobody
// can take over.
func (v *studyView) set(n int, s State, worker string, at time.Time) {
	t := v.at(n)
	if t.present {
		v.count[t.state]--
	}
	t.state, t.present = s, true
	v.count[s]++
	if s != Waiting {
		delete(v.waiting, n)
	}
	if s == Running && worker != "" {
		v.workers[n], v.seen[n] = worker, at
	} else if len(v.workers) > 0 {
		delete(v.workers, n)
		delete(v.seen, n)
	}
}

func (v *studyView) noteBest(s State, rw []float64) {
	if s == Completed && rw != nil && (!v.haveBest || rw[0] > v.best) {
		v.best, v.haveBest = rw[0], true
	}
}

// sync catches the runner up with the trials of its study that changed
// since it last looked (in number order), under the store's proposal
// lock: trials other workers proposed are replayed through the algorithm
// (a proposal for the trial's number that it discards, then the result
// if there is one; see algorithms.Recover), and results of trials it
// knew as running are fed back. A seeded algorithms.TrialProposer (every
// algorithm of package algorithms) proposes for a trial from a stream of
// the trial's own and from the results it was given, so the replayed
// proposals change nothing and every worker proposes for trial n what
// the others would; any other algorithm stays where the others'
// proposals left it only if it is deterministic. It is called with mu
// held.
func (r *runner[T]) sync(ctx context.Context, changed []TrialRecord, seq int64) error {
	v := &r.view
	now := time.Now()
	var replay []algorithms.Result
	var replayed []int
	for _, t := range changed {
		if mine, ok := r.active[t.Number]; ok {
			if t.Attempt == mine.rec.Attempt {
				continue // this runner's own trial: finish records it
			}
			mine.supersede() // another worker took it over
		}
		worker := t.Worker
		if t.Heartbeat.IsZero() {
			worker = "" // unwatched: never taken over
		}
		v.set(t.Number, t.State, worker, now)
		if t.State == Waiting {
			v.waiting[t.Number] = t
		}
		var rw []float64
		if t.State == Completed || t.State == EarlyStopped {
			rw, _ = rewards(r.opts.Objectives, t.Metrics)
		}
		v.noteBest(t.State, rw)
		r.shareSteps(t)
		res := algorithms.Result{Trial: t.Number, DNA: t.DNA, Rewards: rw}
		switch {
		case !v.at(t.Number).known:
			vt := v.at(t.Number)
			vt.known = true
			vt.fed = t.State.Done()
			res.Pending = !vt.fed // its result is fed back when it ends
			replay = append(replay, res)
			replayed = append(replayed, t.Number)
		case t.State.Done() && !v.at(t.Number).fed:
			v.at(t.Number).fed = true
			r.algo.Feedback(res)
		}
	}
	v.seq = seq
	if len(replay) == 0 {
		return nil
	}
	if rec, ok := r.algo.(algorithms.Recoverer); ok {
		return rec.Recover(replay)
	}
	for i, res := range replay {
		if _, err := algorithms.ProposeTrial(ctx, r.algo, replayed[i], 0); err != nil && !errors.Is(err, algorithms.ErrDone) {
			return err
		}
		if v.at(replayed[i]).state.Done() {
			r.algo.Feedback(res)
		}
	}
	return nil
}

// shareSteps gives the stopping policy the intermediate measurements of
// a trial another worker runs (or ran) that it has not had, and the
// trial's end, so that early stopping compares a trial with every
// worker's trials, not only this runner's. It is called with mu held.
func (r *runner[T]) shareSteps(t TrialRecord) {
	p := r.opts.Stopping
	if p == nil {
		return
	}
	v := &r.view
	seen, ok := v.stepped[t.Number]
	if seen < 0 {
		return // ended, and given to the policy as such
	}
	if !ok && len(t.Steps) == 0 && !t.State.Done() {
		return
	}
	if t.Attempt > 1 && seen > len(t.Steps) {
		seen = 0 // a new attempt starts its steps again
	}
	for _, st := range t.Steps[min(seen, len(t.Steps)):] {
		if rw, err := rewards(r.opts.Objectives[:1], st.Metrics); err == nil {
			p.ShouldStop(t.Number, st.Step, rw[0])
		}
	}
	v.stepped[t.Number] = len(t.Steps)
	if t.State.Done() {
		p.Finish(t.Number, t.State == Completed)
		v.stepped[t.Number] = -1
	}
}

// firstWaiting returns the lowest-numbered waiting trial, if any.
func (v *studyView) firstWaiting() (TrialRecord, bool) {
	first, ok := TrialRecord{}, false
	for n, t := range v.waiting {
		if !ok || n < first.Number {
			first, ok = t, true
		}
	}
	return first, ok
}

// othersRunning reports whether trials that other workers run, with
// heartbeats, are running.
func (v *studyView) othersRunning(mine func(int) bool) bool {
	for n := range v.workers {
		if !mine(n) {
			return true
		}
	}
	return false
}

// staleLooking reports whether a trial running elsewhere may be stale:
// its worker is a dead process of this host, or it has not changed, as
// far as this runner has seen, for longer than the heartbeat timeout
// (heartbeats are not changes, so only the store can tell for sure; a
// Reclaim that found nothing holds further tries back for a while).
func (v *studyView) staleLooking(o Options, mine func(int) bool) bool {
	now := time.Now()
	for n, w := range v.workers {
		if mine(n) {
			continue
		}
		if deadLocal(w, o.Worker) {
			return true
		}
		if now.Sub(v.seen[n]) > o.HeartbeatTimeout && now.Sub(v.reclaimMiss) > o.HeartbeatInterval {
			return true
		}
	}
	return false
}

// deadWorkers lists the workers of running trials that are processes of
// this host that no longer run, or earlier runs of this worker's name.
func (v *studyView) deadWorkers(self string, mine func(int) bool) []string {
	var dead []string
	for n, w := range v.workers {
		if !mine(n) && deadLocal(w, self) {
			dead = append(dead, w)
		}
	}
	return dead
}

// deadLocal reports whether worker, named "host:pid" (the default
// worker name), is a process of this host that has exited. A trial
// running under this runner's own name that it does not run is left
// from an earlier process with the same name (a restarted container).
func deadLocal(worker, self string) bool {
	if worker == self {
		return true
	}
	host, pid, ok := strings.Cut(worker, ":")
	if !ok || host != hostName() {
		return false
	}
	p, err := strconv.Atoi(pid)
	return err == nil && p > 0 && processGone(p)
}
