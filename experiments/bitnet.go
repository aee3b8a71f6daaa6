package experiments

import (
	"context"
	"fmt"
	"maps"
	"math"

	"github.com/c2602f9e/goglove/trainer"
)

// The BitNet experiment reproduces, on Fashion-MNIST, the result of
// "BitNet b1.58 Reloaded" (Nielsen and Schneider-Kamp, 2024): small
// networks trained with 1.58-bit (ternary) quantization-aware training
// match full precision at about twice the hidden width, and the median
// of |W| can replace the mean as the weights' scale.
//
// The protocol, so that an independent implementation can run the same:
// a 784-H-H-10 perceptron with ReLU, in each mode (BitNetModes) with
// every linear layer quantized the same way; AdamW (β 0.9, 0.999, ε 1e-8)
// with a constant learning rate and the weight decay of the run (0 by
// default); batch 128; Epochs passes over all 60,000 training images
// (no validation set) scaled to [0, 1] and standardized with mean 0.2860
// and deviation 0.3530; accuracy on the 10,000 test images; seed 0.

// Defaults of the BitNet experiment's grid.
var (
	// BitNetWidths are the hidden widths H of the full protocol.
	BitNetWidths = []int{64, 128, 256}
	// BitNetLRs are the learning rates of the full protocol.
	BitNetLRs = []float64{1e-3, 3e-3}
	// BitNetWDs are the weight decays: none, as the protocol states.
	BitNetWDs = []float64{0}
	// BitNetQuickWidths and BitNetQuickLRs are the widths and the
	// learning rate of the quick mode, a smoke test of a few seconds.
	BitNetQuickWidths = []int{16, 32}
	BitNetQuickLRs    = []float64{3e-3}
)

const (
	// BitNetEpochs is the number of epochs of the full protocol.
	BitNetEpochs = 5
	// BitNetQuickEpochs is the number of epochs of the quick mode.
	BitNetQuickEpochs = 1
	// BitNetBatch is the batch size of the protocol.
	BitNetBatch = 128
	// BitNetSeed seeds every run of the protocol.
	BitNetSeed = 0
)

// BitNetOptions is the grid of a BitNet experiment: every mode × width ×
// learning rate × weight decay is one run. Empty fields take the
// protocol's values (BitNetModes, BitNetWidths, BitNetLRs, BitNetWDs,
// BitNetEpochs).
type BitNetOptions struct {
	Modes  []BitNetMode
	Widths []int
	LRs    []float64
	WDs    []float64
	Epochs int
}

// withDefaults returns o with its empty fields at the protocol's values.
func (o BitNetOptions) withDefaults() BitNetOptions {
	if len(o.Modes) == 0 {
		o.Modes = BitNetModes()
	}
	if len(o.Widths) == 0 {
		o.Widths = BitNetWidths
	}
	if len(o.LRs) == 0 {
		o.LRs = BitNetLRs
	}
	if len(o.WDs) == 0 {
		o.WDs = BitNetWDs
	}
	if o.Epochs == 0 {
		o.Epochs = BitNetEpochs
	}
	return o
}

// Check reports the first value of o out of range, naming its field
// (widths, lrs, wds, epochs, modes) and the value.
func (o BitNetOptions) Check() error {
	o = o.withDefaults()
	for _, m := range o.Modes {
		if _, err := m.quantizer(); err != nil {
			return err
		}
	}
	for _, w := range o.Widths {
		if w < 1 || w > 65536 {
			return fmt.Errorf("experiments: bitnet: widths: %d is out of range; want whole numbers from 1 to 65536", w)
		}
	}
	for _, lr := range o.LRs {
		if !(lr >= 1e-12 && lr <= 10) {
			return fmt.Errorf("experiments: bitnet: lrs: %v is out of range; want learning rates from 1e-12 to 10", lr)
		}
	}
	for _, wd := range o.WDs {
		if !(wd >= 0 && wd <= 10) {
			return fmt.Errorf("experiments: bitnet: wds: %v is out of range; want weight decays from 0 to 10", wd)
		}
	}
	if o.Epochs < 1 || o.Epochs > 100000 {
		return fmt.Errorf("experiments: bitnet: epochs: %d is out of range; want 1 to 100000", o.Epochs)
	}
	return nil
}

// BitNetRun is one point of the grid.
type BitNetRun struct {
	Mode        BitNetMode
	Width       int
	LR          float64
	WeightDecay float64
	Epochs      int
}

// Runs returns the grid's runs in the order they are trained: by weight
// decay, then width, then learning rate, then mode, so that the runs a
// claim compares come close together.
func (o BitNetOptions) Runs() []BitNetRun {
	o = o.withDefaults()
	var out []BitNetRun
	for _, wd := range o.WDs {
		for _, w := range o.Widths {
			for _, lr := range o.LRs {
				for _, m := range o.Modes {
					out = append(out, BitNetRun{Mode: m, Width: w, LR: lr, WeightDecay: wd, Epochs: o.Epochs})
				}
			}
		}
	}
	return out
}

