package algorithms

import (
	"math"
	"slices"
)

// ASHA is asynchronous successive halving (Li et al., "A System for
// Massively Parallel Hyperparameter Tuning", MLSys 2020) as a stopping
// policy: trials are compared at rungs, the steps MinResource·η^k
// (k = 0, 1, …) below MaxResource, η being ReductionFactor, and only the
// best 1/η of the trials that reached a rung go past it.
//
// When a trial first reports a step at or past a rung, the reward of that
// measurement is recorded at the rung, and the trial goes on only if it
// is among the top max(1, ⌊n/η⌋) of the n rewards recorded there so far,
// its own included (ties in its favour); otherwise it is stopped, and
// stays stopped for its later measurements. A measurement that jumps over
// several rungs is recorded at each in turn, until one stops the trial.
// Decisions are made as trials arrive, never waiting for a rung to fill,
// so any number of trials may run at once; over many trials about 1/η of
// those reaching a rung go on (the first trials at a rung more easily).
//
// A call costs a binary search and an insertion in a rung's sorted
// rewards (tens of nanoseconds with a thousand trials). A zero ASHA is
// ready to use, with the defaults below. The settings must not change
// after the first call. It is not safe for concurrent use.
type ASHA struct {
	// MinResource is the step of the first rung. If MinResource is 0 or
	// negative, a default of 1 is used.
	MinResource int `min:"0" max:"1000000000" doc:"the first rung's step (default 1)"`
	// ReductionFactor is η: rungs are η times apart and 1/η of the trials
	// go past each. If ReductionFactor is less than 2, a default of 3 is
	// used.
	ReductionFactor int `min:"0" max:"1000" doc:"η ≥ 2: a trial goes on past a rung if in the top 1/η there (0: default 3)"`
	// MaxResource is the step at which a trial is complete: there is no
	// rung at or past it. If MaxResource is 0 or negative, rungs go on
	// without end.
	MaxResource int `min:"0" max:"1000000000" doc:"the last step; 0 for no limit"`

	rungs  []ashaRung
	trials map[int]*ashaTrial
}

// ashaRung is a rung's step and the rewards recorded there, increasing.
type ashaRung struct {
	step    int
	rewards []float64
}

// ashaTrial is a trial's progress: the next rung it has to pass, and
// whether it was stopped.
type ashaTrial struct {
	next    int
	stopped bool
}

// eta returns the reduction factor in use.
func (a *ASHA) eta() int {
	if a.ReductionFactor < 2 {
		return 3
	}
	return a.ReductionFactor
}

// rung returns rung k, creating it; false when there is no rung k.
func (a *ASHA) rung(k int) (*ashaRung, bool) {
	for len(a.rungs) <= k {
		var step int
		if n := len(a.rungs); n == 0 {
			step = max(a.MinResource, 1)
		} else {
			prev := a.rungs[n-1].step
			if prev > math.MaxInt/a.eta() {
				return nil, false
			}
			step = prev * a.eta()
		}
		if a.MaxResource > 0 && step >= a.MaxResource {
			return nil, false
		}
		a.rungs = append(a.rungs, ashaRung{step: step})
	}
	return &a.rungs[k], true
}

// ShouldStop implements StoppingPolicy.
func (a *ASHA) ShouldStop(trial, step int, reward float64) bool {
	if a.trials == nil {
		a.trials = map[int]*ashaTrial{}
	}
	t := a.trials[trial]
	if t == nil {
		t = &ashaTrial{}
		a.trials[trial] = t
	}
	if t.stopped {
		return true
	}
	r := stopReward(reward)
	for {
		g, ok := a.rung(t.next)
		if !ok || step < g.step {
			return false
		}
		// Rewards larger than r are at positions from the upper bound of
		// r on.
		i := ashaUpper(g.rewards, r)
		g.rewards = slices.Insert(g.rewards, i, r)
		better := len(g.rewards) - 1 - i
		t.next++
		if better >= max(1, len(g.rewards)/a.eta()) {
			t.stopped = true
			return true
		}
	}
}

// ashaUpper returns the number of values ≤ r in the increasing vals.
func ashaUpper(vals []float64, r float64) int {
	lo, hi := 0, len(vals)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if vals[m] <= r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// Finish implements StoppingPolicy. The rewards the trial left at rungs
// stay recorded.
func (a *ASHA) Finish(trial int, completed bool) { delete(a.trials, trial) }
