package experiments_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/c2602f9e/goglove/experiments"
)

// The quick mode of the NAS experiment: every program of the small
// synthetic space is trained once, then each method searches it with
// each seed; the goal is checked per supernet and one-shot method.
func ExampleRunNAS() {
	r, err := experiments.RunNAS(context.Background(), true, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Summary.Programs, "programs,", len(r.Runs), "runs")
	for _, c := range experiments.CheckNAS(*r)[:2] {
		fmt.Println("checked:", strings.Fields(c.Question)[1])
	}
	// Output:
	// 48 programs, 27 runs
	// checked: darts
	// checked: darts2
}