// Program returns the child program of the run r: the protocol as a
// trainer.Classifier, every field set, so that its canonical form (the
// key of the trained-model cache) does not depend on defaults.
func (r BitNetRun) Program() (*trainer.Classifier, error) {
	q, err := r.Mode.quantizer()
	if err != nil {
		return nil, err
	}
	return &trainer.Classifier{
		Data:      trainer.FashionMNIST{Validation: 0, Standardize: true},
		Model:     bitnetModel(r.Width, q),
		Optimizer: trainer.AdamW{LR: r.LR, WeightDecay: r.WeightDecay, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
		Epochs:    r.Epochs,
		Batch:     BitNetBatch,
		Seed:      BitNetSeed,
		Schedule:  "constant",
	}, nil
}

// BitNetRow is the result of one run: the JSON object of one line of
// goglove experiment bitnet --json and of results.jsonl.
type BitNetRow struct {
	Mode        BitNetMode `json:"mode"`
	Width       int        `json:"width"`
	LR          float64    `json:"lr"`
	WeightDecay float64    `json:"weight_decay"`
	Epochs      int        `json:"epochs"`
	// TestAccuracy is the accuracy on the 10,000 test images, a fraction.
	TestAccuracy float64 `json:"test_accuracy"`
	TestLoss     float64 `json:"test_loss"`
	// Zeros is the fraction of the weight codes that are zero (averaged
	// over the layers, as the trainer's zeros metric); 0 for fp32, which
	// stores no codes.
	Zeros float64 `json:"zeros"`
	// SizeBits is the storage of every parameter, scales included;
	// BitsPerWeight that of the weights per weight.
	SizeBits      float64 `json:"size_bits"`
	BitsPerWeight float64 `json:"bits_per_weight"`
	Params        float64 `json:"params"`
	// TrainSeconds is the wall time of training, as recorded when the
	// model was trained (for a cached run, then).
	TrainSeconds float64 `json:"train_seconds"`
	// Cached tells a run taken from the trained-model cache.
	Cached bool `json:"cached"`
}

// RunBitNet runs the grid of o in the order of o.Runs, each run's program
// through trainer.Program.Run with env (give it the trained-model cache,
// cache.Default, and a run trained before is read back rather than
// trained again), and returns one row per run. progress, if not nil, is
// called after each run with its index from 0, the number of runs and its
// row. It stops at the first error, returning the rows done so far and
// the error naming the run.
func RunBitNet(ctx context.Context, o BitNetOptions, env *trainer.Env, progress func(i, n int, row BitNetRow)) ([]BitNetRow, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	runs := o.Runs()
	rows := make([]BitNetRow, 0, len(runs))
	for i, r := range runs {
		p, err := r.Program()
		if err != nil {
			return rows, err
		}
		m, err := p.Run(ctx, env)
		if err != nil {
			return rows, fmt.Errorf("experiments: bitnet: %s: %w", r, err)
		}
		row, err := r.row(m)
		if err != nil {
			return rows, err
		}
		rows = append(rows, row)
		if progress != nil {
			progress(i, len(runs), row)
		}
	}
	return rows, nil
}

// String names the run: "absmean H=128 lr=0.003 wd=0".
func (r BitNetRun) String() string {
	return fmt.Sprintf("%s H=%d lr=%g wd=%g", r.Mode, r.Width, r.LR, r.WeightDecay)
}

// row makes the row of r from its metrics. An fp32 network reports no
// zeros and no bits_per_weight (it has no quantized layers): its row has
// 0 zeros (it stores no codes) and 32 bits per weight.
func (r BitNetRun) row(m map[string]float64) (BitNetRow, error) {
	if !r.Mode.ternary() {
		m = maps.Clone(m)
		if _, ok := m[trainer.MetricZeros]; !ok {
			m[trainer.MetricZeros] = 0
		}
		if _, ok := m[trainer.MetricBitsPerWeight]; !ok {
			m[trainer.MetricBitsPerWeight] = 32
		}
	}
	row := BitNetRow{Mode: r.Mode, Width: r.Width, LR: r.LR, WeightDecay: r.WeightDecay, Epochs: r.Epochs, Cached: m[trainer.MetricCached] == 1}
	for _, f := range []struct {
		name string
		dst  *float64
	}{
		{trainer.MetricTestAccuracy, &row.TestAccuracy},
		{trainer.MetricTestLoss, &row.TestLoss},
		{trainer.MetricZeros, &row.Zeros},
		{trainer.MetricSizeBits, &row.SizeBits},
		{trainer.MetricBitsPerWeight, &row.BitsPerWeight},
		{trainer.MetricParams, &row.Params},
		{trainer.MetricTrainSeconds, &row.TrainSeconds},
	} {
		v, ok := m[f.name]
		if !ok || math.IsNaN(v) {
			return BitNetRow{}, fmt.Errorf("experiments: bitnet: %s: the run reported no %s", r, f.name)
		}
		*f.dst = v
	}
	return row, nil
}
