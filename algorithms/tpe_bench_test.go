package algorithms

import (
	"context"
	"testing"

	"github.com/c2602f9e/goglove/algorithms/problems"
	"github.com/c2602f9e/goglove/internal/cputime"
)

// bbBenchTrials runs newAlgo on p for a whole search of trials trials per
// iteration and reports the mean cost of Propose + Feedback per trial
// (the objective is evaluated but its time is negligible: Rosenbrock10
// costs about 10 ns).
func bbBenchTrials(b *testing.B, newAlgo func() Algorithm, p *problems.Problem, trials int) {
	spec := p.Space().Spec()
	ctx := context.Background()
	b.ReportAllocs()
	cpu0 := cputime.Process()
	for b.Loop() {
		a := newAlgo()
		if err := a.Setup(spec); err != nil {
			b.Fatal(err)
		}
		for i := range trials {
			dna, err := a.Propose(ctx)
			if err != nil {
				b.Fatal(err)
			}
			v := p.Func(spec.Numbers(dna))
			a.Feedback(Result{Trial: i, DNA: dna, Rewards: []float64{-v}})
		}
	}
	trialsRun := float64(b.N * trials)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/trialsRun, "µs/trial")
	if cpu := cputime.Process() - cpu0; cpu0 > 0 && cpu > 0 {
		// CPU time of the process (GC included): steadier than wall time
		// on a loaded machine.
		b.ReportMetric(float64(cpu.Nanoseconds())/1e3/trialsRun, "cpu-µs/trial")
	}
}

// BenchmarkTPE measures TPE's overhead per trial, averaged over a search
// of 200 trials on Rosenbrock10 (ten Float decisions).
func BenchmarkTPE(b *testing.B) {
	bbBenchTrials(b, func() Algorithm { return &TPE{Seed: 1} }, problems.Rosenbrock10(), 200)
}

// BenchmarkTPEMultivariate is BenchmarkTPE with the ten decisions drawn
// jointly.
func BenchmarkTPEMultivariate(b *testing.B) {
	bbBenchTrials(b, func() Algorithm { return &TPE{Seed: 1, Multivariate: true} }, problems.Rosenbrock10(), 200)
}
