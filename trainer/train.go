package trainer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// Reporter receives the intermediate metrics of a training run and may
// stop it early; search.Trial has this shape through a small adapter.
type Reporter interface {
	// Report records metrics measured at step (the epoch, from 1). An
	// error ends the run with that error.
	Report(ctx context.Context, step int, metrics map[string]float64) error
	// ShouldStop reports whether the run should stop now (early stopping).
	ShouldStop() bool
}

// Progress is what a TrainOptions.Progress callback is told after each
// epoch.
type Progress struct {
	Epoch, Epochs int     // the epoch just finished (from 1) and the total
	Steps         int     // training steps taken so far
	TrainLoss     float64 // mean training loss of the epoch
	ValLoss       float64 // validation loss (0 without a validation set)
	ValAccuracy   float64 // validation accuracy (0 without a validation set)
	Elapsed       time.Duration
}

// TrainOptions are the optional hooks of Train. A nil *TrainOptions, like
// the zero value, means no reporting.
type TrainOptions struct {
	// Reporter, if not nil, receives val_accuracy, val_loss (when there is
	// a validation set) and train_loss after every epoch, with step = the
	// epoch, and is asked ShouldStop after each report.
	Reporter Reporter
	// Progress, if not nil, is called after every epoch on Train's
	// goroutine.
	Progress func(Progress)
}

// Metric names of the map Train returns.
const (
	MetricValAccuracy  = "val_accuracy"  // accuracy on the validation set (absent without one)
	MetricValLoss      = "val_loss"      // mean cross-entropy on the validation set (absent without one)
	MetricTestAccuracy = "test_accuracy" // accuracy on the test set
	MetricTestLoss     = "test_loss"     // mean cross-entropy on the test set
	MetricTrainLoss    = "train_loss"    // mean training loss of the last epoch
	MetricParams       = "params"        // number of scalar parameters
	MetricSizeBits     = "size_bits"     // storage of the parameters: 32·params for float32
	MetricTrainSeconds = "train_seconds" // wall time of the training epochs, validation included
	MetricEpochs       = "epochs"        // epochs completed
	MetricSteps        = "steps"         // training steps taken
	MetricStoppedEarly = "stopped_early" // 1 if the Reporter stopped the run, else 0
)

// Train trains the program c and returns its metrics (see the Metric
// constants): it loads the data (cached per process), builds the model
// from c.Seed, and runs c.Epochs epochs of mini-batches in an order
// shuffled each epoch from c.Seed, so equal programs give bit-identical
// metrics on one machine. After each epoch it evaluates the validation set
// and reports to o.Reporter; if the Reporter then says ShouldStop, Train
// stops, evaluates the test set and returns with stopped_early = 1.
//
// Train checks ctx between steps; when ctx is done it returns the metrics
// of the epochs completed so far (without test metrics) and ctx.Err().
// Errors from the data, the model or the Reporter are returned wrapped.
func Train(ctx context.Context, c *Classifier, o *TrainOptions) (map[string]float64, error) {
	m, _, err := TrainNetwork(ctx, c, o)
	return m, err
}

// TrainNetwork is Train that also returns the trained network (nil unless
// training completed and the test set was evaluated), for NewCheckpoint.
func TrainNetwork(ctx context.Context, c *Classifier, o *TrainOptions) (map[string]float64, *nn.Sequential, error) {
	if o == nil {
		o = &TrainOptions{}
	}
	if err := c.check(); err != nil {
		return nil, nil, err
	}
	splits, err := c.Data.Load()
	if err != nil {
		return nil, nil, fmt.Errorf("trainer: %w", err) // the data package prefixes its errors with "data: "
	}
	train := splits.Train
	if train.N == 0 {
		return nil, nil, fmt.Errorf("%w: the training set is empty", ErrProgram)
	}
	seed := uint64(c.Seed)
	net, err := c.Model.Network(train.Features, train.Classes, seed)
	if errors.Is(err, ErrProgram) { // names its key path, model.…
		return nil, nil, err
	} else if err != nil {
		return nil, nil, fmt.Errorf("trainer: model: %w", err)
	}
	batch := min(c.Batch, train.N)
	stepsPerEpoch := (train.N + batch - 1) / batch
	model, err := nn.NewModel(net, c.Optimizer.New(), c.schedule(c.Epochs*stepsPerEpoch))
	if err != nil {
		return nil, nil, fmt.Errorf("trainer: model: %w", err)
	}
	params := net.NumParams()
	metrics := map[string]float64{
		MetricParams:       float64(params),
		MetricSizeBits:     32 * float64(params),
		MetricStoppedEarly: 0,
	}
	evalBatch := evalBatchSize(batch)
	evaluate := func(s *data.Set) (loss, acc float64) {
		return model.Evaluate(tensor.FromData(s.X[:s.N*s.Features], s.N, s.Features), s.Y[:s.N], evalBatch)
	}

	rng := nn.NewRand(seed, 3)
	order := make([]int, train.N)
	for i := range order {
		order[i] = i
	}
	xbuf := tensor.Buffer{Cols: train.Features}
	ybuf := make([]int32, batch)
	start := time.Now()
	finish := func() {
		metrics[MetricTrainSeconds] = time.Since(start).Seconds()
		metrics[MetricSteps] = float64(model.Steps())
	}
	for epoch := 1; epoch <= c.Epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var sum float64
		for lo := 0; lo < train.N; lo += batch {
			if err := ctx.Err(); err != nil {
				finish()
				return metrics, nil, err
			}
			idx := order[lo:min(lo+batch, train.N)]
			x := xbuf.Rows(len(idx))
			y := ybuf[:len(idx)]
			train.Gather(x.Data, y, idx)
			sum += model.TrainStep(x, y) * float64(len(idx))
		}
		p := Progress{Epoch: epoch, Epochs: c.Epochs, Steps: model.Steps(), TrainLoss: sum / float64(train.N)}
		report := map[string]float64{MetricTrainLoss: p.TrainLoss}
		if splits.Val != nil && splits.Val.N > 0 {
			p.ValLoss, p.ValAccuracy = evaluate(splits.Val)
			report[MetricValLoss], report[MetricValAccuracy] = p.ValLoss, p.ValAccuracy
		}
		for k, v := range report {
			metrics[k] = v
		}
		metrics[MetricEpochs] = float64(epoch)
		p.Elapsed = time.Since(start)
		if o.Progress != nil {
			o.Progress(p)
		}
		if o.Reporter != nil {
			if err := o.Reporter.Report(ctx, epoch, report); err != nil {
				finish()
				return metrics, nil, fmt.Errorf("trainer: report epoch %d: %w", epoch, err)
			}
			if o.Reporter.ShouldStop() {
				metrics[MetricStoppedEarly] = 1
				break
			}
		}
	}
	finish()
	metrics[MetricTestLoss], metrics[MetricTestAccuracy] = evaluate(splits.Test)
	return metrics, net, nil
}

// evalBatchSize returns the rows evaluated at a time for a run of
// training batch size batch; Evaluate uses it too, so that its figures
// equal Train's bit for bit.
func evalBatchSize(batch int) int { return max(batch, 1000) }
