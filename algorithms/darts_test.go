package algorithms_test

import (
	"context"
	"math"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
)

// quadRelaxation is a synthetic relaxation with a known optimum: its
// validation loss is Σ_i ‖w_i − e_{target_i}‖², minimal at the one-hot
// weights of the targets. It holds the float lr at 0.01.
type quadRelaxation struct {
	decs   []algorithms.RelaxedDecision
	target []int
	steps  int
}

func (q *quadRelaxation) Decisions() []algorithms.RelaxedDecision { return q.decs }

func (q *quadRelaxation) Step(_ context.Context, w [][]float64) (algorithms.StepResult, error) {
	q.steps++
	var loss float64
	grad := make([][]float64, len(w))
	for i := range w {
		grad[i] = make([]float64, len(w[i]))
		for j := range w[i] {
			d := w[i][j]
			if j == q.target[i] {
				d--
			}
			loss += d * d
			grad[i][j] = 2 * d
		}
	}
	return algorithms.StepResult{TrainLoss: loss, ValLoss: loss, ValAccuracy: math.NaN(), Grad: grad}, nil
}

func (q *quadRelaxation) Hold(p *space.DecisionPoint) (space.DNA, bool) {
	if p.ID == "lr" {
		return space.DNA{Value: 0.01}, true
	}
	return space.DNA{}, false
}

const dartsSpace = `
width: !oneof [64, 128, 256, 512]
act: !oneof [relu, gelu, tanh]
lr: !float {min: 1.0e-4, max: 0.1, scale: log}
`

func newQuad() *quadRelaxation {
	return &quadRelaxation{
		decs:   []algorithms.RelaxedDecision{{ID: "width", Candidates: 4}, {ID: "act", Candidates: 3}},
		target: []int{2, 1},
	}
}

func TestDartsFindsTheOptimum(t *testing.T) {
	for _, tt := range []struct {
		name string
		algo algorithms.Darts
	}{
		{"softmax", algorithms.Darts{Epochs: 30, StepsPerEpoch: 10, LearningRate: 0.05}},
		{"gumbel annealed", algorithms.Darts{Epochs: 30, StepsPerEpoch: 10, LearningRate: 0.05, Gumbel: true, Temperature: 2, FinalTemperature: 0.3, Seed: 3}},
		{"hot temperature", algorithms.Darts{Epochs: 30, StepsPerEpoch: 10, LearningRate: 0.05, Temperature: 5}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spec := exampleSpec(dartsSpace)
			q := newQuad()
			d := tt.algo
			d.Relaxation = q
			var epochs []algorithms.DartsEpoch
			d.OnEpoch = func(_ context.Context, e algorithms.DartsEpoch) error {
				epochs = append(epochs, e)
				return nil
			}
			if err := d.Setup(spec); err != nil {
				t.Fatal(err)
			}
			dna, err := d.Propose(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := spec.Format(dna), "[2, 1, 0.01]"; got != want {
				t.Fatalf("argmax %s, want %s", got, want)
			}
			if q.steps != 300 || len(epochs) != 30 {
				t.Fatalf("%d steps in %d epochs, want 300 in 30", q.steps, len(epochs))
			}
			p := d.Probabilities()
			if p[0][2] < 0.5 || p[1][1] < 0.5 {
				t.Fatalf("probabilities of the optimum %v, want > 0.5", p)
			}
			if first, last := epochs[0].ValLoss, epochs[len(epochs)-1].ValLoss; !(last < first) {
				t.Fatalf("validation loss went from %g to %g", first, last)
			}
			if tt.algo.FinalTemperature != 0 {
				if epochs[0].Temperature != tt.algo.Temperature || math.Abs(epochs[29].Temperature-tt.algo.FinalTemperature) > 1e-12 {
					t.Fatalf("temperature %g … %g, want %g … %g", epochs[0].Temperature, epochs[29].Temperature, tt.algo.Temperature, tt.algo.FinalTemperature)
				}
				for i := 1; i < len(epochs); i++ {
					if !(epochs[i].Temperature < epochs[i-1].Temperature) {
						t.Fatalf("temperature not annealed at epoch %d", i+1)
					}
				}
			}
		})
	}
}

// The k most probable DNA are those of the brute-force ranking of every
// combination by the product of probabilities.
func TestDartsMostProbableIsTheRanking(t *testing.T) {
	spec := exampleSpec(dartsSpace)
	d := &algorithms.Darts{Epochs: 3, StepsPerEpoch: 2, LearningRate: 0.3, Relaxation: newQuad()}
	if err := d.Setup(spec); err != nil {
		t.Fatal(err)
	}
	if err := d.Search(context.Background()); err != nil {
		t.Fatal(err)
	}
	p := d.Probabilities()
	type combo struct {
		w, a int
		prob float64
	}
	var all []combo
	for w := range 4 {
		for a := range 3 {
			all = append(all, combo{w, a, p[0][w] * p[1][a]})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].prob > all[j].prob })
	top, err := d.MostProbable(12)
	if err != nil {
		t.Fatal(err)
	}
	if len(top) != 12 {
		t.Fatalf("%d DNA, want 12", len(top))
	}
	for i, dna := range top {
		if err := spec.Validate(dna); err != nil {
			t.Fatalf("DNA %d: %v", i, err)
		}
		got := p[0][int(dna.Children[0].Value)] * p[1][int(dna.Children[1].Value)]
		if math.Abs(got-all[i].prob) > 1e-12 {
			t.Fatalf("DNA %d (%s) has probability %g, the ranking's %d-th is %g", i, spec.Format(dna), got, i, all[i].prob)
		}
	}
	more, err := d.MostProbable(100)
	if err != nil || len(more) != 12 {
		t.Fatalf("MostProbable(100) = %d DNA, %v; want the 12 programs", len(more), err)
	}
}

