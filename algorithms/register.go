package algorithms

import (
	"fmt"
	goreflect "reflect"

	"github.com/c2602f9e/goglove/symbolic"
)

// Register adds the algorithms, their parts and the early-stopping
// policies to r as symbolic types, so that a config (or any program
// tree) can hold an algorithm as a program like any other:
//
//	algorithm:
//	  _type: algorithms.RegularizedEvolution
//	  population: 100
//	  selector: {_type: algorithms.Tournament, size: 10}
//	  mutator: {_type: algorithms.Uniform, count: 2}
//	  recombinator: {_type: algorithms.KPoint, k: 1}
//
// The types and their fields are the Go types' (their tags hold the
// schema: ranges and documentation); the short form of a config,
// {name: evolution, population: 100}, names the same types (see New).
// The names: algorithms.Random, Grid, RegularizedEvolution, HillClimb,
// NSGA2, TPE, CMAES, Dedup; the selectors Tournament, Top, Bottom,
// RandomSelector; the mutator Uniform; the recombinators
// UniformCrossover and KPoint, with the permutation crossovers PMX,
// OrderCrossover and CycleCrossover; the stopping policies
// MedianStopping, ASHA and NeverStop.
func Register(r *symbolic.Registry) error {
	for _, reg := range registrations {
		if err := reg(r); err != nil {
			return fmt.Errorf("algorithms: %w", err)
		}
	}
	return nil
}

var registrations = []func(*symbolic.Registry) error{
	reg[Random]("algorithms.Random", "random search"),
	reg[Grid]("algorithms.Grid", "grid search, in the order of the space's decisions"),
	reg[RegularizedEvolution]("algorithms.RegularizedEvolution", "regularized (aging) evolution"),
	reg[HillClimb]("algorithms.HillClimb", "hill climbing from the best program so far"),
	reg[NSGA2]("algorithms.NSGA2", "NSGA-II, for several objectives"),
	reg[TPE]("algorithms.TPE", "the tree-structured Parzen estimator"),
	reg[CMAES]("algorithms.CMAES", "CMA-ES with IPOP restarts over the numeric decisions"),
	reg[Dedup]("algorithms.Dedup", "an algorithm that never proposes a program twice"),
	reg[Tournament]("algorithms.Tournament", "selects the best of random tournaments"),
	reg[Top]("algorithms.Top", "selects the best programs"),
	reg[Bottom]("algorithms.Bottom", "selects the worst programs"),
	reg[RandomSelector]("algorithms.RandomSelector", "selects programs at random"),
	reg[Uniform]("algorithms.Uniform", "changes decisions drawn uniformly"),
	reg[UniformCrossover]("algorithms.UniformCrossover", "takes each gene from either parent"),
	reg[KPoint]("algorithms.KPoint", "k-point crossover"),
	reg[PMX]("algorithms.PMX", "partially mapped crossover of permutations"),
	reg[OrderCrossover]("algorithms.OrderCrossover", "order crossover of permutations"),
	reg[CycleCrossover]("algorithms.CycleCrossover", "cycle crossover of permutations"),
	reg[MedianStopping]("algorithms.MedianStopping", "stops a trial below the median of the others at a step"),
	reg[ASHA]("algorithms.ASHA", "asynchronous successive halving"),
	reg[NeverStop]("algorithms.NeverStop", "stops no trial"),
	reg[Reinforce]("algorithms.Reinforce", "a learned controller: REINFORCE with a moving-average baseline and an entropy bonus"),
	reg[Darts]("algorithms.Darts", "DARTS-like search over a differentiable relaxation of the space"),
}

func reg[T any](name, doc string) func(*symbolic.Registry) error {
	return func(r *symbolic.Registry) error { return symbolic.Register[T](r, name, doc) }
}

// types is the registry the short forms are decoded with.
var types = func() *symbolic.Registry {
	r := symbolic.NewRegistry()
	if err := Register(r); err != nil {
		panic(err) // a programmer error: a field whose tags do not parse
	}
	return r
}()

// The short names of a config's sections: {name: NAME, fields…} stands
// for {_type: TYPE, fields…}.
var (
	algorithmNames = map[string]string{
		"random":     "algorithms.Random",
		"grid":       "algorithms.Grid",
		"evolution":  "algorithms.RegularizedEvolution",
		"hill_climb": "algorithms.HillClimb",
		"nsga2":      "algorithms.NSGA2",
		"tpe":        "algorithms.TPE",
		"cmaes":      "algorithms.CMAES",
		"darts":      "algorithms.Darts",
		"reinforce":  "algorithms.Reinforce",
		"ppo":        "algorithms.Reinforce", // with PPO set (see New)
	}
	policyNames = map[string]string{
		"median": "algorithms.MedianStopping",
		"asha":   "algorithms.ASHA",
	}
)

// seeded gives an algorithm whose Seed field (a uint64, as every
// seeded algorithm of this package has) is 0 the config's seed; Dedup's
// inner algorithm too. By the field rather than a list of types, so that
// a new algorithm cannot be left out.
func seeded(a Algorithm, seed uint64) {
	if d, ok := a.(*Dedup); ok {
		seeded(d.Inner, seed)
		return
	}
	v := goreflect.ValueOf(a)
	if v.Kind() != goreflect.Pointer || v.IsNil() || v.Elem().Kind() != goreflect.Struct {
		return
	}
	if f := v.Elem().FieldByName("Seed"); f.IsValid() && f.Kind() == goreflect.Uint64 && f.CanSet() {
		f.SetUint(orSeed(f.Uint(), seed))
	}
}

func orSeed(own, seed uint64) uint64 {
	if own != 0 {
		return own
	}
	return seed
}
