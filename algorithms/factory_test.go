package algorithms_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/symbolic"
)

// section decodes a config section from YAML; "" is no section (nil).
func section(t *testing.T, src string) symbolic.Value {
	t.Helper()
	if src == "" {
		return nil
	}
	v, err := symbolic.NewRegistry().DecodeYAML([]byte(src), nil)
	if err != nil {
		t.Fatalf("decoding %q: %v", src, err)
	}
	return v
}

func TestNew(t *testing.T) {
	const seed = 7
	for _, tt := range []struct {
		name, src string
		want      algorithms.Algorithm
	}{
		{"no section is random search", "", &algorithms.Random{Seed: seed}},
		{"null is random search", "null", &algorithms.Random{Seed: seed}},
		{"a bare name", "grid", &algorithms.Grid{}},
		{"random", "{name: random}", &algorithms.Random{Seed: seed}},
		{"evolution with options", "{name: evolution, population: 50, tournament: 5}",
			&algorithms.RegularizedEvolution{Population: 50, Tournament: 5, Seed: seed}},
		{"evolution with defaults", "{name: evolution}", &algorithms.RegularizedEvolution{Seed: seed}},
		{"hill climbing", "{name: hill_climb}", &algorithms.HillClimb{Seed: seed}},
		{"nsga2", "{name: nsga2, population: 20, crossover_prob: 0.5, mutation_prob: -1}",
			&algorithms.NSGA2{Population: 20, CrossoverProb: 0.5, MutationProb: -1, Seed: seed}},
		{"tpe", "{name: tpe, n_startup_trials: 3, n_candidates: 12, prior_weight: 2, multivariate: true}",
			&algorithms.TPE{NStartupTrials: 3, NCandidates: 12, PriorWeight: 2, Multivariate: true, Seed: seed}},
		{"cmaes", "{name: cmaes, sigma0: 0.3, pop_size: 8, max_restarts: 2, no_mirroring: true, random_fallback: true}",
			&algorithms.CMAES{Sigma0: 0.3, PopSize: 8, MaxRestarts: 2, NoMirroring: true, RandomFallback: true, Seed: seed}},
		{"dedup wraps", "{name: tpe, dedup: true, n_candidates: 5}",
			&algorithms.Dedup{Inner: &algorithms.TPE{NCandidates: 5, Seed: seed}}},
		{"dedup false does not", "{name: grid, dedup: false}", &algorithms.Grid{}},
		{"darts", "{name: darts, epochs: 5, learning_rate: 0.01, weight_decay: -1, gumbel: true, temperature: 2, final_temperature: 0.5, top_k: 2, second_order: true, xi: 0.1}",
			&algorithms.Darts{Epochs: 5, LearningRate: 0.01, WeightDecay: -1, SecondOrder: true, Xi: 0.1, Gumbel: true, Temperature: 2, FinalTemperature: 0.5, TopK: 2, Seed: seed}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sec := section(t, tt.src)
			var before string
			if sec != nil {
				before = sec.String()
			}
			got, err := algorithms.New(sec, seed)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
			if sec != nil && sec.String() != before {
				t.Fatalf("New changed its section: %s, was %s", sec, before)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		sentinel  error
		msg       string
	}{
		{"unknown name", "{name: annealing}", symbolic.ErrRange,
			`symbolic: algorithm.name: unknown algorithm "annealing" (known: cmaes, darts, evolution, grid, hill_climb, nsga2, ppo, random, reinforce, tpe)`},
		{"unknown bare name", "annealing", symbolic.ErrRange,
			`symbolic: algorithm.name: unknown algorithm "annealing" (known: cmaes, darts, evolution, grid, hill_climb, nsga2, ppo, random, reinforce, tpe)`},
		{"not a section", "3", symbolic.ErrKind,
			"symbolic: algorithm: want {name: …, options…} or a name, got int"},
		{"no name", "{population: 5}", symbolic.ErrRequired,
			"symbolic: algorithm.name: missing"},
		{"name not a string", "{name: [tpe]}", symbolic.ErrKind,
			"symbolic: algorithm.name: want a string, got list"},
		{"unknown option", "{name: evolution, populaton: 5}", nil,
			"symbolic: algorithm.populaton: unknown field of algorithms.RegularizedEvolution (fields: population, tournament, selector, mutator, recombinator, seed)"},
		{"option out of range", "{name: evolution, population: -5}", nil,
			"symbolic: algorithm.population: want int in [0, 100000], got int -5"},
		{"option of the wrong kind", "{name: tpe, multivariate: 3}", nil,
			"symbolic: algorithm.multivariate: want bool, got int 3"},
		{"an option for one that takes none", "{name: random, population: 5}", nil,
			"symbolic: algorithm.population: unknown field of algorithms.Random (fields: seed)"},
		{"dedup not a boolean", "{name: tpe, dedup: yes please}", symbolic.ErrKind,
			"symbolic: algorithm.dedup: want true or false, got string"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, err := algorithms.New(section(t, tt.src), 1)
			if err == nil {
				t.Fatalf("got %#v, want an error", a)
			}
			if err.Error() != tt.msg {
				t.Fatalf("error\n got %s\nwant %s", err, tt.msg)
			}
			var se *symbolic.Error
			if !errors.As(err, &se) || !strings.HasPrefix(se.Path.String(), "algorithm") {
				t.Fatalf("error %v (%T) is not a *symbolic.Error under algorithm", err, err)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Fatalf("error %v does not wrap %v", err, tt.sentinel)
			}
		})
	}
}

func TestNames(t *testing.T) {
	want := []string{"cmaes", "darts", "evolution", "grid", "hill_climb", "nsga2", "ppo", "random", "reinforce", "tpe"}
	if got := algorithms.Names(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	for _, n := range want {
		if _, err := algorithms.New(symbolic.String(n), 1); err != nil {
			t.Errorf("New(%q): %v", n, err)
		}
	}
}

func TestNewStoppingPolicy(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		want      algorithms.StoppingPolicy
	}{
		{"no section is none", "", nil},
		{"none", "none", nil},
		{"none by section", "{name: none}", nil},
		{"median", "{name: median, min_trials: 3, min_steps: 2}", &algorithms.MedianStopping{MinTrials: 3, MinSteps: 2}},
		{"median with defaults", "median", &algorithms.MedianStopping{}},
		{"asha", "{name: asha, min_resource: 2, reduction_factor: 4, max_resource: 32}",
			&algorithms.ASHA{MinResource: 2, ReductionFactor: 4, MaxResource: 32}},
		{"asha with the default factor", "{name: asha, reduction_factor: 0}", &algorithms.ASHA{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := algorithms.NewStoppingPolicy(section(t, tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestNewStoppingPolicyErrors(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		sentinel  error
		msg       string
	}{
		{"unknown policy", "{name: hyperband}", symbolic.ErrRange,
			`symbolic: early_stopping.name: unknown policy "hyperband" (known: none, median, asha)`},
		{"reduction factor of one", "{name: asha, reduction_factor: 1}", symbolic.ErrRange,
			"symbolic: early_stopping.reduction_factor: want 0 (the default, 3) or at least 2, got 1"},
		{"unknown option", "{name: median, patience: 3}", nil,
			"symbolic: early_stopping.patience: unknown field of algorithms.MedianStopping (fields: min_trials, min_steps)"},
		{"option out of range", "{name: asha, reduction_factor: 5000}", nil,
			"symbolic: early_stopping.reduction_factor: want int in [0, 1000], got int 5000"},
		{"no name", "{min_trials: 3}", symbolic.ErrRequired,
			"symbolic: early_stopping.name: missing"},
		{"not a section", "[median]", symbolic.ErrKind,
			"symbolic: early_stopping: want {name: …, options…} or a name, got list"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := algorithms.NewStoppingPolicy(section(t, tt.src))
			if err == nil {
				t.Fatalf("got %#v, want an error", p)
			}
			if err.Error() != tt.msg {
				t.Fatalf("error\n got %s\nwant %s", err, tt.msg)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Fatalf("error %v does not wrap %v", err, tt.sentinel)
			}
		})
	}
}

// typedSection decodes a section with a registry that knows the
// algorithms' types.
func typedSection(t *testing.T, src string) symbolic.Value {
	t.Helper()
	r := symbolic.NewRegistry()
	if err := algorithms.Register(r); err != nil {
		t.Fatal(err)
	}
	v, err := r.DecodeYAML([]byte(src), nil)
	if err != nil {
		t.Fatalf("decoding %q: %v", src, err)
	}
	return v
}

// TestNewSymbolic: an algorithm is a program of registered types, its
// parts (selector, mutator, recombinator) included, in the typed form and
// in the short one; the config's seed fills a seed left at 0.
func TestNewSymbolic(t *testing.T) {
	const seed = 7
	for _, tt := range []struct {
		name, src string
		want      algorithms.Algorithm
	}{
		{"typed evolution with its parts",
			"{_type: algorithms.RegularizedEvolution, population: 30, selector: {_type: algorithms.Tournament, size: 4}, mutator: {_type: algorithms.Uniform, count: 2}, recombinator: {_type: algorithms.KPoint, k: 2}}",
			&algorithms.RegularizedEvolution{Population: 30, Selector: algorithms.Tournament{Size: 4}, Mutator: algorithms.Uniform{Count: 2},
				Recombinator: algorithms.KPoint{K: 2}, Seed: seed}},
		{"the short form reaches the parts too", "{name: evolution, selector: {_type: algorithms.Top}}",
			&algorithms.RegularizedEvolution{Selector: algorithms.Top{}, Seed: seed}},
		{"an own seed wins", "{_type: algorithms.TPE, n_startup_trials: 4, seed: 3}", &algorithms.TPE{NStartupTrials: 4, Seed: 3}},
		{"typed dedup seeds its inner algorithm", "{_type: algorithms.Dedup, inner: {_type: algorithms.Random}}",
			&algorithms.Dedup{Inner: &algorithms.Random{Seed: seed}}},
		{"cmaes", "{_type: algorithms.CMAES, sigma0: 0.4}", &algorithms.CMAES{Sigma0: 0.4, Seed: seed}},
		{"a recombinator with a permutation crossover", "{name: evolution, recombinator: {_type: algorithms.UniformCrossover, permutations: {_type: algorithms.PMX}}}",
			&algorithms.RegularizedEvolution{Recombinator: algorithms.UniformCrossover{Permutations: algorithms.PMX{}}, Seed: seed}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := algorithms.New(typedSection(t, tt.src), seed)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
		})
	}
	// Every short name stands for a registered type: the same algorithm
	// either way.
	for short, typed := range map[string]string{"random": "algorithms.Random", "grid": "algorithms.Grid", "evolution": "algorithms.RegularizedEvolution",
		"hill_climb": "algorithms.HillClimb", "nsga2": "algorithms.NSGA2", "tpe": "algorithms.TPE", "cmaes": "algorithms.CMAES"} {
		a, err := algorithms.New(section(t, "{name: "+short+"}"), seed)
		b, err2 := algorithms.New(typedSection(t, "{_type: "+typed+"}"), seed)
		if err != nil || err2 != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("%s: %#v (%v), %s: %#v (%v); want the same", short, a, err, typed, b, err2)
		}
	}
	if _, err := algorithms.New(typedSection(t, "{_type: algorithms.Tournament, size: 3}"), 1); err == nil ||
		err.Error() != "symbolic: algorithm: want an algorithm (algorithms.RegularizedEvolution, algorithms.TPE, …), got algorithms.Tournament" {
		t.Errorf("a selector as the algorithm: %v", err)
	}
	p, err := algorithms.NewStoppingPolicy(typedSection(t, "{_type: algorithms.ASHA, reduction_factor: 4}"))
	if err != nil || !reflect.DeepEqual(p, &algorithms.ASHA{ReductionFactor: 4}) {
		t.Errorf("typed ASHA: %#v, %v", p, err)
	}
	if _, err := algorithms.NewStoppingPolicy(typedSection(t, "{_type: algorithms.ASHA, reduction_factor: 1}")); err == nil {
		t.Errorf("typed ASHA with a factor of 1: no error")
	}
	if _, err := algorithms.NewStoppingPolicy(typedSection(t, "{_type: algorithms.Random}")); err == nil {
		t.Errorf("an algorithm as a stopping policy: no error")
	}
}
