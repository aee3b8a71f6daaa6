package experiments

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
)

// The NAS experiment compares search algorithms on a space small enough
// to know exactly (issue 17): every program of the space is trained once
// (through the trained-model cache, so reruns are free), which ranks
// them; then each method searches the same space within the same budget
// of training seconds, a tenth of the exhaustive search's, for several
// seeds, and the program it returns is placed in the ground truth's
// ranking by test accuracy.
//
// The protocol. The space (NASSpaceYAML): a trainer.Classifier on
// Fashion-MNIST (55,000 training images, the last 5,000 for validation,
// standardized), a Sequential of a Dense of 32, 64, 128 or 256 units,
// then a Dense of 128 or nothing, then a Dense of 64 or nothing, each
// followed by the model's activation (relu, gelu or tanh), and a Dense
// of 10; AdamW lr 0.002, batch 128, three epochs, seed 1: 3 × 4 × 2 × 2
// = 48 programs. Three epochs keep the exhaustive search at a few
// minutes on two cores; the ranking is that of three-epoch programs.
//
// The black-box methods (random, evolution, tpe, reinforce; each wrapped
// in algorithms.Dedup so that none proposes a program twice) see a
// trial's validation accuracy, and pay its training seconds as the
// ground truth recorded them (a tabular benchmark, in the manner of
// NAS-Bench: the trial is the very program the exhaustive search
// trained, with the same seed, so training it again gives the same
// figures); they stop before the trial that would exceed the budget and
// return the trial of the best validation accuracy. The DARTS methods
// (darts: first order; darts2: second order; gdas: Gumbel-softmax with
// the temperature annealed from 2 to 0.5) build the space's supernet
// (experiments.Supernet, seeded by the run's seed), train it for
// NASDartsEpochs × NASDartsSteps weight and architecture steps, and
// return the argmax program; their seconds are the supernet phase's wall
// time plus the returned program's training seconds (its retraining, the
// ground truth's run of the same program). test_accuracy is always the
// returned program's ground-truth test accuracy. The one-shot methods,
// enas and spos, are described in nas_oneshot.go.

const (
	// NASBudgetFraction is the budget of every method, as a fraction of
	// the exhaustive search's training seconds (the goal's tenth).
	NASBudgetFraction = 0.1
	// NASDartsEpochs and NASDartsSteps size the supernet phase.
	NASDartsEpochs = 6
	NASDartsSteps  = 100
	// NASDartsLR is Adam's learning rate on the architecture logits.
	NASDartsLR = 0.05
	// NASTopPercentile is the goal's bound: the top 10 %.
	NASTopPercentile = 10
)

// NASSeeds are the seeds of each method.
var NASSeeds = []uint64{1, 2, 3}

// NASMethods are the methods, in the order they run.
var NASMethods = []string{"random", "evolution", "tpe", "reinforce", "darts", "darts2", "gdas", "enas", "spos"}

// NASSpaceYAML is the experiment's space, a study config whose space
// section is searched; %s is the data section.
const nasConfig = `
study: nas
space:
  _type: trainer.Classifier
  data: %s
  model:
    _type: trainer.Sequential
    activation: !oneof [relu, gelu, tanh]
    init: he_uniform
    layers:
      - {_type: trainer.Dense, units: !oneof [%s]}
      - {_type: trainer.Activation}
      - !oneof [{_type: trainer.Dense, units: %d}, {_type: trainer.Identity}]
      - {_type: trainer.Activation}
      - !oneof [{_type: trainer.Dense, units: %d}, {_type: trainer.Identity}]
      - {_type: trainer.Activation}
      - {_type: trainer.Dense, units: %d, init: glorot_uniform}
  optimizer: {_type: trainer.AdamW, lr: 0.002}
  epochs: %d
  batch: %d
  seed: 1
objective: {builtin: trainer.classify}
seed: 1
`

