package algorithms_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
)

// stopCall is one measurement and the decision expected for it.
type stopCall struct {
	trial, step int
	reward      float64
	stop        bool
}

func stopReplay(t *testing.T, p algorithms.StoppingPolicy, calls []stopCall) {
	t.Helper()
	for i, c := range calls {
		if got := p.ShouldStop(c.trial, c.step, c.reward); got != c.stop {
			t.Errorf("call %d: ShouldStop(trial %d, step %d, %v) = %v, want %v", i, c.trial, c.step, c.reward, got, c.stop)
		}
	}
}

func TestNeverStop(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var p algorithms.StoppingPolicy = algorithms.NeverStop{}
	specials := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, -1e300}
	for i := range 10000 {
		r := rng.NormFloat64()
		if i%7 == 0 {
			r = specials[rng.IntN(len(specials))]
		}
		trial := rng.IntN(50)
		if p.ShouldStop(trial, rng.IntN(100)-10, r) {
			t.Fatalf("NeverStop stopped trial %d at reward %v", trial, r)
		}
		if i%13 == 0 {
			p.Finish(trial, rng.IntN(2) == 0)
		}
	}
}

func TestMedianStopping(t *testing.T) {
	nan := math.NaN()
	t.Run("trace", func(t *testing.T) {
		stopReplay(t, &algorithms.MedianStopping{MinTrials: 2}, []stopCall{
			{0, 1, 0.5, false}, // no one to compare with
			{0, 2, 0.6, false},
			{0, 3, 0.7, false},
			{1, 1, 0.3, false}, // one other trial: fewer than MinTrials
			{1, 2, 0.2, false},
			{1, 3, 0.9, false},
			{2, 1, 0.35, true},  // median of 0.5 and 0.3 is 0.4
			{2, 2, 0.45, false}, // best 0.45, median of 0.6 and 0.3: not below
			{3, 3, 0.75, true},  // median of 0.7 and 0.9; trial 2 has not reached step 3
			{3, 5, 0.85, false}, // no one has reached step 5
			{4, 2, 0.1, true},   // median of 0.6, 0.3, 0.45; trial 3 has nothing at step ≤ 2
			{4, 1, 0.9, false},  // counts as step 2: best 0.9
			{5, 1, nan, true},   // NaN is the worst; median of 0.5, 0.3, 0.35
			{5, 2, 0.4, true},   // best 0.4; median of 0.6, 0.3, 0.45, 0.9 is 0.525
			{5, 3, 0.8, false},  // median of 0.7, 0.9, 0.75 is 0.75
		})
	})
	t.Run("warm-up", func(t *testing.T) {
		stopReplay(t, &algorithms.MedianStopping{MinTrials: 2, MinSteps: 2}, []stopCall{
			{0, 1, 0.5, false},
			{0, 2, 0.6, false},
			{1, 1, 0.3, false},
			{1, 2, 0.2, false},
			{2, 1, 0.1, false}, // below the median, but before MinSteps
			{2, 2, 0.1, true},
		})
	})
	t.Run("defaults", func(t *testing.T) {
		// Five other trials are needed: the sixth trial is stopped, not
		// the fifth.
		var calls []stopCall
		for trial := range 5 {
			calls = append(calls, stopCall{trial, 1, float64(trial + 10), false})
		}
		calls = append(calls, stopCall{5, 1, 0, true}, stopCall{6, 1, 100, false})
		stopReplay(t, &algorithms.MedianStopping{}, calls)
	})
	t.Run("finished trials still count", func(t *testing.T) {
		p := &algorithms.MedianStopping{MinTrials: 1}
		stopReplay(t, p, []stopCall{{0, 1, 5, false}})
		p.Finish(0, false)
		stopReplay(t, p, []stopCall{{1, 1, 4, true}})
	})
}

