package algorithms

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/algorithms/problems"
)

// TestCMAESDefaults is the sweep behind CMAES's defaults (Sigma0 and
// mirrored sampling): the median regret after 200 trials on every
// standard problem over 50 seeds (1000–1049, disjoint from the seeds
// 0–9 of TestBlackbox, so the defaults are not fitted to the reported
// figures). It runs only with GOGLOVE_TUNE=1.
func TestCMAESDefaults(t *testing.T) {
	if os.Getenv("GOGLOVE_TUNE") == "" {
		t.Skip("set GOGLOVE_TUNE=1 to run the sweep")
	}
	const trials, seeds = 200, 50
	for _, mirrored := range []bool{false, true} {
		for _, sigma := range []float64{0.1, 0.125, 1.0 / 6, 0.2, 0.25, 0.3} {
			var b strings.Builder
			fmt.Fprintf(&b, "σ0 %.3f mirrored %-5v:", sigma, mirrored)
			for _, p := range problems.All() {
				m := bbMedianRegret(t, func(seed uint64) Algorithm {
					return &CMAES{Seed: seed + 1000, Sigma0: sigma, NoMirroring: !mirrored}
				}, p, trials, seeds)
				fmt.Fprintf(&b, " %s %.3g", p.Name, m)
			}
			t.Log(b.String())
		}
	}
}
