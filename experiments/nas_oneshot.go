package experiments

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
)

// The one-shot methods of the NAS experiment share one supernet's
// weights among every program of the space (the supernet with one-hot
// mixing weights is the program), as ENAS and single-path one-shot
// (SPOS) do:
//
//   - enas: a REINFORCE controller (algorithms.Reinforce) samples a path
//     for each of NASOneShotEpochs × NASOneShotSteps weight steps, and
//     after each epoch samples NASENASSamples paths more, rewarded by
//     their validation accuracy with the shared weights (the whole
//     validation split); the returned program is the best of the last
//     epoch's samples by that accuracy.
//   - spos: the supernet trains on a uniformly random path a step for
//     the same number of steps; then regularized evolution (population
//     4, tournaments of 2, no program twice) evaluates NASSPOSEvaluations
//     candidates with the inherited weights, by their validation
//     accuracy, and returns the best.
//
// Either way the returned program is then retrained (its ground-truth
// run: the same program and seed), and its seconds are the wall time of
// the one-shot phase plus that program's training seconds.
const (
	NASOneShotEpochs   = 6
	NASOneShotSteps    = 100
	NASENASSamples     = 4
	NASSPOSEvaluations = 16
)

// nasPaths maps each program of the space (its DNA's string) to its
// one-hot mixing weights, by deriving the DNA of every combination of
// the relaxed decisions' candidates.
func nasPaths(spec *space.DNASpec, decs []algorithms.RelaxedDecision) (map[string][][]float64, error) {
	out := map[string][][]float64{}
	idx := make([]int, len(decs))
	for {
		choice := map[string]int{}
		w := make([][]float64, len(decs))
		for i, d := range decs {
			choice[d.ID] = idx[i]
			w[i] = make([]float64, d.Candidates)
			w[i][idx[i]] = 1
		}
		dna, err := algorithms.DeriveDNA(spec, choice, nil)
		if err != nil {
			return nil, err
		}
		out[dna.String()] = w
		i := len(idx) - 1
		for ; i >= 0; i-- {
			if idx[i]++; idx[i] < decs[i].Candidates {
				break
			}
			idx[i] = 0
		}
		if i < 0 {
			return out, nil
		}
	}
}

// nasSearchOneShot runs enas or spos with one seed.
func (r *NASResult) nasSearchOneShot(ctx context.Context, sp *space.Space, method string, seed uint64, quick bool, byDNA map[string]int) (NASRun, error) {
	steps := NASOneShotSteps
	if quick {
		steps = 10
	}
	spec := sp.Spec()
	start := time.Now()
	super, err := NewSupernetSeed(sp, seed)
	if err != nil {
		return NASRun{}, err
	}
	paths, err := nasPaths(spec, super.Decisions())
	if err != nil {
		return NASRun{}, err
	}
	net := super.Trainer()
	path := func(dna space.DNA) ([][]float64, error) {
		w, ok := paths[dna.String()]
		if !ok {
			return nil, fmt.Errorf("%s is not a path of the supernet", spec.Format(dna))
		}
		return w, nil
	}
	// inherited is a program's validation accuracy with the shared weights.
	inherited := func(dna space.DNA) (float64, error) {
		w, err := path(dna)
		if err != nil {
			return 0, err
		}
		if err := net.SetWeights(w); err != nil {
			return 0, err
		}
		_, acc := net.Evaluate()
		return acc, nil
	}
	var best space.DNA
	switch method {
	case "enas":
		ctl := &algorithms.Reinforce{LearningRate: 0.5, Seed: seed}
		if err := ctl.Setup(spec); err != nil {
			return NASRun{}, err
		}
		trial := 0
		for range NASOneShotEpochs {
			for range steps {
				dna, err := ctl.Propose(ctx)
				if err != nil {
					return NASRun{}, err
				}
				w, err := path(dna)
				if err != nil {
					return NASRun{}, err
				}
				if _, err := net.Step(ctx, w); err != nil {
					return NASRun{}, err
				}
			}
			bestAcc := -1.0
			for range NASENASSamples {
				dna, err := ctl.Propose(ctx)
				if err != nil {
					return NASRun{}, err
				}
				acc, err := inherited(dna)
				if err != nil {
					return NASRun{}, err
				}
				ctl.Feedback(algorithms.Result{Trial: trial, DNA: dna, Rewards: []float64{acc}})
				trial++
				if acc > bestAcc {
					best, bestAcc = dna, acc
				}
			}
		}
	case "spos":
		rng := rand.New(rand.NewPCG(seed, 0x5905))
		decs := super.Decisions()
		for range NASOneShotEpochs * steps {
			w := make([][]float64, len(decs))
			for i, d := range decs {
				w[i] = make([]float64, d.Candidates)
				w[i][rng.IntN(d.Candidates)] = 1
			}
			if _, err := net.Step(ctx, w); err != nil {
				return NASRun{}, err
			}
		}
		evo := &algorithms.Dedup{Inner: &algorithms.RegularizedEvolution{Population: 4, Tournament: 2, Seed: seed}}
		if err := evo.Setup(spec); err != nil {
			return NASRun{}, err
		}
		bestAcc := -1.0
		for trial := range NASSPOSEvaluations {
			dna, err := evo.Propose(ctx)
			if errors.Is(err, algorithms.ErrDone) {
				break
			}
			if err != nil {
				return NASRun{}, err
			}
			acc, err := inherited(dna)
			if err != nil {
				return NASRun{}, err
			}
			evo.Feedback(algorithms.Result{Trial: trial, DNA: dna, Rewards: []float64{acc}})
			if acc > bestAcc {
				best, bestAcc = dna, acc
			}
		}
	default:
		return NASRun{}, fmt.Errorf("unknown one-shot method %q", method)
	}
	phase := time.Since(start).Seconds()
	i, ok := byDNA[best.String()]
	if !ok {
		return NASRun{}, fmt.Errorf("returned %v, not a program of the space", best)
	}
	p := r.Truth[i]
	run := NASRun{Program: p.Name, TestAccuracy: p.TestAccuracy, Seconds: phase + p.Seconds}
	run.Trace = []NASPoint{{Seconds: run.Seconds, Regret: r.Summary.BestTestAccuracy - p.TestAccuracy}}
	return run, nil
}
