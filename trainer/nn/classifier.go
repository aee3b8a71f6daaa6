package nn

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// Classifier is the training wrapper of a network whose last layer gives
// one logit per class: the network, the softmax cross-entropy loss, an
// optimizer with the parameters it updates, and a learning-rate schedule.
// TrainStep is one step of training; a training loop that acts between
// the gradients and the update calls its two halves, Gradients and
// Update. TrainStep and Evaluate allocate nothing once they have seen
// their largest batch.
type Classifier struct {
	Net       *Sequential
	Loss      SoftmaxCrossEntropy
	Optimizer Optimizer
	Schedule  Schedule
	// Params are the parameters Update passes to the optimizer: all of
	// Net's by default. A caller may narrow them (to leave architecture
	// logits to a second optimizer) before the first update only, since
	// optimizers bind their state to the parameters of their first step.
	// Frozen parameters among them are skipped by the optimizer.
	Params []*Param

	step int
	view tensor.Tensor // a window of an evaluation set
}

// NewClassifier returns the classifier training net, whose last layer
// gives one logit per class, with opt at the rates of sched; it updates
// all of net's parameters.
func NewClassifier(net *Sequential, opt Optimizer, sched Schedule) (*Classifier, error) {
	if net == nil || opt == nil || sched == nil {
		return nil, fmt.Errorf("nn: NewClassifier: nil network, optimizer or schedule")
	}
	return &Classifier{Net: net, Optimizer: opt, Schedule: sched, Params: net.Params(), view: tensor.Tensor{Shape: make([]int, 2)}}, nil
}

// TrainStep runs one step on the batch x (rows×features) with labels y:
// Gradients, then Update. It returns the batch's mean loss.
func (m *Classifier) TrainStep(x *tensor.Tensor, y []int32) float64 {
	loss := m.Gradients(x, y)
	m.Update()
	return loss
}

// Gradients runs the forward pass in training mode on the batch x with
// labels y, the loss and the backward pass, which sets the gradients of
// every parameter of Net; it changes no parameter. It returns the batch's
// mean loss.
func (m *Classifier) Gradients(x *tensor.Tensor, y []int32) float64 {
	logits := m.Net.Forward(x, true)
	loss, _ := m.Loss.Forward(logits, y)
	m.Net.Backward(m.Loss.Grad(), false)
	return loss
}

// Update applies one optimizer step to Params from their gradients, at
// the schedule's rate for the current step, and counts the step.
func (m *Classifier) Update() {
	m.Optimizer.Step(m.Params, m.Schedule.LR(m.step))
	m.step++
}

// Steps returns the number of training steps (updates) taken.
func (m *Classifier) Steps() int { return m.step }

// Evaluate returns the mean loss and the accuracy on the n×features
// matrix x (n = len(y)), in evaluation mode, taking batch rows at a time.
// It returns zeros for an empty set.
func (m *Classifier) Evaluate(x *tensor.Tensor, y []int32, batch int) (loss, accuracy float64) {
	n, cols := x.Dims()
	if n != len(y) {
		panic(fmt.Sprintf("nn: Classifier.Evaluate: %d labels for %d rows", len(y), n))
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
