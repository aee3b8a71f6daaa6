package trainer

import (
	"context"
	"time"

	"github.com/c2602f9e/goglove/trainer/nn"
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

// TrainOptions are the optional observers and hooks of Train. A nil
// *TrainOptions, like the zero value, means no reporting and no hooks.
type TrainOptions struct {
	// Reporter, if not nil, receives val_accuracy, val_loss (when there is
	// a validation set) and train_loss after every epoch, with step = the
	// epoch, and is asked ShouldStop after each report.
	Reporter Reporter
	// Progress, if not nil, is called after every epoch on Train's
	// goroutine.
	Progress func(Progress)
	// Hooks extend the training loop at its points (see Hooks): which
	// parameters train, what happens before and after each step, what is
	// evaluated after each epoch and at the end. They are called in
	// their order at each point.
	Hooks []Hooks
}

// Metric names of the map Train returns.
const (
	MetricValAccuracy   = "val_accuracy"    // accuracy on the validation set (absent without one)
	MetricValLoss       = "val_loss"        // mean cross-entropy on the validation set (absent without one)
	MetricTestAccuracy  = "test_accuracy"   // accuracy on the test set
	MetricTestLoss      = "test_loss"       // mean cross-entropy on the test set
	MetricTrainLoss     = "train_loss"      // mean training loss of the last epoch
	MetricParams        = "params"          // number of scalar parameters
	MetricSizeBits      = "size_bits"       // storage of the parameters as stored: 32 bits a float32, quantized weights as their format stores them (see addSizeMetrics)
	MetricBitsPerWeight = "bits_per_weight" // bits of the weight matrices (scales included) per weight, biases and gains excluded; absent without quantized layers
	MetricZeros         = "zeros"           // the fraction of zero codes of the quantized layers, averaged over them; absent without quantized layers
	MetricTrainSeconds  = "train_seconds"   // wall time of the training epochs, validation included
	MetricEpochs        = "epochs"          // epochs completed
	MetricSteps         = "steps"           // training steps taken
	MetricStoppedEarly  = "stopped_early"   // 1 if the Reporter stopped the run, else 0
)

// Train trains the program c and returns its metrics (see the Metric
// constants): it loads the data (cached per process), builds the model
// from c.Seed, and runs c.Epochs epochs of mini-batches in an order
// shuffled each epoch from c.Seed, so equal programs give bit-identical
// metrics on one machine. After each epoch it evaluates the validation set
// and reports to o.Reporter; if the Reporter then says ShouldStop, Train
// stops, evaluates the test set and returns with stopped_early = 1. The
// hooks of o.Hooks are called at the loop's extension points (see Hooks).
//
// Train checks ctx between steps; when ctx is done it returns the metrics
// of the epochs completed so far (without test metrics) and ctx.Err().
// Errors from the data, the model, the Reporter or a hook are returned
// wrapped.
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
	r, err := newRun(ctx, c, o)
	if err != nil {
		return nil, nil, err
	}
	m, net, err := r.train()
	if net != nil {
		addZeros(m, net)
	}
	return m, net, err
}

// addSizeMetrics sets size_bits and bits_per_weight of net in m: the
// bits its parameters take as stored (nn.StorageOf: fp32 values 32 bits
// each; ternary weights packed five to a byte, 1.6 bits, plus a 32-bit β;
// int8 weights 8 bits plus 32 bits a scale; biases and gains 32 bits), and
// the weight matrices' bits per weight, biases and gains excluded, for a
// network with quantized layers (an fp32 network has 32 by definition,
// and its metrics stay as they were). Both depend only on the shapes and
// formats, not on the weights' values.
func addSizeMetrics(m map[string]float64, net *nn.Sequential) {
	s := nn.StorageOf(net)
	m[MetricSizeBits] = float64(s.Bits())
	if s.Weights > 0 && len(nn.QuantLayers(net)) > 0 {
		m[MetricBitsPerWeight] = float64(s.WeightBits) / float64(s.Weights)
	}
}

// addZeros sets zeros in m, for a network with quantized layers: the
// fraction of each layer's codes that are 0, averaged over the layers.
func addZeros(m map[string]float64, net *nn.Sequential) {
	layers := nn.QuantLayers(net)
	if len(layers) == 0 {
		return
	}
	var sum float64
	for _, l := range layers {
		sum += l.Zeros()
	}
	m[MetricZeros] = sum / float64(len(layers))
}

// evalBatchSize returns the rows evaluated at a time for a run of
// training batch size batch; Evaluate uses it too, so that its figures
// equal Train's bit for bit.
func evalBatchSize(batch int) int { return max(batch, 1000) }
