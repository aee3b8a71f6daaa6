package experiments

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/cache"
)

// RunName is the name of the built-in objective that runs any trainer
// program by its type: objective: {builtin: trainer.run}.
const RunName = "trainer.run"

// RunMetrics are the metrics the trainer.run objective can optimize: a
// Classifier's (ClassifyMetrics, val_accuracy first), an Evaluation's
// model_test_accuracy and a FineTune's target_accuracy, orig_accuracy,
// orig_loss and intruders. A program reports those of its kind; optimizing a
// metric the trial's program does not report fails the trial.
var RunMetrics = append(append([]search.Metric(nil), ClassifyMetrics...),
	search.Metric{Name: trainer.MetricModelTestAccuracy, Direction: search.Maximize},
	search.Metric{Name: trainer.MetricTargetAccuracy, Direction: search.Maximize},
	search.Metric{Name: trainer.MetricOrigAccuracy, Direction: search.Maximize},
	search.Metric{Name: trainer.MetricOrigLoss, Direction: search.Minimize},
	search.Metric{Name: trainer.MetricIntruders, Direction: search.Minimize})

// Run returns the trainer.run objective. Each trial's program may be any
// trainer program (trainer.Program: a trainer.Classifier, a
// trainer.Evaluation of a trained model, …); it runs with the trial as
// its Reporter, so a Classifier reports val_accuracy per epoch as under
// trainer.classify, and its metrics are returned. A Classifier under
// trainer.run and under trainer.classify gives the same metrics.
func Run() search.Builtin {
	return search.Builtin{
		Name:      RunName,
		Doc:       "runs any trainer program (trainer.Classifier, trainer.Evaluation, …) and returns its metrics",
		Metrics:   append([]search.Metric(nil), RunMetrics...),
		Objective: runAny,
		Reports:   true,
		Check: func(program symbolic.Value) error {
			_, err := trainer.AsProgram(program)
			if err != nil {
				return fmt.Errorf("%w: %w", errNotProgram, err)
			}
			return nil
		},
	}
}

var errNotProgram = errors.New("experiments: " + RunName)

// runAny is the objective of trainer.run.
func runAny(ctx context.Context, t *search.Trial[symbolic.Value]) (search.Metrics, error) {
	p, err := trainer.AsProgram(t.Program)
	if err != nil {
		return nil, err
	}
	return runProgram(ctx, t, p)
}

// runProgram runs p with t as its Reporter and the trained-model cache of
// the environment (cache.Default: $GOGLOVE_CACHE, off when it is "off"),
// so that a program trained before, by this study or another, or by
// goglove train, is not trained again. Warnings about the cache (a
// damaged entry retrained) go to standard error, one line each.
func runProgram(ctx context.Context, t *search.Trial[symbolic.Value], p trainer.Program) (search.Metrics, error) {
	c, err := cache.Default()
	if err != nil {
		return nil, err
	}
	env := &trainer.Env{
		Reporter: NewReporter(t),
		Notice: func(msg string) {
			fmt.Fprintf(os.Stderr, "goglove: study %s, trial %d: %s\n", t.Study(), t.Number, msg)
		},
		Version: version(),
	}
	if c != nil {
		env.Cache = c
	}
	m, err := p.Run(ctx, env)
	if err != nil {
		return nil, err
	}
	return search.Metrics(m), nil
}

// version returns the module version of the running binary, or "" when
// it has none, for the checkpoints the cache keeps.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "" {
		return ""
	}
	return bi.Main.Version
}
