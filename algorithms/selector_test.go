package algorithms_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
)

// population returns results with the given primary rewards; NaN stands
// for a failed result.
func population(rewards ...float64) []algorithms.Result {
	pop := make([]algorithms.Result, len(rewards))
	for i, r := range rewards {
		pop[i].Trial = i
		if !math.IsNaN(r) {
			pop[i].Rewards = []float64{r}
		}
	}
	return pop
}

// frequencies returns how often each index is selected, one at a time.
func frequencies(s algorithms.Selector, pop []algorithms.Result, draws int) []float64 {
	rng := rand.New(rand.NewPCG(21, 21))
	f := make([]float64, len(pop))
	for range draws {
		f[s.Select(rng, pop, 1)[0]] += 1 / float64(draws)
	}
	return f
}

func TestTournament(t *testing.T) {
	pop := population(3, 1, 4, 1.5, 5)
	tests := []struct {
		name string
		sel  algorithms.Selector
		want []float64
	}{
		// Size 1 and RandomSelector: uniform.
		{"size 1", algorithms.Tournament{Size: 1}, []float64{0.2, 0.2, 0.2, 0.2, 0.2}},
		{"random", algorithms.RandomSelector{}, []float64{0.2, 0.2, 0.2, 0.2, 0.2}},
		// Size s, with replacement: P(rank r of n wins) = ((n−r+1)^s − (n−r)^s)/n^s.
		{"size 2", algorithms.Tournament{Size: 2}, []float64{5. / 25, 1. / 25, 7. / 25, 3. / 25, 9. / 25}},
		{"size 3", algorithms.Tournament{Size: 3}, []float64{19. / 125, 1. / 125, 37. / 125, 7. / 125, 61. / 125}},
		// The default, 10: the best almost always.
		{"default", algorithms.Tournament{}, []float64{
			(math.Pow(3, 10) - math.Pow(2, 10)) / math.Pow(5, 10), 1 / math.Pow(5, 10),
			(math.Pow(4, 10) - math.Pow(3, 10)) / math.Pow(5, 10), (math.Pow(2, 10) - 1) / math.Pow(5, 10),
			(math.Pow(5, 10) - math.Pow(4, 10)) / math.Pow(5, 10)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := frequencies(tt.sel, pop, 50000)
			for i := range got {
				if math.Abs(got[i]-tt.want[i]) > 0.01 {
					t.Errorf("frequencies %.3f, want %.3f", got, tt.want)
					break
				}
			}
		})
	}
}

func TestSelectorsRankFailuresLast(t *testing.T) {
	pop := population(math.NaN(), 2, math.NaN(), 1)
	for name, s := range map[string]algorithms.Selector{"tournament": algorithms.Tournament{Size: 50}, "top": algorithms.Top{}} {
		if got := frequencies(s, pop, 100); math.Abs(got[1]-1) > 1e-9 {
			t.Errorf("%s: frequencies %v, want always the member with reward 2", name, got)
		}
	}
	if got := (algorithms.Bottom{}).Select(nil, pop, 4); !slices.Equal(got, []int{0, 2, 3, 1}) {
		t.Errorf("Bottom: %v, want failures first, then 1, 2", got)
	}
}

func TestTopBottom(t *testing.T) {
	pop := population(3, 1, 4, 1, 5, 9, 2, 6)
	tests := []struct {
		name string
		sel  algorithms.Selector
		n    int
		want []int
	}{
		{"top 1", algorithms.Top{}, 1, []int{5}},
		{"top 3", algorithms.Top{}, 3, []int{5, 7, 4}},
		{"top all", algorithms.Top{}, 20, []int{5, 7, 4, 2, 0, 6, 1, 3}},
		{"bottom 1 (ties in order)", algorithms.Bottom{}, 1, []int{1}},
		{"bottom 3", algorithms.Bottom{}, 3, []int{1, 3, 6}},
		{"top 0", algorithms.Top{}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sel.Select(nil, pop, tt.n); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSelectorsEmptyAndMany(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 22))
	for name, s := range map[string]algorithms.Selector{
		"tournament": algorithms.Tournament{}, "top": algorithms.Top{}, "bottom": algorithms.Bottom{}, "random": algorithms.RandomSelector{},
	} {
		if got := s.Select(rng, nil, 3); got != nil {
			t.Errorf("%s on an empty population: %v", name, got)
		}
		pop := population(1, 2)
		got := s.Select(rng, pop, 5)
		want := 5
		if name == "top" || name == "bottom" {
			want = 2
		}
		if len(got) != want {
			t.Errorf("%s: 5 of 2 members: %v, want %d indices", name, got, want)
		}
	}
}
