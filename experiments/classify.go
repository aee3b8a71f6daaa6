package experiments

import (
	"context"
	"errors"
	"fmt"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
)

// ClassifyName is the name of the built-in objective that trains a
// trainer.Classifier program: objective: {builtin: trainer.classify}.
const ClassifyName = "trainer.classify"

// ClassifyMetrics are the metrics the trainer.classify objective can
// optimize, the default (val_accuracy, to maximize) first. Selecting on
// the validation set and reading the test set only for the winner is the
// honest protocol; test_accuracy and test_loss are offered for studies
// that measure something else. Train also reports epochs, steps and
// stopped_early, which are recorded but are not objectives.
var ClassifyMetrics = []search.Metric{
	{Name: trainer.MetricValAccuracy, Direction: search.Maximize},
	{Name: trainer.MetricTestAccuracy, Direction: search.Maximize},
	{Name: trainer.MetricValLoss, Direction: search.Minimize},
	{Name: trainer.MetricTestLoss, Direction: search.Minimize},
	{Name: trainer.MetricTrainLoss, Direction: search.Minimize},
	{Name: trainer.MetricParams, Direction: search.Minimize},
	{Name: trainer.MetricSizeBits, Direction: search.Minimize},
	{Name: trainer.MetricTrainSeconds, Direction: search.Minimize},
}

// Classify returns the trainer.classify objective. Each trial's program
// must be a trainer.Classifier (a space whose root is
// `_type: trainer.Classifier`); it is trained with trainer.Train, its
// per-epoch validation metrics are reported to the trial (so that they
// reach the store and an early-stopping policy can stop it), and its
// final metrics (ClassifyMetrics, plus epochs, steps and stopped_early)
// are returned. The datasets are loaded once per process and shared by
// the trials (see trainer/data).
//
// The builtin has no space of its own: the config gives it.
func Classify() search.Builtin {
	return search.Builtin{
		Name:      ClassifyName,
		Doc:       "trains a trainer.Classifier program; reports val_accuracy per epoch, then val/test accuracy and loss, params, size_bits and train_seconds",
		Metrics:   append([]search.Metric(nil), ClassifyMetrics...),
		Objective: classify,
		Reports:   true,
		Check: func(program symbolic.Value) error {
			_, err := Classifier(program)
			return err
		},
	}
}

// classify is the objective of trainer.classify.
func classify(ctx context.Context, t *search.Trial[symbolic.Value]) (search.Metrics, error) {
	c, err := Classifier(t.Program)
	if err != nil {
		return nil, err
	}
	return runProgram(ctx, t, c)
}

// Classifier binds a program to a *trainer.Classifier. A program that is
// not one (another type, a plain mapping without _type) gives an error
// that says what was expected.
func Classifier(program symbolic.Value) (*trainer.Classifier, error) {
	if o, ok := program.(*symbolic.Object); !ok || o.Type().Name() != "trainer.Classifier" {
		got := "a value of kind null"
		switch {
		case ok:
			got = o.Type().Name()
		case program != nil:
			got = "a value of kind " + program.Kind().String()
		}
		return nil, fmt.Errorf("%w: want a trainer.Classifier program (_type: trainer.Classifier), got %s", errNotClassifier, got)
	}
	c, err := symbolic.To[*trainer.Classifier](program)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errNotClassifier, err)
	}
	return c, nil
}

var errNotClassifier = errors.New("experiments: " + ClassifyName)

// NewReporter returns a trainer.Reporter over a search trial: Report
// records the metrics at the step with t.Report, and ShouldStop asks
// t.ShouldStop (the study's early-stopping policy, or a worker that lost
// the trial). Package trainer never imports search; this adapter is the
// bridge.
func NewReporter[T any](t *search.Trial[T]) trainer.Reporter { return trialReporter[T]{t} }

type trialReporter[T any] struct{ t *search.Trial[T] }

func (r trialReporter[T]) Report(ctx context.Context, step int, m map[string]float64) error {
	return r.t.Report(ctx, step, search.Metrics(m))
}

func (r trialReporter[T]) ShouldStop() bool { return r.t.ShouldStop() }
