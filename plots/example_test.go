package plots_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/c2602f9e/goglove/plots"
	"github.com/c2602f9e/goglove/search"
)

// A line plot of named series, as an experiment draws its own results.
func ExampleLines() {
	c := plots.Lines("loss along the path", "λ", "loss",
		plots.Named{Name: "naive average", Points: []plots.XY{{0, 0.3}, {0.5, 2.1}, {1, 0.3}}},
		plots.Named{Name: "after weight matching", Points: []plots.XY{{0, 0.3}, {0.5, 0.4}, {1, 0.3}}})
	var svg bytes.Buffer
	if err := plots.Render(&svg, c, "svg"); err != nil {
		panic(err)
	}
	fmt.Println(len(c.Panels[0].Series), bytes.Contains(svg.Bytes(), []byte("<svg")))
	// Output: 2 true
}

// A scatter of accuracy against size, the size on a log scale.
func ExampleScatter() {
	c := plots.Scatter("accuracy against size", "size (bits)", "accuracy",
		plots.Named{Name: "fp32", Points: []plots.XY{{3.2e6, 0.89}, {1.3e7, 0.9}}},
		plots.Named{Name: "ternary", Points: []plots.XY{{2e5, 0.86}, {8e5, 0.88}}}).LogX()
	var png bytes.Buffer
	if err := plots.Render(&png, c, "png"); err != nil {
		panic(err)
	}
	fmt.Println(c.Panels[0].X.Log, bytes.HasPrefix(png.Bytes(), []byte("\x89PNG")))
	// Output: true true
}

// The history of a study: each completed trial's objective and the best
// so far.
func ExampleHistory() {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := &plots.Study{Name: "demo", Objectives: []search.Metric{{Name: "loss", Direction: search.Minimize}}}
	for i, loss := range []float64{3, 2, 2.5, 1} {
		s.Trials = append(s.Trials, search.TrialRecord{Number: i, State: search.Completed,
			Metrics: search.Metrics{"loss": loss}, Created: at, Finished: at})
	}
	c, err := plots.History(s)
	if err != nil {
		panic(err)
	}
	for _, p := range c.Panels[0].Series[1].Points {
		fmt.Print(p.Y, " ")
	}
	fmt.Println()
	// Output: 3 2 2 1
}
