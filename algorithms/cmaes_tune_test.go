package algorithms

import (
	"fmt"
	"testing"

	"github.com/c2602f9e/goglove/algorithms/problems"
)

// BenchmarkCMAESDefaults is the sweep behind CMAES's defaults (Sigma0 and
// mirrored sampling): for each setting it reports the median regret after
// 200 trials on every standard problem over 50 seeds (1000–1049, disjoint
// from the seeds 0–9 of TestBlackbox, so the defaults are not fitted to
// the reported figures), as metrics named regret-PROBLEM. The figures do
// not depend on b.N; run it once each:
//
//	go test -run '^$' -bench CMAESDefaults -benchtime 1x ./algorithms
func BenchmarkCMAESDefaults(b *testing.B) {
	const trials, seeds = 200, 50
	for _, mirrored := range []bool{false, true} {
		for _, sigma := range []float64{0.1, 0.125, 1.0 / 6, 0.2, 0.25, 0.3} {
			b.Run(fmt.Sprintf("sigma0=%.3f/mirrored=%v", sigma, mirrored), func(b *testing.B) {
				regret := map[string]float64{}
				for b.Loop() {
					for _, p := range problems.All() {
						regret[p.Name] = bbMedianRegret(b, func(seed uint64) Algorithm {
							return &CMAES{Seed: seed + 1000, Sigma0: sigma, NoMirroring: !mirrored}
						}, p, trials, seeds)
					}
				}
				for name, r := range regret {
					b.ReportMetric(r, "regret-"+name)
				}
			})
		}
	}
}
