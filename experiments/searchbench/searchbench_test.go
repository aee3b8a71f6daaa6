package searchbench

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/algorithms/problems"
	"github.com/c2602f9e/goglove/search"
)

func TestCheckpoints(t *testing.T) {
	tests := []struct {
		trials int
		want   []int
	}{
		{200, []int{50, 100, 200}},
		{10, []int{2, 5, 10}},
		{3, []int{1, 3}},
		{1, []int{1}},
	}
	for _, tt := range tests {
		if got := Checkpoints(tt.trials); !slices.Equal(got, tt.want) {
			t.Errorf("Checkpoints(%d) = %v, want %v", tt.trials, got, tt.want)
		}
	}
}

func TestOverheadSpace(t *testing.T) {
	spec := OverheadSpace().Spec()
	var oneofs []int
	floats := 0
	for _, p := range spec.All() {
		switch p.Kind.String() {
		case "oneof":
			oneofs = append(oneofs, len(p.Candidates))
		case "float":
			floats++
		}
	}
	if !slices.Equal(oneofs, []int{2, 3, 4, 5, 6, 8}) || floats != 4 || len(spec.All()) != 10 {
		t.Errorf("overhead space: oneofs of %v candidates, %d floats, %d decisions; want 2..8, 4, 10", oneofs, floats, len(spec.All()))
	}
}

func TestBlackbox(t *testing.T) {
	p := problems.Branin()
	fig, err := Blackbox(t.Context(), p, "random", 40, 3)
	if err != nil {
		t.Fatal(err)
	}
	if fig.Problem != "branin" || fig.Algo != "random" || fig.Trials != 40 || fig.Seeds != 3 ||
		!slices.Equal(fig.Checkpoints, []int{10, 20, 40}) || len(fig.MedianRegret) != 3 {
		t.Fatalf("figures %+v: want branin, random, 40 trials, 3 seeds, regret at 10, 20, 40", fig)
	}
	for i, r := range fig.MedianRegret {
		if r < 0 || (i > 0 && r > fig.MedianRegret[i-1]) {
			t.Errorf("median regret %v: want non-negative and never rising with more trials", fig.MedianRegret)
		}
	}
	if fig.USPerTrial <= 0 {
		t.Errorf("USPerTrial %v, want the loop's positive cost", fig.USPerTrial)
	}
	// The same seeds find the same points: the regret is reproducible.
	again, err := Blackbox(t.Context(), p, "random", 40, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.MedianRegret, fig.MedianRegret) {
		t.Errorf("second run regret %v, first %v: want the same", again.MedianRegret, fig.MedianRegret)
	}
}

func TestCanSearch(t *testing.T) {
	p := problems.Branin()
	if err := CanSearch("tpe", p); err != nil {
		t.Errorf("CanSearch(tpe, branin) = %v, want nil", err)
	}
	if err := CanSearch("grid", p); err == nil {
		t.Error("CanSearch(grid, branin) = nil, want the error of a grid over a continuous space")
	}
	if err := CanSearch("nosuch", p); err == nil {
		t.Error("CanSearch(nosuch, branin) = nil, want an unknown algorithm")
	}
}

func TestOverhead(t *testing.T) {
	fig, err := Overhead(t.Context(), 50, 1)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]float64{"random loop": fig.Random.Loop, "random run": fig.Random.Run,
		"evolution loop": fig.Evolution.Loop, "evolution run": fig.Evolution.Run, "decode": fig.DecodeUS} {
		if v <= 0 {
			t.Errorf("%s: %v µs, want positive", name, v)
		}
	}
	if fig.Random.Run < fig.Random.Loop || fig.Evolution.Run < fig.Evolution.Loop {
		t.Errorf("figures %+v: the run includes the loop, so it cannot be shorter", fig)
	}
}

func TestStoreInMemory(t *testing.T) {
	opened := 0
	open := func() (search.Store, error) { opened++; return search.NewMemStore(), nil }
	var lines []string
	fig, err := Store(t.Context(), open, StoreOptions{Trials: 12, Reps: 2, Delay: time.Millisecond, Workers: 3,
		Progress: func(l string) { lines = append(lines, l) }})
	if err != nil {
		t.Fatal(err)
	}
	if opened != 1 {
		t.Errorf("open called %d times, want once: workers share one in-memory store", opened)
	}
	if fig.OverheadMSPerTrial <= 0 || fig.OneWorkerPerS <= 0 || fig.WorkersPerS <= 0 {
		t.Errorf("figures %+v, want positive", fig)
	}
	if want := fig.WorkersPerS / fig.OneWorkerPerS; fig.Speedup != want {
		t.Errorf("Speedup %v, want WorkersPerS/OneWorkerPerS = %v", fig.Speedup, want)
	}
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "overhead run 1 of 2: ") || !strings.HasPrefix(lines[3], "scaling run 2 of 2: ") {
		t.Errorf("progress lines %q, want two overhead and two scaling runs", lines)
	}
}
