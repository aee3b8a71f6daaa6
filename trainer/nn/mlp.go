package nn

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// Activation names a hidden-layer nonlinearity of an MLP.
type Activation string

// The activations an MLP accepts.
const (
	ActReLU Activation = "relu"
	ActGELU Activation = "gelu"
	ActTanh Activation = "tanh"
)

// MLPConfig describes a multi-layer perceptron. Each hidden layer is
// Dense → LayerNorm (if LayerNorm) → activation → Dropout (if Dropout > 0);
// the output layer is Dense. Hidden weights are initialized He-uniform
// before ReLU and GELU and Glorot-uniform before tanh; the output layer is
// Glorot-uniform.
type MLPConfig struct {
	In, Out    int   // input features and classes
	Hidden     []int // hidden widths; none gives a linear model
	Activation Activation
	LayerNorm  bool
	Dropout    float64 // drop probability in [0, 1); 0 is off
	Seed       uint64  // seeds initialization and dropout masks
}

// MLP is a classifier: a Sequential network, the softmax cross-entropy
// loss, an optimizer and a learning-rate schedule. TrainStep and Evaluate
// allocate nothing once they have seen their largest batch.
type MLP struct {
	Net       *Sequential
	Loss      SoftmaxCrossEntropy
	Optimizer Optimizer
	Schedule  Schedule

	step int
	view tensor.Tensor // a window of an evaluation set
}

// NewMLP builds the network c describes (see MLPConfig.Network), trained
// by opt with the rates of sched. It returns an error for an invalid
// config.
func NewMLP(c MLPConfig, opt Optimizer, sched Schedule) (*MLP, error) {
	net, err := c.Network()
	if err != nil {
		return nil, err
	}
	return NewModel(net, opt, sched)
}

// NewModel returns a classifier training net, whose last layer gives one
// logit per class, with opt at the rates of sched.
func NewModel(net *Sequential, opt Optimizer, sched Schedule) (*MLP, error) {
	if net == nil || opt == nil || sched == nil {
		return nil, fmt.Errorf("nn: NewModel: nil network, optimizer or schedule")
	}
	return &MLP{Net: net, Optimizer: opt, Schedule: sched, view: tensor.Tensor{Shape: make([]int, 2)}}, nil
}

// Network returns the layers c describes, freshly initialized from c.Seed.
// It returns an error for an invalid config.
func (c MLPConfig) Network() (*Sequential, error) {
	if c.In <= 0 || c.Out <= 0 {
		return nil, fmt.Errorf("nn: MLP: want positive input and output sizes, got %d and %d", c.In, c.Out)
	}
	if !(c.Dropout >= 0 && c.Dropout < 1) {
		return nil, fmt.Errorf("nn: MLP: dropout %g is not in [0, 1)", c.Dropout)
	}
	init := HeUniform
	switch c.Activation {
	case ActReLU, ActGELU:
	case ActTanh:
		init = GlorotUniform
	default:
		return nil, fmt.Errorf("nn: MLP: unknown activation %q (want relu, gelu or tanh)", c.Activation)
	}
	initRNG := NewRand(c.Seed, 1)
	dropRNG := NewRand(c.Seed, 2)
	var layers []Layer
	in := c.In
	for i, h := range c.Hidden {
		if h <= 0 {
			return nil, fmt.Errorf("nn: MLP: hidden[%d] = %d is not positive", i, h)
		}
		layers = append(layers, NewDense(in, h, init, initRNG))
		if c.LayerNorm {
			layers = append(layers, NewLayerNorm(h, 0))
		}
		switch c.Activation {
		case ActReLU:
			layers = append(layers, new(ReLU))
		case ActGELU:
			layers = append(layers, new(GELU))
		case ActTanh:
			layers = append(layers, new(Tanh))
		}
		if c.Dropout > 0 {
			layers = append(layers, NewDropout(c.Dropout, dropRNG))
		}
		in = h
	}
	layers = append(layers, NewDense(in, c.Out, GlorotUniform, initRNG))
	return NewSequential(layers...), nil
}

// TrainStep runs one step on the batch x (rows×In) with labels y: forward,
// loss, backward and an optimizer update at the schedule's rate. It
// returns the batch's mean loss.
func (m *MLP) TrainStep(x *tensor.Tensor, y []int32) float64 {
	logits := m.Net.Forward(x, true)
	loss, _ := m.Loss.Forward(logits, y)
	m.Net.Backward(m.Loss.Grad(), false)
	m.Optimizer.Step(m.Net.Params(), m.Schedule.LR(m.step))
	m.step++
	return loss
}

// Steps returns the number of training steps taken.
func (m *MLP) Steps() int { return m.step }

// Evaluate returns the mean loss and the accuracy on the n×In matrix x
// (n = len(y)), in evaluation mode, taking batch rows at a time. It returns
// zeros for an empty set.
func (m *MLP) Evaluate(x *tensor.Tensor, y []int32, batch int) (loss, accuracy float64) {
	n, cols := x.Dims()
	if n != len(y) {
		panic(fmt.Sprintf("nn: MLP.Evaluate: %d labels for %d rows", len(y), n))
	}
	if n == 0 {
		return 0, 0
	}
	batch = max(batch, 1)
	var total float64
	correct := 0
	for lo := 0; lo < n; lo += batch {
		hi := min(lo+batch, n)
		m.view.Shape[0], m.view.Shape[1] = hi-lo, cols
		m.view.Data = x.Data[lo*cols : hi*cols]
		l, c := m.Loss.Forward(m.Net.Forward(&m.view, false), y[lo:hi])
		total += l * float64(hi-lo)
		correct += c
	}
	return total / float64(n), float64(correct) / float64(n)
}