// A search killed after an epoch and restored from that epoch's state
// ends exactly where the uninterrupted one does.
func TestDartsResume(t *testing.T) {
	spec := exampleSpec(dartsSpace)
	run := func(stopAfter int, from *algorithms.DartsState) ([][]float64, *algorithms.DartsState) {
		d := &algorithms.Darts{Epochs: 6, StepsPerEpoch: 4, LearningRate: 0.05, Gumbel: true, Seed: 9, Relaxation: newQuad()}
		var saved *algorithms.DartsState
		d.OnEpoch = func(_ context.Context, e algorithms.DartsEpoch) error {
			if e.Epoch == stopAfter {
				s := e.State
				saved = &s
				return context.Canceled
			}
			return nil
		}
		if err := d.Setup(spec); err != nil {
			t.Fatal(err)
		}
		if from != nil {
			if err := d.Restore(*from); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Search(context.Background()); err != nil && saved == nil {
			t.Fatal(err)
		}
		return d.Logits(), saved
	}
	whole, _ := run(-1, nil)
	_, state := run(2, nil)
	if state == nil || state.Epoch != 2 {
		t.Fatalf("state after epoch 2: %+v", state)
	}
	resumed, _ := run(-1, state)
	if !reflect.DeepEqual(whole, resumed) {
		t.Fatalf("resumed logits %v, want %v", resumed, whole)
	}
}

func TestDartsProposals(t *testing.T) {
	spec := exampleSpec(dartsSpace)
	d := &algorithms.Darts{Epochs: 20, StepsPerEpoch: 5, LearningRate: 0.05, TopK: 3, Relaxation: newQuad()}
	if err := d.Setup(spec); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var got []string
	for {
		dna, err := d.Propose(ctx)
		if err == algorithms.ErrDone {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, spec.Format(dna))
	}
	if len(got) != 3 || got[0] != "[2, 1, 0.01]" {
		t.Fatalf("proposals %q, want 3 with the optimum first", got)
	}
	again, err := algorithms.ProposeTrial(ctx, d, 1, 0)
	if err != nil || spec.Format(again) != got[1] {
		t.Fatalf("trial 1 again: %s, %v; want %s", spec.Format(again), err, got[1])
	}
}

func TestDartsErrors(t *testing.T) {
	spec := exampleSpec(dartsSpace)
	for _, tt := range []struct {
		name  string
		relax algorithms.Relaxation
		msg   string
	}{
		{"no relaxation", nil, "algorithms: darts: no relaxation"},
		{"unknown decision", &quadRelaxation{decs: []algorithms.RelaxedDecision{{ID: "depth", Candidates: 2}}, target: []int{0}},
			"relaxed decision depth: no such decision point"},
		{"wrong count", &quadRelaxation{decs: []algorithms.RelaxedDecision{{ID: "act", Candidates: 2}}, target: []int{0}},
			"relaxed decision act: want a oneof of 2, the space has act: oneof of 3"},
		{"a float", &quadRelaxation{decs: []algorithms.RelaxedDecision{{ID: "lr", Candidates: 2}}, target: []int{0}},
			"relaxed decision lr: want a oneof of 2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := &algorithms.Darts{Epochs: 1, StepsPerEpoch: 1, Relaxation: tt.relax}
			err := d.Setup(spec)
			if err == nil {
				_, err = d.Propose(context.Background())
			}
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("error %v, want it to contain %q", err, tt.msg)
			}
		})
	}
}

// secondQuad is quadRelaxation with a second-order step whose gradient
// is the first-order one plus xi times a fixed pull towards candidate 0
// of every decision, so the second-order search finds another optimum.
type secondQuad struct {
	quadRelaxation
	calls int
	xi    float64
}

func (q *secondQuad) StepSecondOrder(ctx context.Context, w [][]float64, xi float64) (algorithms.StepResult, error) {
	q.calls++
	q.xi = xi
	res, err := q.Step(ctx, w)
	for i := range res.Grad {
		res.Grad[i][0] -= 10 * xi
	}
	return res, err
}

func TestDartsSecondOrder(t *testing.T) {
	spec := exampleSpec(dartsSpace)
	q := &secondQuad{quadRelaxation: *newQuad()}
	d := &algorithms.Darts{Epochs: 30, StepsPerEpoch: 10, LearningRate: 0.05, SecondOrder: true, Xi: 0.5, Relaxation: q}
	if err := d.Setup(spec); err != nil {
		t.Fatal(err)
	}
	arg, err := d.Propose(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if q.calls != 300 || q.steps != 300 || q.xi != 0.5 {
		t.Fatalf("%d second-order steps with ξ %g, %d steps; want 300 with 0.5", q.calls, q.xi, q.steps)
	}
	if got := spec.Format(arg); got != "[0, 0, 0.01]" {
		t.Fatalf("second-order argmax %s, want [0, 0, 0.01] (the pull of the second-order term)", got)
	}
	plain := &algorithms.Darts{Epochs: 1, StepsPerEpoch: 1, SecondOrder: true, Relaxation: newQuad()}
	if err := plain.Setup(spec); err != nil {
		t.Fatal(err)
	}
	if _, err := plain.Propose(context.Background()); err == nil || !strings.Contains(err.Error(), "second_order: the relaxation (*algorithms_test.quadRelaxation) has no second-order step") {
		t.Fatalf("error %v", err)
	}
}
