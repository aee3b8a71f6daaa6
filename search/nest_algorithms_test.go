package search

import (
	"math"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/symbolic"
)

// algorithmSearch is a search over search algorithms: the outer space
// chooses an algorithm and its settings, each inner search runs it on
// branin over two seeds, and the outer regret is the mean of the inner
// best regrets.
const algorithmSearch = `study: algos
space:
  algorithm: !oneof
  - {_type: algorithms.Random}
  - {_type: algorithms.RegularizedEvolution, population: !oneof [5, 10], tournament: 3}
  - {_type: algorithms.TPE, n_startup_trials: 5}
algorithm: grid
objective:
  metrics: {regret: minimize}
  seeds: [1, 2]
  search:
    study: branin
    algorithm: !outer algorithm
    objective: {builtin: branin, metrics: {regret: minimize}}
    budget: {trials: 12}
budget: {trials: 4}
`

// TestSearchOverAlgorithms: algorithms are programs an outer search
// chooses; each outer trial runs its algorithm once per seed, and its
// regret is the mean of the inner bests.
func TestSearchOverAlgorithms(t *testing.T) {
	ctx := t.Context()
	reg := nestedRegistry(t)
	if err := algorithms.Register(reg); err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig(reg, "algos.yaml", []byte(algorithmSearch))
	if err != nil {
		t.Fatal(err)
	}
	job, err := cfg.Job("algos.yaml", testBuiltins())
	if err != nil {
		t.Fatal(err)
	}
	st := NewMemStore()
	res, err := job.Run(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Completed != 4 {
		t.Fatalf("%d outer trials completed, want 4", res.Completed)
	}
	outer, _ := st.Trials(ctx, "algos")
	types := map[string]bool{}
	for _, o := range outer {
		algo, _ := symbolic.GetPath(o.Program, "algorithm")
		types[algo.(*symbolic.Object).Type().Name()] = true
		sum := 0.0
		for _, seed := range []int{1, 2} {
			name := InnerStudyName("algos", o.Number, "branin-seed-"+string(rune('0'+seed)))
			in, err := Summarize(ctx, st, name)
			if err != nil {
				t.Fatalf("outer trial %d: %v", o.Number, err)
			}
			if in.Completed != 12 {
				t.Errorf("%s: %d completed, want 12", name, in.Completed)
			}
			sum += in.Best.Metrics["regret"]
			info, _ := st.Study(ctx, name)
			kept, _ := symbolic.GetPath(info.Config, "algorithm")
			if !symbolic.Equal(kept, algo) {
				t.Errorf("%s ran %v, want the outer trial's %v", name, kept, algo)
			}
			if s, _ := symbolic.GetPath(info.Config, "seed"); s != symbolic.Int(seed) {
				t.Errorf("%s has the seed %v, want %d", name, s, seed)
			}
		}
		if got, want := o.Metrics["regret"], sum/2; math.Abs(got-want) > 1e-12 {
			t.Errorf("outer trial %d: regret %v, want the mean of the inner bests %v", o.Number, got, want)
		}
		if _, ok := o.Metrics[InnerTrialMetric]; ok {
			t.Errorf("outer trial %d names one winner of two inner searches", o.Number)
		}
	}
	if len(types) != 3 {
		t.Errorf("the outer trials ran %v, want the three algorithms", types)
	}
	// The random candidate ran exactly as algorithms.Random with seed 1.
	direct := NewMemStore()
	if _, err := Run(ctx, Searchable[symbolic.Value](testBuiltins()["branin"].Space()), &algorithms.Random{Seed: 1},
		testBuiltins()["branin"].Objective, &Options{Store: direct, Study: "direct", Trials: 12,
			Objectives: []Metric{{"regret", Minimize}}}); err != nil {
		t.Fatal(err)
	}
	want := studyRecords(t, direct, "direct")
	got := studyRecords(t, st, InnerStudyName("algos", 0, "branin-seed-1"))
	for i := range want {
		if got[i].DNAText != want[i].DNAText {
			t.Fatalf("inner trial %d: %s, algorithms.Random{Seed: 1} proposes %s", i, got[i].DNAText, want[i].DNAText)
		}
	}
}
