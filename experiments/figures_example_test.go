package experiments_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/experiments"
	"github.com/c2602f9e/goglove/trainer/merge"
)

// The series of the LMC plot come from the paths of a result; LMCFigures
// puts them into the charts that SaveFigures draws into --out.
func ExampleLMCLossSeries() {
	paths := experiments.LMCPaths{
		Naive: []merge.PathPoint{{Lambda: 0, Loss: 0.34}, {Lambda: 0.5, Loss: 1.56}, {Lambda: 1, Loss: 0.35}},
		WM:    []merge.PathPoint{{Lambda: 0, Loss: 0.34}, {Lambda: 0.5, Loss: 0.43}, {Lambda: 1, Loss: 0.35}},
	}
	for _, s := range experiments.LMCLossSeries(paths) {
		fmt.Println(s.Name, s.Points)
	}
	for _, f := range experiments.LMCFigures(&experiments.LMCResult{Paths: paths}) {
		fmt.Println(f.File, len(f.Chart.Panels[0].Series), "series")
	}
	// Output:
	// naive [{0 0.34} {0.5 1.56} {1 0.35}]
	// WM [{0 0.34} {0.5 0.43} {1 0.35}]
	// loss.svg 4 series
	// accuracy.svg 4 series
}
