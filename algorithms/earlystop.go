package algorithms

import "math"

// StoppingPolicy decides whether a running trial should stop early, from
// the measurements trials report at intermediate steps (for example the
// validation accuracy after each epoch).
//
// The search loop calls ShouldStop each time a trial reports a
// measurement: trial is the trial's number (Result.Trial), step its
// progress (epochs, training steps, examples seen: any resource that
// grows; a trial's steps should increase), and reward the primary
// objective oriented so that larger is better (the loop negates a
// minimized metric). The policy records the measurement and answers
// whether the trial should stop now. The loop calls Finish once when a
// trial ends: completed is true when it finished normally, false when it
// failed, was skipped or was stopped. The loop makes no call for a trial
// after its Finish.
//
// The policies of this package record a NaN reward as the worst possible
// one, keep the measurements of finished trials (they are what later
// trials are compared with), and hold no randomness: their answers depend
// only on the calls made, so replaying a study's recorded measurements in
// their original order rebuilds one after a restart.
//
// The search loop serializes its calls to a policy, so implementations
// need not be safe for concurrent use; the policies of this package are
// not.
type StoppingPolicy interface {
	// ShouldStop records a trial's reward at a step and reports whether
	// the trial should stop.
	ShouldStop(trial int, step int, reward float64) bool
	// Finish reports that a trial has ended.
	Finish(trial int, completed bool)
}

// NeverStop is the policy that lets every trial run to its end. It is
// safe for concurrent use.
type NeverStop struct{}

// ShouldStop implements StoppingPolicy: it returns false.
func (NeverStop) ShouldStop(trial, step int, reward float64) bool { return false }

// Finish implements StoppingPolicy.
func (NeverStop) Finish(trial int, completed bool) {}

var (
	_ StoppingPolicy = NeverStop{}
	_ StoppingPolicy = (*MedianStopping)(nil)
	_ StoppingPolicy = (*ASHA)(nil)
)

// And returns a policy that stops a trial when every one of policies
// says so (and never when there are none). Every policy sees every call,
// whatever the others answered, so that each records every measurement.
func And(policies ...StoppingPolicy) StoppingPolicy {
	return &stopCombination{policies: policies, all: true}
}

// Or returns a policy that stops a trial when any of policies says so
// (and never when there are none). Every policy sees every call, whatever
// the others answered, so that each records every measurement.
func Or(policies ...StoppingPolicy) StoppingPolicy {
	return &stopCombination{policies: policies}
}

// Not returns a policy that stops a trial when policy says it should not
// stop, and lets it run when policy would stop it. With And it exempts
// the trials one policy picks from another: And(p, Not(q)) stops what p
// stops unless q would stop it too.
func Not(policy StoppingPolicy) StoppingPolicy { return stopNot{policy} }

type stopCombination struct {
	policies []StoppingPolicy
	all      bool // And; otherwise Or
}

func (c *stopCombination) ShouldStop(trial, step int, reward float64) bool {
	if len(c.policies) == 0 {
		return false
	}
	stop := c.all
	for _, p := range c.policies {
		s := p.ShouldStop(trial, step, reward)
		if c.all {
			stop = stop && s
		} else {
			stop = stop || s
		}
	}
	return stop
}

func (c *stopCombination) Finish(trial int, completed bool) {
	for _, p := range c.policies {
		p.Finish(trial, completed)
	}
}

type stopNot struct{ p StoppingPolicy }

func (n stopNot) ShouldStop(trial, step int, reward float64) bool {
	return !n.p.ShouldStop(trial, step, reward)
}

func (n stopNot) Finish(trial int, completed bool) { n.p.Finish(trial, completed) }

// stopReward returns reward with NaN replaced by −Inf, the worst value.
func stopReward(reward float64) float64 {
	if math.IsNaN(reward) {
		return math.Inf(-1)
	}
	return reward
}
