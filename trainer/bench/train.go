package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/internal/stats"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// Model is an MLP to train in a benchmark: ReLU between its dense layers,
// softmax cross-entropy, SGD with momentum 0.9 at learning rate 0.01 (the
// settings of the PyTorch reference), on random batches.
type Model struct {
	// Name is the short name of the model in reports ("mlp", "tiny").
	Name string
	// Widths are the layer widths from the input to the classes: 784,
	// 512, 512, 10 is an MLP of two hidden layers.
	Widths []int
	// Batch is the number of samples of a training step.
	Batch int
}

// The reference models of goglove bench train and of the PyTorch script.
var (
	// MLP is the MLP 784-512-512-10 at batch 128: Fashion-MNIST sized.
	MLP = Model{Name: "mlp", Widths: []int{784, 512, 512, 10}, Batch: 128}
	// Tiny is the MLP 64-32-10 at batch 32, the size of a quick search
	// trial on the synthetic dataset.
	Tiny = Model{Name: "tiny", Widths: []int{64, 32, 10}, Batch: 32}
)

// String returns the model as "784-512-512-10 batch 128".
func (m Model) String() string {
	w := make([]string, len(m.Widths))
	for i, v := range m.Widths {
		w[i] = strconv.Itoa(v)
	}
	return strings.Join(w, "-") + " batch " + strconv.Itoa(m.Batch)
}

// network returns the network of m, the trainer.MLP of its hidden widths
// with ReLU, initialized from seed.
func (m Model) network(seed uint64) (*nn.Sequential, error) {
	last := len(m.Widths) - 1
	return trainer.MLP{Hidden: m.Widths[1:last], Activation: "relu"}.Network(m.Widths[0], m.Widths[last], seed)
}

func (m Model) check() error {
	if len(m.Widths) < 2 || m.Batch < 1 {
		return fmt.Errorf("%w: model %q has widths %v and batch %d, want two widths or more and a positive batch", ErrOptions, m.Name, m.Widths, m.Batch)
	}
	for _, w := range m.Widths {
		if w < 1 {
			return fmt.Errorf("%w: model %q has a width %d, want positive widths", ErrOptions, m.Name, w)
		}
	}
	return nil
}

// Throughput is the training speed of a model, in samples per second.
type Throughput struct {
	// One is one model training alone on one goroutine; OneCPU is the
	// same over the thread's CPU time (0 where not measured).
	One, OneCPU float64
	// Parallel is the sum of Trials models training side by side, one per
	// goroutine, as a search runs its trials; 0 when Trials is 1.
	Parallel float64
	// Trials is the number of models of Parallel: GOMAXPROCS, at most 2
	// (the machines goglove is measured on have two cores).
	Trials int
}

// Best returns the better of One and Parallel: the machine's training
// throughput with every core in use.
func (t Throughput) Best() float64 { return max(t.One, t.Parallel) }

// trainWork is one model with its random batches: a unit of work of one
// training step.
type trainWork struct {
	m     *nn.Classifier
	xs    []*tensor.Tensor
	ys    [][]int32
	i     int
	batch float64
}

// newTrainer builds model m, initialized from seed, and 8 random batches
// that its steps cycle through.
func newTrainer(m Model, seed uint64) (*trainWork, error) {
	net, err := m.network(seed)
	if err != nil {
		return nil, err
	}
	model, err := nn.NewClassifier(net, &nn.SGD{Momentum: 0.9}, nn.Constant(0.01))
	if err != nil {
		return nil, err
	}
	t := &trainWork{m: model, batch: float64(m.Batch)}
	rng := rand.New(rand.NewPCG(seed, 3))
	for range 8 {
		x := tensor.New(m.Batch, m.Widths[0])
		for i := range x.Data {
			x.Data[i] = float32(rng.NormFloat64())
		}
		y := make([]int32, m.Batch)
		for i := range y {
			y[i] = int32(rng.IntN(m.Widths[len(m.Widths)-1]))
		}
		t.xs, t.ys = append(t.xs, x), append(t.ys, y)
	}
	return t, nil
}

func (t *trainWork) do() float64 {
	k := t.i % len(t.xs)
	t.i++
	t.m.TrainStep(t.xs[k], t.ys[k])
	return t.batch
}

// Train measures the training throughput of m: one model alone, and as
// many models as GOMAXPROCS (at most 2) side by side. It alternates the
// two kinds of runs, so a machine getting busier weighs on both alike.
func Train(ctx context.Context, m Model, o Options) (Throughput, error) {
	o = o.withDefaults()
	if err := o.check(); err != nil {
		return Throughput{}, err
	}
	if err := m.check(); err != nil {
		return Throughput{}, err
	}
	res := Throughput{Trials: min(runtime.GOMAXPROCS(0), 2)}
	ws := make([]work, res.Trials)
	for i := range ws {
		t, err := newTrainer(m, uint64(i+1))
		if err != nil {
			return Throughput{}, err
		}
		ws[i] = t
	}
	// Warm up every model (buffers, momenta, caches) on its own.
	for _, w := range ws {
		if _, _, err := rate(ctx, w, o.warmup()/time.Duration(len(ws))); err != nil {
			return Throughput{}, err
		}
	}
	per := o.Duration / time.Duration(o.Runs)
	var one, oneCPU, par []float64
	for range o.Runs {
		wall, cpu, err := rate(ctx, ws[0], per)
		if err != nil {
			return Throughput{}, err
		}
		one, oneCPU = append(one, wall), append(oneCPU, cpu)
		if res.Trials > 1 {
			p, err := rateParallel(ctx, ws, per)
			if err != nil {
				return Throughput{}, err
			}
			par = append(par, p)
		}
	}
	res.One, res.OneCPU, res.Parallel = stats.Median(one), stats.Median(oneCPU), stats.Median(par)
	if res.Trials > 1 {
		o.progress("%s %s: %.0f samples/s alone, %.0f with %d side by side", m.Name, m, res.One, res.Parallel, res.Trials)
	} else {
		o.progress("%s %s: %.0f samples/s", m.Name, m, res.One)
	}
	return res, nil
}
