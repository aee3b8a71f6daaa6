package trainer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// newRun loads the data of program c and builds its network, seeded from
// c.Seed, and the network's training wrapper.
func newRun(ctx context.Context, c *Classifier, o *TrainOptions) (*Run, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	splits, err := c.Data.Load()
	if err != nil {
		return nil, fmt.Errorf("trainer: %w", err) // the data package prefixes its errors with "data: "
	}
	train := splits.Train
	if train.N == 0 {
		return nil, fmt.Errorf("%w: the training set is empty", ErrProgram)
	}
	net, err := c.Model.Network(train.Features, train.Classes, uint64(c.Seed))
	if errors.Is(err, ErrProgram) { // names its key path, model.…
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("trainer: model: %w", err)
	}
	batch := min(c.Batch, train.N)
	stepsPerEpoch := (train.N + batch - 1) / batch
	model, err := nn.NewClassifier(net, c.Optimizer.New(), c.schedule(c.Epochs*stepsPerEpoch))
	if err != nil {
		return nil, fmt.Errorf("trainer: model: %w", err)
	}
	params := net.NumParams()
	metrics := map[string]float64{
		MetricParams:       float64(params),
		MetricStoppedEarly: 0,
	}
	addSizeMetrics(metrics, net)
	return &Run{
		Program: c, Splits: splits, Net: net, Model: model, Batch: batch, StepsPerEpoch: stepsPerEpoch,
		ctx: ctx, evalBatch: evalBatchSize(batch), hooks: listHooks(o.Hooks), opts: o,
		metrics: metrics,
	}, nil
}

// train runs the Start hooks, the epochs and the test evaluation, and
// returns Train's metrics and the network (nil unless it completed).
func (r *Run) train() (map[string]float64, *nn.Sequential, error) {
	for _, h := range r.hooks.start {
		if err := h(r); err != nil {
			return nil, nil, fmt.Errorf("trainer: hook Start: %w", err)
		}
	}
	// The examples in the order of an epoch, shuffled from the seed
	// before each; the batch buffers, reused from step to step.
	c, train := r.Program, r.Splits.Train
	rng := nn.NewRand(uint64(c.Seed), 3)
	order := make([]int, train.N)
	for i := range order {
		order[i] = i
	}
	xbuf := tensor.Buffer{Cols: train.Features}
	ybuf := make([]int32, r.Batch)
	start := time.Now()
	finish := func() {
		r.metrics[MetricTrainSeconds] = time.Since(start).Seconds()
		r.metrics[MetricSteps] = float64(r.Model.Steps())
	}
	for epoch := 1; epoch <= c.Epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var sum float64
		for b, lo := 0, 0; lo < train.N; b, lo = b+1, lo+r.Batch {
			if err := r.ctx.Err(); err != nil {
				finish()
				return r.metrics, nil, err
			}
			idx := order[lo:min(lo+r.Batch, train.N)]
			x, y := xbuf.Rows(len(idx)), ybuf[:len(idx)]
			train.Gather(x.Data, y, idx)
			loss, err := r.step(epoch, b, x, y)
			if err != nil {
				finish()
				return r.metrics, nil, err
			}
			sum += loss * float64(len(idx))
		}
		stop, err := r.endEpoch(epoch, sum/float64(train.N), start)
		if err != nil {
			finish()
			return r.metrics, nil, err
		}
		if stop {
			r.metrics[MetricStoppedEarly] = 1
			break
		}
	}
	finish()
	r.metrics[MetricTestLoss], r.metrics[MetricTestAccuracy] = r.Evaluate(r.Splits.Test)
	for _, h := range r.hooks.end {
		if err := h(r, r.metrics); err != nil {
			return r.metrics, nil, fmt.Errorf("trainer: hook End: %w", err)
		}
	}
	return r.metrics, r.Net, nil
}

// step takes one training step on the batch x, y, the batch-th of epoch,
// calling the step hooks around it, and returns the batch's mean loss.
func (r *Run) step(epoch, batch int, x *tensor.Tensor, y []int32) (float64, error) {
	s := &r.cur
	*s = Step{Epoch: epoch, Index: r.Model.Steps(), Batch: batch, X: x, Y: y}
	if err := callStep(r, s, "BeforeStep", r.hooks.beforeStep); err != nil {
		return 0, err
	}
	s.Loss = r.Model.Gradients(x, y)
	if err := callStep(r, s, "BeforeUpdate", r.hooks.beforeUpdate); err != nil {
		return 0, err
	}
	r.Model.Update()
	if err := callStep(r, s, "AfterStep", r.hooks.after); err != nil {
		return 0, err
	}
	return s.Loss, nil
}

// callStep calls the hooks of one point of a step in order and wraps the
// first error.
func callStep(r *Run, s *Step, point string, hooks []func(*Run, *Step) error) error {
	for _, h := range hooks {
		if err := h(r, s); err != nil {
			return fmt.Errorf("trainer: hook %s at epoch %d, step %d: %w", point, s.Epoch, s.Index, err)
		}
	}
	return nil
}

// endEpoch evaluates the validation set after epoch, whose mean training
// loss is trainLoss, calls the EndEpoch hooks, records the epoch's
// metrics and tells Progress and the Reporter. It reports whether the
// Reporter asks to stop.
func (r *Run) endEpoch(epoch int, trainLoss float64, start time.Time) (stop bool, err error) {
	p := Progress{Epoch: epoch, Epochs: r.Program.Epochs, Steps: r.Model.Steps(), TrainLoss: trainLoss}
	report := map[string]float64{MetricTrainLoss: p.TrainLoss}
	if val := r.Splits.Val; val != nil && val.N > 0 {
		p.ValLoss, p.ValAccuracy = r.Evaluate(val)
		report[MetricValLoss], report[MetricValAccuracy] = p.ValLoss, p.ValAccuracy
	}
	if len(r.hooks.endEpoch) > 0 {
		e := &EpochEnd{Epoch: epoch, Steps: p.Steps, Metrics: report}
		for _, h := range r.hooks.endEpoch {
			if err := h(r, e); err != nil {
				return false, fmt.Errorf("trainer: hook EndEpoch at epoch %d: %w", epoch, err)
			}
		}
	}
	for k, v := range report {
		r.metrics[k] = v
	}
	r.metrics[MetricEpochs] = float64(epoch)
	p.Elapsed = time.Since(start)
	if r.opts.Progress != nil {
		r.opts.Progress(p)
	}
	if rep := r.opts.Reporter; rep != nil {
		if err := rep.Report(r.ctx, epoch, report); err != nil {
			return false, fmt.Errorf("trainer: report epoch %d: %w", epoch, err)
		}
		return rep.ShouldStop(), nil
	}
	return false, nil
}
