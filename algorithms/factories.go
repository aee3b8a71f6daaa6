package algorithms

import (
	"github.com/c2602f9e/goglove/symbolic"
)

// The options each algorithm takes in a config, with their schema. Zero
// means the algorithm's documented default. Every count has a maximum, so
// that a careless config (population: 100000000) is refused at load time
// rather than allocating without bound.

type noOptions struct{}

type evolutionOptions struct {
	Population int `min:"0" max:"100000" doc:"population size (default 100)"`
	Tournament int `min:"0" max:"100000" doc:"tournament size (default 10)"`
}

type nsga2Options struct {
	Population    int     `min:"0" max:"100000" doc:"population size (default 50)"`
	CrossoverProb float64 `min:"-1" max:"1" doc:"crossover probability (default 0.9; negative disables)"`
	MutationProb  float64 `min:"-1" max:"1" doc:"per-decision mutation probability (default 1/n; negative disables)"`
}

type tpeOptions struct {
	NStartupTrials int     `min:"0" max:"1000000" doc:"random trials before modelling (default 10)"`
	NCandidates    int     `min:"0" max:"100000" doc:"candidates scored per proposal (default 24)"`
	PriorWeight    float64 `min:"0" max:"1000000" doc:"weight of the prior (default 1)"`
	Multivariate   bool    `doc:"model the numeric decisions jointly"`
}

type cmaesOptions struct {
	Sigma0         float64 `min:"0" max:"10" doc:"initial step size in the unit cube (default 0.2)"`
	PopSize        int     `min:"0" max:"100000" doc:"population λ (default 4+⌊3 ln n⌋)"`
	MaxRestarts    int     `min:"0" max:"1000" doc:"IPOP restarts (default 9)"`
	NoMirroring    bool    `doc:"draw samples independently rather than in mirrored pairs"`
	RandomFallback bool    `doc:"draw categorical decisions at random rather than with TPE"`
}

// algorithmFactories is the table of algorithms a config can name (New
// reads it); it is filled here, in one visible place, beside the
// algorithms it builds.
func algorithmFactories() map[string]Factory {
	return map[string]Factory{
		"random": func(o *symbolic.Dict, seed uint64) (Algorithm, error) {
			if _, err := decodeOptions[noOptions]("random", o); err != nil {
				return nil, err
			}
			return &Random{Seed: seed}, nil
		},
		"grid": func(o *symbolic.Dict, seed uint64) (Algorithm, error) {
			if _, err := decodeOptions[noOptions]("grid", o); err != nil {
				return nil, err
			}
			return &Grid{}, nil
		},
		"evolution": func(o *symbolic.Dict, seed uint64) (Algorithm, error) {
			opts, err := decodeOptions[evolutionOptions]("evolution", o)
			if err != nil {
				return nil, err
			}
			return &RegularizedEvolution{Population: opts.Population, Tournament: opts.Tournament, Seed: seed}, nil
		},
		"hill_climb": func(o *symbolic.Dict, seed uint64) (Algorithm, error) {
			if _, err := decodeOptions[noOptions]("hill_climb", o); err != nil {
				return nil, err
			}
			return &HillClimb{Seed: seed}, nil
		},
		"nsga2": func(o *symbolic.Dict, seed uint64) (Algorithm, error) {
			opts, err := decodeOptions[nsga2Options]("nsga2", o)
			if err != nil {
				return nil, err
			}
			return &NSGA2{Population: opts.Population, CrossoverProb: opts.CrossoverProb,
				MutationProb: opts.MutationProb, Seed: seed}, nil
		},
		"tpe": func(o *symbolic.Dict, seed uint64) (Algorithm, error) {
			opts, err := decodeOptions[tpeOptions]("tpe", o)
			if err != nil {
				return nil, err
			}
			return &TPE{NStartupTrials: opts.NStartupTrials, NCandidates: opts.NCandidates,
				PriorWeight: opts.PriorWeight, Multivariate: opts.Multivariate, Seed: seed}, nil
		},
		"cmaes": func(o *symbolic.Dict, seed uint64) (Algorithm, error) {
			opts, err := decodeOptions[cmaesOptions]("cmaes", o)
			if err != nil {
				return nil, err
			}
			return &CMAES{Sigma0: opts.Sigma0, PopSize: opts.PopSize, MaxRestarts: opts.MaxRestarts,
				NoMirroring: opts.NoMirroring, RandomFallback: opts.RandomFallback, Seed: seed}, nil
		},
	}
}

type medianOptions struct {
	MinTrials int `min:"0" max:"1000000" doc:"trials that must have reached a step before any is stopped there (default 5)"`
	MinSteps  int `min:"0" max:"1000000000" doc:"steps every trial runs before it can be stopped"`
}

type ashaOptions struct {
	MinResource     int `min:"0" max:"1000000000" doc:"the first rung's step (default 1)"`
	ReductionFactor int `min:"0" max:"1000" doc:"η ≥ 2: a trial goes on past a rung if in the top 1/η there (0: default 3)"`
	MaxResource     int `min:"0" max:"1000000000" doc:"the last step; 0 for no limit"`
}

// NewStoppingPolicy builds the early-stopping policy a config section
// names: {name: median, …} (MedianStopping), {name: asha, …} (ASHA), or
// none, the default (a nil policy), each also as a bare name. Like New's,
// its errors are *symbolic.Error values whose key path starts at
// early_stopping and that name no file.
func NewStoppingPolicy(section symbolic.Value) (StoppingPolicy, error) {
	name, o, err := splitSection("early_stopping", section, "none")
	if err != nil {
		return nil, err
	}
	var p StoppingPolicy
	switch name {
	case "none":
		_, err = decodeOptions[noOptions]("none", o)
	case "median":
		var opts *medianOptions
		if opts, err = decodeOptions[medianOptions]("median", o); err == nil {
			p = &MedianStopping{MinTrials: opts.MinTrials, MinSteps: opts.MinSteps}
		}
	case "asha":
		var opts *ashaOptions
		if opts, err = decodeOptions[ashaOptions]("asha", o); err == nil && opts.ReductionFactor == 1 {
			err = sectionError("reduction_factor", symbolic.ErrRange, "want 0 (the default, 3) or at least 2, got 1")
		} else if err == nil {
			p = &ASHA{MinResource: opts.MinResource, ReductionFactor: opts.ReductionFactor, MaxResource: opts.MaxResource}
		}
	default:
		return nil, sectionError("early_stopping.name", symbolic.ErrRange, "unknown policy \""+name+"\" (known: none, median, asha)")
	}
	if err != nil {
		return nil, underSection("early_stopping", err)
	}
	return p, nil
}
