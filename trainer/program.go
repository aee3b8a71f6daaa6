package trainer

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// Classifier is a child program: a classifier trained by mini-batch
// gradient descent. Train runs it.
//
// The learning rate is the optimizer's lr, shaped by Schedule ("constant",
// or "cosine" decay to LRFloor·lr at the last step) after Warmup steps of
// linear warm-up.
type Classifier struct {
	Data      Dataset   `sym:",required" doc:"the dataset (trainer.FashionMNIST, trainer.Synthetic)"`
	Model     Model     `sym:",required" doc:"the network (trainer.Sequential, trainer.MLP)"`
	Optimizer Optimizer `sym:",required" doc:"the optimizer (trainer.AdamW, trainer.SGD)"`
	Epochs    int       `min:"1" max:"100000" default:"5" doc:"passes over the training set"`
	Batch     int       `min:"1" max:"65536" default:"128" doc:"examples per training step"`
	Seed      int64     `min:"0" doc:"seeds initialization, shuffling and dropout"`
	Schedule  string    `enum:"constant,cosine" default:"constant" doc:"learning-rate schedule after the warm-up"`
	Warmup    int       `min:"0" max:"100000000" doc:"steps of linear learning-rate warm-up; 0 is none"`
	LRFloor   float64   `sym:"lr_floor" min:"0" max:"1" doc:"the cosine schedule's final rate, as a fraction of lr"`
}

// check repeats the schema's checks, for programs built in Go.
func (c *Classifier) check() error {
	switch {
	case c == nil:
		return fmt.Errorf("%w: nil Classifier", ErrProgram)
	case c.Data == nil || c.Model == nil || c.Optimizer == nil:
		return fmt.Errorf("%w: data, model and optimizer are required", ErrProgram)
	case c.Epochs < 1:
		return fmt.Errorf("%w: epochs: want int ≥ 1, got %d", ErrProgram, c.Epochs)
	case c.Batch < 1:
		return fmt.Errorf("%w: batch: want int ≥ 1, got %d", ErrProgram, c.Batch)
	case c.Seed < 0:
		return fmt.Errorf("%w: seed: want int ≥ 0, got %d", ErrProgram, c.Seed)
	case c.Warmup < 0:
		return fmt.Errorf("%w: warmup: want int ≥ 0, got %d", ErrProgram, c.Warmup)
	case !(c.LRFloor >= 0 && c.LRFloor <= 1):
		return fmt.Errorf("%w: lr_floor: want float in [0, 1], got %v", ErrProgram, c.LRFloor)
	case c.Schedule != "" && c.Schedule != "constant" && c.Schedule != "cosine":
		return fmt.Errorf("%w: schedule: want one of constant, cosine, got %q", ErrProgram, c.Schedule)
	}
	if !(c.Optimizer.LearningRate() > 0) {
		return fmt.Errorf("%w: optimizer.lr: want float > 0, got %v", ErrProgram, c.Optimizer.LearningRate())
	}
	return nil
}

// schedule returns the learning-rate schedule of a run of total steps.
func (c *Classifier) schedule(total int) nn.Schedule {
	lr := c.Optimizer.LearningRate()
	var s nn.Schedule = nn.Constant(lr)
	if c.Schedule == "cosine" {
		s = nn.Cosine{Base: lr, Floor: lr * c.LRFloor, Steps: total - c.Warmup}
	}
	if c.Warmup > 0 {
		s = nn.Warmup{Steps: c.Warmup, Then: s}
	}
	return s
}

// Optimizer is the optimizer of a Classifier. Implementations are
// registered program types.
type Optimizer interface {
	// LearningRate returns the base learning rate (before the schedule).
	LearningRate() float64
	// New returns a fresh optimizer with no state.
	New() nn.Optimizer
}

// AdamW is Adam with decoupled weight decay (nn.AdamW); weight decay
// applies to weight matrices, not to biases or normalization gains.
type AdamW struct {
	LR          float64 `sym:"lr" min:"1e-12" max:"10" default:"0.001" doc:"learning rate (> 0)"`
	WeightDecay float64 `min:"0" max:"10" doc:"decoupled weight decay"`
	Beta1       float64 `sym:"beta1" min:"0" max:"0.999999" default:"0.9" doc:"first-moment decay"`
	Beta2       float64 `sym:"beta2" min:"0" max:"0.99999999" default:"0.999" doc:"second-moment decay"`
	Eps         float64 `min:"1e-30" max:"1" default:"1e-8" doc:"added to the root of the second moment"`
}

// LearningRate returns LR.
func (a AdamW) LearningRate() float64 { return a.LR }

// New returns an nn.AdamW.
func (a AdamW) New() nn.Optimizer {
	return &nn.AdamW{Beta1: a.Beta1, Beta2: a.Beta2, Eps: a.Eps, WeightDecay: a.WeightDecay}
}

// SGD is stochastic gradient descent with momentum and L2 weight decay
// (nn.SGD); weight decay applies to weight matrices only.
type SGD struct {
	LR          float64 `sym:"lr" min:"1e-12" max:"100" default:"0.01" doc:"learning rate (> 0)"`
	Momentum    float64 `min:"0" max:"0.999999" default:"0.9" doc:"momentum; 0 is plain SGD"`
	WeightDecay float64 `min:"0" max:"10" doc:"L2 weight decay"`
}

// LearningRate returns LR.
func (s SGD) LearningRate() float64 { return s.LR }

// New returns an nn.SGD.
func (s SGD) New() nn.Optimizer { return &nn.SGD{Momentum: s.Momentum, WeightDecay: s.WeightDecay} }
