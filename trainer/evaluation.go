package trainer

import (
	"context"
	"errors"
	"fmt"

	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// Evaluation is a stage: it evaluates a trained model on the test split
// of a dataset, training nothing itself. Model is any ModelProgram: a
// Classifier (trained now, or taken from the cache) or a Checkpoint; Data,
// if set, replaces the model's own data (a transformed Fashion-MNIST, to
// measure robustness), and must have the model's numbers of features and
// classes.
//
//	_type: trainer.Evaluation
//	model: {_type: trainer.Checkpoint, path: model.safetensors}
//	data: {_type: trainer.FashionMNIST, transform: [rot90]}
//
// Its metrics are test_accuracy and test_loss on that test split, the
// model's params and size_bits (and bits_per_weight and zeros for a
// quantized model, as Train reports them), model_test_accuracy (the model's accuracy on its own
// test set, as recorded when it was trained) and cached (1 when the model
// came from the cache).
type Evaluation struct {
	Model ModelProgram `sym:",required" doc:"the trained model: a trainer.Classifier (trained, or taken from the cache) or a trainer.Checkpoint"`
	Data  Dataset      `doc:"the data whose test split is evaluated (trainer.FashionMNIST, trainer.Synthetic); empty: the model's own"`
}

// MetricModelTestAccuracy is an Evaluation's metric: the evaluated model's
// accuracy on its own test set.
const MetricModelTestAccuracy = "model_test_accuracy"

// Run gets the trained model (env's cache applies to it; env's Reporter
// does not) and evaluates it.
func (e Evaluation) Run(ctx context.Context, env *Env) (map[string]float64, error) {
	env = env.orZero()
	if e.Model == nil {
		return nil, fmt.Errorf("%w: model: want a trained model (trainer.Classifier, trainer.Checkpoint)", ErrProgram)
	}
	t, err := e.Model.TrainedModel(ctx, env.sub())
	if err != nil {
		if errors.Is(err, ErrProgram) {
			return nil, prefixProgramError("model", err)
		}
		return nil, err
	}
	if t.Net == nil {
		return nil, fmt.Errorf("trainer: model: the run left no trained network")
	}
	ds := e.Data
	if ds == nil {
		ds = t.Program.Data
	}
	splits, err := ds.Load()
	if err != nil {
		return nil, fmt.Errorf("trainer: data: %w", err)
	}
	test := splits.Test
	if test.Features != t.Features || test.Classes != t.Classes {
		return nil, fmt.Errorf("%w: data: %d features and %d classes, the model takes %d features to %d classes", ErrProgram, test.Features, test.Classes, t.Features, t.Classes)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	loss, acc := evaluateTrained(t, test)
	m := map[string]float64{
		MetricTestAccuracy: acc,
		MetricTestLoss:     loss,
		MetricParams:       float64(t.Net.NumParams()),
		MetricCached:       boolMetric(t.Cached),
	}
	addSizeMetrics(m, t.Net)
	addZeros(m, t.Net)
	if v, ok := t.Metrics[MetricTestAccuracy]; ok {
		m[MetricModelTestAccuracy] = v
	}
	return m, nil
}

// evaluateTrained returns the mean loss and the accuracy of t's network
// on s, in the batches Train evaluates with.
func evaluateTrained(t *Trained, s *data.Set) (loss, acc float64) {
	batch := t.evalBatch
	if batch == 0 {
		batch = evalBatchSize(1)
	}
	m, err := nn.NewClassifier(t.Net, &nn.SGD{}, nn.Constant(0))
	if err != nil { // only for nil arguments
		panic(err)
	}
	return m.Evaluate(tensor.FromData(s.X[:s.N*s.Features], s.N, s.Features), s.Y[:s.N], batch)
}

// prefixProgramError returns err, an ErrProgram error about a
// sub-program, saying where the sub-program is: its key paths are
// relative to it.
func prefixProgramError(field string, err error) error {
	return fmt.Errorf("%w (in the program at %s)", err, field)
}

func boolMetric(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