// NASSpace returns the experiment's space: the protocol's on
// Fashion-MNIST, or with quick a smaller one on synthetic data (the same
// decisions, narrower layers, four classes) that trains in seconds.
func NASSpace(quick bool) (*space.Space, error) {
	src := fmt.Sprintf(nasConfig, "{_type: trainer.FashionMNIST, validation: 5000, standardize: true}", "32, 64, 128, 256", 128, 64, 10, 3, 128)
	if quick {
		src = fmt.Sprintf(nasConfig, "{_type: trainer.Synthetic, train: 600, validation: 200, test: 200, features: 16, classes: 4}", "4, 8, 16, 32", 8, 8, 4, 3, 50)
	}
	reg := symbolic.NewRegistry()
	if err := errors.Join(space.Register(reg), trainer.Register(reg)); err != nil {
		return nil, err
	}
	cfg, err := search.ParseConfig(reg, "nas.yaml", []byte(src))
	if err != nil {
		return nil, fmt.Errorf("experiments: nas: %w", err)
	}
	job, err := cfg.Job("nas.yaml", Builtins())
	if err != nil {
		return nil, fmt.Errorf("experiments: nas: %w", err)
	}
	return job.Space, nil
}

// NASProgram is one program of the space as the exhaustive search
// trained it.
type NASProgram struct {
	DNA          space.DNA
	Name         string // the DNA formatted by the spec
	ValAccuracy  float64
	TestAccuracy float64
	Seconds      float64 // its training seconds, as recorded
}

// NASRun is one method's search with one seed: a line of goglove
// experiment nas --json.
type NASRun struct {
	Method string `json:"method"`
	Seed   uint64 `json:"seed"`
	// Percentile is the returned program's rank by ground-truth test
	// accuracy: 0 the best program, 100 the worst (ties share the best
	// rank).
	Percentile   float64 `json:"percentile"`
	TestAccuracy float64 `json:"test_accuracy"`
	Seconds      float64 `json:"seconds"`
	Program      string  `json:"program"`
	// Trials is the number of programs a black-box method trained (0 for
	// the supernet methods, which train one derived program).
	Trials int `json:"trials"`
	// Trace is the regret (best test accuracy − the incumbent's) after
	// each trial against the seconds spent so far (not in the JSON).
	Trace []NASPoint `json:"-"`
}

// NASPoint is a point of a regret trace.
type NASPoint struct{ Seconds, Regret float64 }

// NASSummary is the last line of goglove experiment nas --json.
type NASSummary struct {
	ExhaustiveSeconds float64 `json:"exhaustive_seconds"`
	BestTestAccuracy  float64 `json:"best_test_accuracy"`
	Programs          int     `json:"programs"`
}

// NASResult is the outcome of the experiment.
type NASResult struct {
	Quick   bool
	Budget  float64 // seconds per method and seed
	Truth   []NASProgram
	Runs    []NASRun
	Summary NASSummary
	// Logits are the first DARTS run's architecture logits after each
	// epoch, Decisions its relaxed decisions, Spec the space's.
	Logits    [][][]float64
	Decisions []algorithms.RelaxedDecision
	Spec      *space.DNASpec
}

