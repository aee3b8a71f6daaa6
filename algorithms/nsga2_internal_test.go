package algorithms

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/c2602f9e/goglove/space"
)

// nsgaRichRewards gives two rewards of an nsgaRichSpec DNA: i trades one
// for the other, and a few decisions add a bonus to both, so the front
// has at most 7 points.
func nsgaRichRewards(d space.DNA) []float64 {
	i := d.Children[8].Value
	bonus := 0.0
	if d.Children[0].Value == 2 { // op: none
		bonus++
	}
	if d.Children[7].Value > 0.5 { // f
		bonus++
	}
	if d.Children[6].Children[0].Value == 1 { // perm: y first
		bonus += d.Children[6].Children[0].Children[0].Value / 4
	}
	return []float64{i + bonus, -i + bonus}
}

// Failed results, results with another number of rewards, with a NaN, or
// with a DNA of another space are ignored; a generation forms when
// Population usable results have arrived.
func TestNSGA2FeedbackRules(t *testing.T) {
	spec := nsgaRichSpec(t)
	a := &NSGA2{Population: 3, Seed: 1}
	if err := a.Setup(spec); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	propose := func() space.DNA {
		d, err := a.Propose(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	check := func(step string, fresh, parents, gen int) {
		t.Helper()
		if len(a.fresh) != fresh || len(a.parents) != parents || a.gen != gen {
			t.Fatalf("after %s: %d fresh, %d parents, generation %d; want %d, %d, %d",
				step, len(a.fresh), len(a.parents), a.gen, fresh, parents, gen)
		}
	}
	d := propose()
	a.Feedback(Result{Trial: 0, DNA: d})
	check("a failed result", 0, 0, 0)
	if a.nobj != 0 {
		t.Fatalf("a failed result fixed %d objectives", a.nobj)
	}
	a.Feedback(Result{Trial: 1, DNA: d, Rewards: []float64{1, 2}})
	check("a result", 1, 0, 0)
	for _, bad := range []Result{
		{Trial: 2, DNA: d, Rewards: []float64{1}},
		{Trial: 3, DNA: d, Rewards: []float64{1, 2, 3}},
		{Trial: 4, DNA: d, Rewards: []float64{math.NaN(), 2}},
		{Trial: 5, DNA: space.DNA{}, Rewards: []float64{1, 2}},
		{Trial: 6, DNA: d, Rewards: []float64{}},
	} {
		a.Feedback(bad)
		check("an unusable result", 1, 0, 0)
	}
	rewards := []float64{3, 0}
	a.Feedback(Result{Trial: 7, DNA: propose(), Rewards: rewards})
	rewards[0] = -100 // the algorithm keeps its own copy
	check("two results", 2, 0, 0)
	a.Feedback(Result{Trial: 8, DNA: propose(), Rewards: []float64{0, 3}})
	check("three results", 0, 3, 1)
	if got := a.parents[1].r.Rewards; !slices.Equal(got, []float64{3, 0}) {
		t.Errorf("parent 1 has rewards %v, want [3 0]", got)
	}
	for k := range 3 {
		a.Feedback(Result{Trial: 9 + k, DNA: propose(), Rewards: []float64{-1, -1}})
	}
	// The three first results are non-dominated: two extremes and one
	// whose neighbours span both objectives' ranges. The dominated
	// newcomers are dropped.
	check("six results", 0, 3, 2)
	for _, m := range a.parents {
		want := math.Inf(1)
		if m.r.Rewards[0] == 1 {
			want = 2
		}
		if m.rank != 0 || m.crowd != want || m.r.Rewards[0] < 0 {
			t.Errorf("parent %v: rank %d, crowding %v, want rank 0, crowding %v", m.r.Rewards, m.rank, m.crowd, want)
		}
	}
}

// Elitism: while the front of every result seen fits in the population,
// the population holds all of it. (Once it does not fit, crowding cuts
// it, and a result dominated only by a cut one may join later fronts.)
func TestNSGA2Elitist(t *testing.T) {
	spec := nsgaRichSpec(t)
	a := &NSGA2{Population: 40, Seed: 2}
	if err := a.Setup(spec); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var seen []Result
	checked := 0
	for trial := 0; ; trial++ {
		d, err := a.Propose(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r := Result{Trial: trial, DNA: d, Rewards: nsgaRichRewards(d)}
		seen = append(seen, r)
		gen := a.gen
		a.Feedback(r)
		if a.gen == gen {
			continue
		}
		front := ParetoFront(seen)
		if len(front) > a.pop {
			break
		}
		checked++
		for _, f := range front {
			if !slices.ContainsFunc(a.parents, func(m nsgaMember) bool { return slices.Equal(m.r.Rewards, f.Rewards) }) {
				t.Fatalf("generation %d: front point %v (trial %d) not in the population", a.gen, f.Rewards, f.Trial)
			}
		}
	}
	t.Logf("checked %d generations", checked)
	if checked < 3 {
		t.Errorf("checked %d generations, want at least 3", checked)
	}
}
