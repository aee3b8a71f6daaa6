package nn

import "math"

// Schedule gives the learning rate of each optimizer step (counted from
// 0). Schedules are values, safe for concurrent use.
type Schedule interface {
	LR(step int) float64
}

// Constant is a fixed learning rate.
type Constant float64

// LR returns c.
func (c Constant) LR(step int) float64 { return float64(c) }

// Cosine decays from Base to Floor over Steps steps along half a cosine:
// lr(t) = Floor + (Base−Floor)·(1 + cos(π·t/Steps))/2, and stays at Floor
// after Steps. A Steps of 0 or less means Base throughout.
type Cosine struct {
	Base, Floor float64
	Steps       int
}

// LR returns the cosine-decayed rate.
func (c Cosine) LR(step int) float64 {
	if c.Steps <= 0 {
		return c.Base
	}
	if step >= c.Steps {
		return c.Floor
	}
	step = max(step, 0)
	return c.Floor + (c.Base-c.Floor)*(1+math.Cos(math.Pi*float64(step)/float64(c.Steps)))/2
}

// Warmup ramps the rate linearly over the first Steps steps, from
// Then.LR(0)/Steps at step 0 to Then.LR(0) at step Steps−1, and then
// follows Then with steps counted from the end of the warm-up: step
// Steps+t has rate Then.LR(t). So Warmup{Steps: w, Then: Cosine{Steps:
// total−w}} warms up and then decays to the floor at step total.
type Warmup struct {
	Steps int
	Then  Schedule
}

// LR returns the warmed-up rate.
func (w Warmup) LR(step int) float64 {
	if step < w.Steps {
		return w.Then.LR(0) * float64(step+1) / float64(w.Steps)
	}
	return w.Then.LR(step - max(w.Steps, 0))
}
