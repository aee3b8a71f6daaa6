package experiments

import "github.com/c2602f9e/goglove/plots"

// HardwareFrontSeries returns the outer Pareto front, by latency: the
// validation accuracy (the objective) and the test accuracy of each
// point against its latency per example in µs. A pure function of res.
func HardwareFrontSeries(res *HardwareResult) []plots.Named {
	val, test := plots.Named{Name: "validation accuracy (front)"}, plots.Named{Name: "test accuracy"}
	for _, p := range res.Front {
		val.Points = append(val.Points, plots.XY{X: p.LatencyUS, Y: p.ValAccuracy})
		test.Points = append(test.Points, plots.XY{X: p.LatencyUS, Y: p.TestAccuracy})
	}
	return []plots.Named{val, test}
}

// HardwareFigures returns the plot goglove experiment hardware --out
// writes: front.svg, the outer Pareto front of accuracy against latency
// (log scale when every latency is positive).
func HardwareFigures(res *HardwareResult) []Figure {
	c := plots.Lines("Hardware-aware NAS: the outer Pareto front", "latency per example (µs)", "accuracy", HardwareFrontSeries(res)...)
	positive := len(res.Front) > 0
	for _, p := range res.Front {
		positive = positive && p.LatencyUS > 0
	}
	if positive {
		c = c.LogX()
	}
	return []Figure{{File: "front.svg", Chart: withPoints(c)}}
}