// RunNAS runs the experiment (see the protocol above); env carries the
// trained-model cache; progress, if not nil, is told each step.
func RunNAS(ctx context.Context, quick bool, env *trainer.Env, progress func(string)) (*NASResult, error) {
	say := func(format string, args ...any) {
		if progress != nil {
			progress(fmt.Sprintf(format, args...))
		}
	}
	sp, err := NASSpace(quick)
	if err != nil {
		return nil, err
	}
	spec := sp.Spec()
	r := &NASResult{Quick: quick, Spec: spec}
	truth, err := nasGroundTruth(ctx, sp, env, say)
	if err != nil {
		return nil, err
	}
	r.Truth = truth
	byDNA := map[string]int{}
	for i, p := range truth {
		byDNA[p.DNA.String()] = i
		r.Summary.ExhaustiveSeconds += p.Seconds
		r.Summary.BestTestAccuracy = max(r.Summary.BestTestAccuracy, p.TestAccuracy)
	}
	r.Summary.Programs = len(truth)
	r.Budget = NASBudgetFraction * r.Summary.ExhaustiveSeconds
	say("nas: ground truth: %d programs, %.1fs of training, best test accuracy %.2f%%; budget %.1fs a search", len(truth), r.Summary.ExhaustiveSeconds, 100*r.Summary.BestTestAccuracy, r.Budget)
	for _, m := range NASMethods {
		for _, seed := range NASSeeds {
			var run NASRun
			var err error
			if algo := nasBlackBox(m, seed); algo != nil {
				run, err = nasSearchBlackBox(ctx, algo, spec, truth, byDNA, r.Budget)
			} else if m == "enas" || m == "spos" {
				run, err = r.nasSearchOneShot(ctx, sp, m, seed, quick, byDNA)
			} else {
				var logits [][][]float64
				run, logits, err = r.nasSearchDarts(ctx, sp, m, seed, quick, byDNA)
				if r.Logits == nil {
					r.Logits = logits
				}
			}
			if err != nil {
				return nil, fmt.Errorf("experiments: nas: %s, seed %d: %w", m, seed, err)
			}
			run.Method, run.Seed = m, seed
			run.Percentile = NASPercentile(truth, run.TestAccuracy)
			r.Runs = append(r.Runs, run)
			say("nas: %s seed %d: %s, percentile %.1f, test accuracy %.2f%%, %.1fs", m, seed, run.Program, run.Percentile, 100*run.TestAccuracy, run.Seconds)
		}
	}
	return r, nil
}

// nasGroundTruth trains every program of the space once.
func nasGroundTruth(ctx context.Context, sp *space.Space, env *trainer.Env, say func(string, ...any)) ([]NASProgram, error) {
	spec := sp.Spec()
	grid, err := spec.Grid()
	if err != nil {
		return nil, fmt.Errorf("experiments: nas: %w", err)
	}
	var out []NASProgram
	for dna := range grid {
		prog, err := sp.Decode(dna)
		if err != nil {
			return nil, fmt.Errorf("experiments: nas: %w", err)
		}
		c, err := Classifier(prog)
		if err != nil {
			return nil, err
		}
		m, err := c.Run(ctx, env)
		if err != nil {
			return nil, fmt.Errorf("experiments: nas: %s: %w", spec.Format(dna), err)
		}
		p := NASProgram{DNA: dna, Name: spec.Format(dna), ValAccuracy: m[trainer.MetricValAccuracy], TestAccuracy: m[trainer.MetricTestAccuracy], Seconds: m[trainer.MetricTrainSeconds]}
		out = append(out, p)
		say("nas: ground truth %d: %s: val %.2f%%, test %.2f%%, %.1fs", len(out), p.Name, 100*p.ValAccuracy, 100*p.TestAccuracy, p.Seconds)
	}
	return out, nil
}

// NASPercentile is the rank of a test accuracy among the ground truth's:
// 100 × (programs strictly better) / (programs − 1); 0 is the best.
func NASPercentile(truth []NASProgram, acc float64) float64 {
	if len(truth) < 2 {
		return 0
	}
	better := 0
	for _, p := range truth {
		if p.TestAccuracy > acc {
			better++
		}
	}
	return 100 * float64(better) / float64(len(truth)-1)
}

// nasBlackBox returns the black-box algorithm of a method, nil for the
// supernet methods.
func nasBlackBox(method string, seed uint64) algorithms.Algorithm {
	var a algorithms.Algorithm
	switch method {
	case "random":
		a = &algorithms.Random{Seed: seed}
	case "evolution":
		a = &algorithms.RegularizedEvolution{Population: 4, Tournament: 2, Seed: seed}
	case "tpe":
		a = &algorithms.TPE{NStartupTrials: 2, Seed: seed}
	case "reinforce":
		a = &algorithms.Reinforce{LearningRate: 0.5, Seed: seed}
	default:
		return nil
	}
	return &algorithms.Dedup{Inner: a}
}

