package algorithms_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/algorithms"
)

// ASHA with the default η = 3 and rungs at steps 1, 3 and 9: at each
// rung, only the best third of the trials that reached it go on (the
// first trial at a rung always goes on).
func ExampleASHA() {
	policy := &algorithms.ASHA{MaxResource: 27}
	// Accuracy curves of five trials, one per row, at steps 1 to 9; each
	// trial reports until the policy stops it.
	curves := [][]float64{
		{0.50, 0.60, 0.65, 0.70, 0.72, 0.74, 0.75, 0.76, 0.77},
		{0.40, 0.45, 0.50, 0.52, 0.54, 0.56, 0.57, 0.58, 0.59},
		{0.60, 0.62, 0.64, 0.66, 0.68, 0.70, 0.72, 0.74, 0.76},
		{0.55, 0.70, 0.80, 0.82, 0.84, 0.85, 0.86, 0.87, 0.88},
		{0.65, 0.70, 0.71, 0.72, 0.73, 0.74, 0.75, 0.76, 0.78},
	}
	for trial, curve := range curves {
		for i, acc := range curve {
			step := i + 1
			if policy.ShouldStop(trial, step, acc) {
				fmt.Printf("trial %d stopped at step %d\n", trial, step)
				break
			}
			if step == len(curve) {
				fmt.Printf("trial %d ran to step %d\n", trial, step)
			}
		}
		policy.Finish(trial, true)
	}
	// Output:
	// trial 0 ran to step 9
	// trial 1 stopped at step 1
	// trial 2 stopped at step 3
	// trial 3 stopped at step 1
	// trial 4 ran to step 9
}

// The median rule stops a trial whose best accuracy so far is below the
// median of the other trials' at the same step; Or combines it with ASHA,
// stopping a trial when either would.
func ExampleMedianStopping() {
	median := &algorithms.MedianStopping{MinTrials: 2}
	asha := &algorithms.ASHA{MinResource: 3} // one rung, at step 3
	policy := algorithms.Or(median, asha)
	curves := [][]float64{
		{0.50, 0.60, 0.70},
		{0.60, 0.70, 0.80},
		{0.55, 0.58, 0.90}, // median: 0.58 is below 0.65 at step 2
		{0.70, 0.80, 0.85},
		{0.75, 0.80, 0.82}, // ASHA: not the best of four at step 3
	}
	for trial, curve := range curves {
		for i, acc := range curve {
			if policy.ShouldStop(trial, i+1, acc) {
				fmt.Printf("trial %d stopped at step %d\n", trial, i+1)
				break
			}
		}
		policy.Finish(trial, true)
	}
	// Output:
	// trial 2 stopped at step 2
	// trial 4 stopped at step 3
}