func TestASHA(t *testing.T) {
	nan := math.NaN()
	t.Run("trace", func(t *testing.T) {
		// η = 3, rungs at steps 1, 3 and 9 (27 ≥ MaxResource).
		stopReplay(t, &algorithms.ASHA{MaxResource: 10}, []stopCall{
			{0, 1, 0.5, false},  // rung 1: [0.5], the best 1
			{1, 1, 0.4, true},   // [0.4 0.5]: not the best 1
			{1, 2, 0.9, true},   // stays stopped
			{2, 1, 0.6, false},  // [… 0.6]: the best
			{3, 1, 0.55, true},  // 4 recorded, the best 1
			{4, 1, 0.45, true},  // 5 recorded
			{5, 1, 0.58, false}, // 6 recorded: the best 2 go on
			{0, 2, 0.1, false},  // between rungs
			{0, 3, 0.7, false},  // rung 3: [0.7]
			{0, 9, 0.8, false},  // rung 9: [0.8]
			{0, 10, 0.1, false}, // no rung at MaxResource
			{0, 100, 0.1, false},
			{2, 5, 0.65, true},  // over rung 3: [0.65 0.7]
			{5, 12, 0.75, true}, // rung 3 passed ([0.65 0.7 0.75]), rung 9 not ([0.75 0.8])
			{6, 1, 0.6, false},  // 7 recorded, ties favour the trial: best 2
			{7, 1, nan, true},   // NaN is the worst
			{8, 0, 100, false},  // before the first rung
			{8, 100, 0.1, true}, // rung 1: 9 recorded, best 3
		})
	})
	t.Run("settings", func(t *testing.T) {
		// MinResource 2, η 2: rungs at 2, 4, 8, … without end.
		stopReplay(t, &algorithms.ASHA{MinResource: 2, ReductionFactor: 2}, []stopCall{
			{0, 1, 1, false},   // no rung at 1
			{0, 2, 1, false},   // rung 2: [1]
			{1, 2, 2, false},   // [1 2]: best 1
			{2, 2, 1.5, true},  // [1 1.5 2]: best 1
			{3, 2, 1.8, false}, // [1 1.5 1.8 2]: best 2
			{1, 1 << 40, 3, false},
			{3, 1 << 40, 2, true}, // rung 4 passed, rung 8 not
		})
	})
	t.Run("Finish forgets the trial, not its rewards", func(t *testing.T) {
		p := &algorithms.ASHA{}
		stopReplay(t, p, []stopCall{{0, 1, 5, false}})
		p.Finish(0, true)
		stopReplay(t, p, []stopCall{{1, 1, 4, true}})
	})
}

// stopCurves runs n trials of random learning curves, up to steps each,
// with about `running` at a time, through p. Trial i's curve rises to its
// quality q_i, with noise. It returns how many trials reported each step,
// and the mean quality of the trials that completed and of all.
func stopCurves(p algorithms.StoppingPolicy, seed uint64, n, steps, running int) (reached []int, completedQ, allQ float64) {
	rng := rand.New(rand.NewPCG(seed, seed))
	reached = make([]int, steps+1)
	type run struct {
		trial, step int
		q           float64
	}
	var active []run
	next, completed := 0, 0
	for next < n || len(active) > 0 {
		for len(active) < running && next < n {
			q := rng.Float64()
			active = append(active, run{trial: next, q: q})
			allQ += q
			next++
		}
		k := rng.IntN(len(active))
		r := &active[k]
		r.step++
		reached[r.step]++
		reward := r.q*(1-math.Exp(-float64(r.step)/5)) + 0.02*rng.NormFloat64()
		stop := p.ShouldStop(r.trial, r.step, reward)
		if stop || r.step == steps {
			if !stop {
				completed++
				completedQ += r.q
			}
			p.Finish(r.trial, !stop)
			active = slices.Delete(active, k, k+1)
		}
	}
	return reached, completedQ / float64(max(completed, 1)), allQ / float64(n)
}

// On random curves, about 1/η of the trials reaching a rung go past it,
// and the trials that complete are better than average.
func TestASHARandomCurves(t *testing.T) {
	for _, eta := range []int{2, 3, 4} {
		t.Run(fmt.Sprint("eta", eta), func(t *testing.T) {
			p := &algorithms.ASHA{ReductionFactor: eta, MaxResource: 100}
			reached, compQ, allQ := stopCurves(p, uint64(eta), 3000, 100, 20)
			rung := 1
			for rung*eta < 100 {
				frac := float64(reached[rung+1]) / float64(reached[rung])
				t.Logf("η=%d rung %d: %d trials reached it, %.3f went on", eta, rung, reached[rung], frac)
				if reached[rung] >= 50 && math.Abs(frac-1/float64(eta)) > 0.08 {
					t.Errorf("rung %d: %.3f of %d trials went on, want about 1/%d", rung, frac, reached[rung], eta)
				}
				rung *= eta
			}
			t.Logf("mean quality %.3f completed, %.3f all", compQ, allQ)
			if compQ < allQ+0.2 {
				t.Errorf("completed trials' mean quality %.3f, all %.3f", compQ, allQ)
			}
		})
	}
}