// nasSearchBlackBox runs a black-box method within the budget.
func nasSearchBlackBox(ctx context.Context, a algorithms.Algorithm, spec *space.DNASpec, truth []NASProgram, byDNA map[string]int, budget float64) (NASRun, error) {
	if err := a.Setup(spec); err != nil {
		return NASRun{}, err
	}
	best := 0.0
	for _, p := range truth {
		best = max(best, p.TestAccuracy)
	}
	var run NASRun
	inc := -1
	for trial := 0; ; trial++ {
		dna, err := a.Propose(ctx)
		if errors.Is(err, algorithms.ErrDone) {
			break
		}
		if err != nil {
			return run, err
		}
		i, ok := byDNA[dna.String()]
		if !ok {
			return run, fmt.Errorf("proposed %s, not a program of the space", spec.Format(dna))
		}
		p := truth[i]
		if run.Trials > 0 && run.Seconds+p.Seconds > budget {
			break
		}
		run.Seconds += p.Seconds
		run.Trials++
		a.Feedback(algorithms.Result{Trial: trial, DNA: dna, Rewards: []float64{p.ValAccuracy}})
		if inc < 0 || p.ValAccuracy > truth[inc].ValAccuracy {
			inc = i
		}
		run.Trace = append(run.Trace, NASPoint{Seconds: run.Seconds, Regret: best - truth[inc].TestAccuracy})
	}
	if inc < 0 {
		return run, errors.New("no trial")
	}
	run.Program, run.TestAccuracy = truth[inc].Name, truth[inc].TestAccuracy
	return run, nil
}

// nasSearchDarts runs a supernet method: darts, darts2 or gdas.
func (r *NASResult) nasSearchDarts(ctx context.Context, sp *space.Space, method string, seed uint64, quick bool, byDNA map[string]int) (NASRun, [][][]float64, error) {
	d := &algorithms.Darts{Epochs: NASDartsEpochs, StepsPerEpoch: NASDartsSteps, LearningRate: NASDartsLR, TopK: 1, Seed: seed}
	if quick {
		d.StepsPerEpoch = 10
	}
	switch method {
	case "darts":
	case "darts2":
		d.SecondOrder = true
	case "gdas":
		d.Gumbel, d.Temperature, d.FinalTemperature = true, 2, 0.5
	default:
		return NASRun{}, nil, fmt.Errorf("unknown method %q (known: %v)", method, NASMethods)
	}
	start := time.Now()
	super, err := NewSupernetSeed(sp, seed)
	if err != nil {
		return NASRun{}, nil, err
	}
	d.Relaxation = super
	if err := d.Setup(sp.Spec()); err != nil {
		return NASRun{}, nil, err
	}
	var logits [][][]float64
	d.OnEpoch = func(_ context.Context, e algorithms.DartsEpoch) error {
		logits = append(logits, e.State.Alpha)
		return nil
	}
	if err := d.Search(ctx); err != nil {
		return NASRun{}, nil, err
	}
	if r.Decisions == nil {
		r.Decisions = d.Decisions()
	}
	dna, err := d.Argmax()
	if err != nil {
		return NASRun{}, nil, err
	}
	phase := time.Since(start).Seconds()
	i, ok := byDNA[dna.String()]
	if !ok {
		return NASRun{}, nil, fmt.Errorf("derived %v, not a program of the space", dna)
	}
	p := r.Truth[i]
	best := r.Summary.BestTestAccuracy
	run := NASRun{Program: p.Name, TestAccuracy: p.TestAccuracy, Seconds: phase + p.Seconds}
	run.Trace = []NASPoint{{Seconds: run.Seconds, Regret: best - p.TestAccuracy}}
	return run, slices.Clip(logits), nil
}
