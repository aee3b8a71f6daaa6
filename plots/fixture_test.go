package plots_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/plots"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// fixtureSpace is the space of the test study: a conditional decision
// (momentum only with sgd), a log-scale float, an int and a ManyOf.
const fixtureSpace = `
opt: !oneof [{name: sgd, momentum: !float {min: 0, max: 0.9}}, adam]
lr: !float {min: 1.0e-4, max: 0.1, scale: log}
depth: !int {min: 1, max: 4}
layers: !manyof {k: 2, candidates: [a, b, c]}
`

// spec compiles a space written in YAML.
func spec(t testing.TB, yaml string) *space.DNASpec {
	t.Helper()
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		t.Fatal(err)
	}
	tree, err := reg.DecodeYAML([]byte(yaml), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := space.New(tree)
	if err != nil {
		t.Fatal(err)
	}
	return s.Spec()
}

// fixture returns the test study: n trials drawn at random with seed 1,
// their loss a function of lr and the optimizer (and momentum under sgd),
// their size of depth, three reporting steps, every seventh failed,
// every eleventh stopped early, the last one running, on two workers.
func fixture(t testing.TB, n int) *plots.Study {
	t.Helper()
	sp := spec(t, fixtureSpace)
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	s := &plots.Study{Name: "fixture", Spec: sp,
		Objectives: []search.Metric{{Name: "loss", Direction: search.Minimize}, {Name: "size", Direction: search.Minimize}}}
	for i := range n {
		dna := sp.Random(rng)
		row := sp.Row(dna)
		lr := row["lr"].Number
		loss := math.Abs(math.Log10(lr)+2) + 0.1*row["depth"].Number
		if row["opt"].Index == 0 {
			loss += 1 - row["opt[0].momentum"].Number
		}
		size := 100 * row["depth"].Number
		created := start.Add(time.Duration(i) * time.Second)
		rec := search.TrialRecord{Number: i, DNA: dna, DNAText: sp.Format(dna), State: search.Completed,
			Metrics: search.Metrics{"loss": round(loss), "size": size}, Attempt: 1,
			Worker: []string{"host:1", "host:2"}[i%2], Created: created, Finished: created.Add(1500 * time.Millisecond)}
		for step := range 3 {
			rec.Steps = append(rec.Steps, search.Step{Step: step, Metrics: search.Metrics{"loss": round(loss + float64(2-step)/2)}})
		}
		switch {
		case i == n-1:
			rec.State, rec.Metrics, rec.Finished = search.Running, nil, time.Time{}
			rec.Heartbeat = created.Add(3 * time.Second)
		case i%7 == 3:
			rec.State, rec.Metrics, rec.Steps, rec.Error = search.Failed, nil, nil, "boom"
		case i%11 == 5:
			rec.State, rec.Steps = search.EarlyStopped, rec.Steps[:2]
		}
		s.Trials = append(s.Trials, rec)
	}
	return s
}

// round keeps four decimals, so that golden files read well.
func round(v float64) float64 { return math.Round(v*1e4) / 1e4 }