// On random curves the median rule keeps good trials and stops most of
// the others.
func TestMedianStoppingRandomCurves(t *testing.T) {
	p := &algorithms.MedianStopping{}
	reached, compQ, allQ := stopCurves(p, 1, 1000, 50, 20)
	t.Logf("%d of 1000 trials completed, mean quality %.3f completed, %.3f all", reached[50], compQ, allQ)
	if reached[50] > 700 || compQ < allQ+0.1 {
		t.Errorf("%d trials completed with mean quality %.3f (all %.3f)", reached[50], compQ, allQ)
	}
}

// stopScript answers from a script and records the calls it gets.
type stopScript struct {
	answers  []bool
	calls    int
	finished []int
}

func (s *stopScript) ShouldStop(trial, step int, reward float64) bool {
	s.calls++
	return s.answers[(s.calls-1)%len(s.answers)]
}

func (s *stopScript) Finish(trial int, completed bool) { s.finished = append(s.finished, trial) }

func TestStopCombinators(t *testing.T) {
	tf := []bool{true, true, false, false}
	ft := []bool{true, false, true, false}
	for _, tc := range []struct {
		name string
		make func(a, b algorithms.StoppingPolicy) algorithms.StoppingPolicy
		want []bool
	}{
		{"And", func(a, b algorithms.StoppingPolicy) algorithms.StoppingPolicy { return algorithms.And(a, b) }, []bool{true, false, false, false}},
		{"Or", func(a, b algorithms.StoppingPolicy) algorithms.StoppingPolicy { return algorithms.Or(a, b) }, []bool{true, true, true, false}},
		{"Not first", func(a, b algorithms.StoppingPolicy) algorithms.StoppingPolicy { return algorithms.Not(a) }, []bool{false, false, true, true}},
		{"And Not", func(a, b algorithms.StoppingPolicy) algorithms.StoppingPolicy {
			return algorithms.And(a, algorithms.Not(b))
		}, []bool{false, true, false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := &stopScript{answers: tf}, &stopScript{answers: ft}
			p := tc.make(a, b)
			for i, want := range tc.want {
				if got := p.ShouldStop(1, i, 0); got != want {
					t.Errorf("call %d: %v, want %v", i, got, want)
				}
			}
			p.Finish(1, true)
			if a.calls != 4 || len(a.finished) != 1 || (tc.name != "Not first" && (b.calls != 4 || len(b.finished) != 1)) {
				t.Errorf("policies saw %d and %d calls, %v and %v finished: want every call", a.calls, b.calls, a.finished, b.finished)
			}
		})
	}
	for _, p := range []algorithms.StoppingPolicy{algorithms.And(), algorithms.Or()} {
		if p.ShouldStop(0, 1, math.Inf(-1)) {
			t.Error("an empty combination stopped a trial")
		}
		p.Finish(0, true)
	}
}

func BenchmarkASHAShouldStop(b *testing.B) {
	// Studies of n trials of 27 steps (rungs at 1, 3 and 9) with random
	// rewards, ten trials at a time; a new study starts every n trials.
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprint(n, "_trials"), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			rewards := make([]float64, 1024)
			for i := range rewards {
				rewards[i] = rng.Float64()
			}
			p := &algorithms.ASHA{MaxResource: 27}
			i := 0
			for b.Loop() {
				trial, step := (i/270)*10+i%10, (i/10)%27+1
				if trial == n {
					p, i, trial = &algorithms.ASHA{MaxResource: 27}, 0, 0
				}
				p.ShouldStop(trial, step, rewards[i%len(rewards)])
				i++
			}
		})
	}
}

func BenchmarkMedianStoppingShouldStop(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint(n, "_trials"), func(b *testing.B) {
			// n finished trials of 20 steps; a new trial reports at step
			// 10, again and again, so the state stays the same.
			p := &algorithms.MedianStopping{}
			rng := rand.New(rand.NewPCG(1, 1))
			for trial := range n {
				for step := 1; step <= 20; step++ {
					p.ShouldStop(trial, step, rng.Float64())
				}
				p.Finish(trial, true)
			}
			for b.Loop() {
				p.ShouldStop(n, 10, 0.5)
			}
		})
	}
}
