package experiments

import (
	"context"
	"fmt"

	"github.com/c2602f9e/goglove/trainer"
)

// The LoRA experiment reproduces, on Fashion-MNIST, the result of
// "LoRA vs Full Fine-tuning: An Illusion of Equivalence" (Shuttleworth et
// al. 2024): LoRA and full fine-tuning reach similar accuracy on a new
// task while changing the pre-trained weights differently; low-rank LoRA
// makes intruder dimensions (new top singular vectors unlike any of the
// pre-trained matrix), full fine-tuning does not; models with them forget
// more of the pre-training task, also over a sequence of tasks; and
// high-rank rank-stabilized LoRA behaves like full fine-tuning.
//
// The protocol, so that an independent implementation can run the same:
// pre-train a 784-256-256-10 perceptron (ReLU; He-normal hidden weights,
// a Glorot-uniform output layer, zero biases) on all 60,000 training
// images (no validation set), pixels scaled to [0, 1] then standardized
// with mean 0.2860 and deviation 0.3530, with Adam (lr 1e-3, β 0.9,
// 0.999, ε 1e-8, no weight decay), batch 256, 10 epochs, seed 0 (the
// fine-tunes too; LoRAOptions.Seed changes both). Then
// fine-tune the two hidden matrices and their biases, with a new head
// (Glorot-uniform, zero bias, seed 0), on the images rotated by 90° for
// 3 epochs at batch 256 with Adam: full fine-tuning at lr 1e-4; LoRA at
// lr 1e-3 with ranks 1, 2, 4, 8, 16 and 64, each with α = 2r (γ = 2) and
// with rsLoRA at α = 8 (γ = 8/√r); and a null baseline, full fine-tuning
// at lr 1e-4 on the original images with the head kept. Intruders are
// counted among the top 10 left singular vectors of each fine-tuned
// hidden matrix (out×in) at ε = 0.5, and the λ mitigation scales their
// singular values by 0.75 and 0.5. Forgetting is the fine-tuned trunk
// under the pre-trained head on the 10,000 original test images. Then
// the sequence rot90, rot180, rot270, hflip, vflip, invert, each stage
// fine-tuning the last (new head, same budget), for full fine-tuning,
// LoRA r = 1 (α = 2) and LoRA r = 64 rsLoRA (α = 8), with after each
// stage the accuracy on the pre-training task (pre-trained head) and on
// the first task, rot90 (its stage's head).

// Defaults of the LoRA experiment's protocol.
var (
	// LoRARanks are the LoRA ranks of the full protocol.
	LoRARanks = []int{1, 2, 4, 8, 16, 64}
	// LoRASequence is the sequence of tasks, transforms of the images.
	LoRASequence = []string{"rot90", "rot180", "rot270", "hflip", "vflip", "invert"}
	// LoRAQuickRanks and LoRAQuickSequence are those of the quick mode.
	LoRAQuickRanks    = []int{1, 8}
	LoRAQuickSequence = []string{"rot90", "rot180"}
)

const (
	// LoRAHidden is the hidden width of the full protocol.
	LoRAHidden = 256
	// LoRAPretrainEpochs and LoRAEpochs are the epochs of pre-training
	// and of each fine-tune.
	LoRAPretrainEpochs = 10
	LoRAEpochs         = 3
	// LoRABatch is the batch size of every run.
	LoRABatch = 256
	// LoRAPretrainLR, LoRAFullLR and LoRALR are the learning rates of
	// pre-training, of full fine-tuning (and the null baseline) and of
	// LoRA.
	LoRAPretrainLR = 1e-3
	LoRAFullLR     = 1e-4
	LoRALR         = 1e-3
	// LoRARSAlpha is rsLoRA's α.
	LoRARSAlpha = 8
	// LoRAHighRank is the rank of the rsLoRA run of the sequence.
	LoRAHighRank = 64
	// LoRAQuickHidden and LoRAQuickHighRank are the quick mode's width and
	// high rank; it trains 1 epoch everywhere.
	LoRAQuickHidden   = 32
	LoRAQuickHighRank = 8
)

// LoRAOptions is the size of a LoRA experiment; empty fields take the
// protocol's values. Quick sets every empty field to the quick mode's (a
// 784-32-32-10 network, 1 epoch, ranks 1 and 8, two tasks).
type LoRAOptions struct {
	Quick          bool
	Hidden         int
	PretrainEpochs int
	Epochs         int
	Ranks          []int
	Sequence       []string
	HighRank       int
	// Seed seeds the pre-training and every fine-tune (0, the protocol's,
	// by default): other seeds measure how far one seed can be trusted.
	Seed int64
}

// withDefaults returns o with its empty fields at the protocol's (or
// the quick mode's) values.
func (o LoRAOptions) withDefaults() LoRAOptions {
	def := LoRAOptions{Hidden: LoRAHidden, PretrainEpochs: LoRAPretrainEpochs, Epochs: LoRAEpochs, Ranks: LoRARanks, Sequence: LoRASequence, HighRank: LoRAHighRank}
	if o.Quick {
		def = LoRAOptions{Hidden: LoRAQuickHidden, PretrainEpochs: 1, Epochs: 1, Ranks: LoRAQuickRanks, Sequence: LoRAQuickSequence, HighRank: LoRAQuickHighRank}
	}
	if o.Hidden == 0 {
		o.Hidden = def.Hidden
	}
	if o.PretrainEpochs == 0 {
		o.PretrainEpochs = def.PretrainEpochs
	}
	if o.Epochs == 0 {
		o.Epochs = def.Epochs
	}
	if len(o.Ranks) == 0 {
		o.Ranks = def.Ranks
	}
	if o.Sequence == nil {
		o.Sequence = def.Sequence
	}
	if o.HighRank == 0 {
		o.HighRank = def.HighRank
	}
	return o
}

// Check reports the first value of o out of range, naming its field.
func (o LoRAOptions) Check() error {
	o = o.withDefaults()
	switch {
	case o.Hidden < 1 || o.Hidden > 65536:
		return fmt.Errorf("experiments: lora: hidden: %d is out of range; want 1 to 65536", o.Hidden)
	case o.PretrainEpochs < 1 || o.PretrainEpochs > 100000:
		return fmt.Errorf("experiments: lora: pretrain_epochs: %d is out of range; want 1 to 100000", o.PretrainEpochs)
	case o.Epochs < 1 || o.Epochs > 100000:
		return fmt.Errorf("experiments: lora: epochs: %d is out of range; want 1 to 100000", o.Epochs)
	case o.Seed < 0:
		return fmt.Errorf("experiments: lora: seed: %d is out of range; want 0 or more", o.Seed)
	case o.HighRank < 1 || o.HighRank > o.Hidden:
		return fmt.Errorf("experiments: lora: high_rank: %d is out of range; want 1 to the hidden width %d", o.HighRank, o.Hidden)
	}
	for i, r := range o.Ranks {
		if r < 1 || r > o.Hidden {
			return fmt.Errorf("experiments: lora: ranks[%d]: %d is out of range; want 1 to the hidden width %d", i, r, o.Hidden)
		}
	}
	for i, t := range o.Sequence {
		if !validTransform(t) {
			return fmt.Errorf("experiments: lora: sequence[%d]: %q is not a task; want one of rot90, rot180, rot270, hflip, vflip, invert", i, t)
		}
	}
	return nil
}

func validTransform(t string) bool {
	for _, s := range LoRASequence {
		if s == t {
			return true
		}
	}
	return false
}

// Pretrain returns the pre-training program: the protocol as a
// trainer.Classifier, every field set, so that its canonical form (the
// key of the trained-model cache) does not depend on defaults.
func (o LoRAOptions) Pretrain() *trainer.Classifier {
	o = o.withDefaults()
	he, out := "he_normal", "glorot_uniform"
	return &trainer.Classifier{
		Data: loraData(),
		Model: trainer.Sequential{Activation: new("relu"), Init: new("glorot_uniform"), Layers: []trainer.Layer{
			trainer.Dense{Units: o.Hidden, Bias: true, Init: &he}, trainer.ReLU{},
			trainer.Dense{Units: o.Hidden, Bias: true, Init: &he}, trainer.ReLU{},
			trainer.Dense{Units: 10, Bias: true, Init: &out},
		}},
		Optimizer: adam(LoRAPretrainLR),
		Epochs:    o.PretrainEpochs, Batch: LoRABatch, Seed: o.Seed, Schedule: "constant",
	}
}

// loraData returns the standardized images, transformed by transforms.
func loraData(transforms ...string) trainer.FashionMNIST {
	return trainer.FashionMNIST{Validation: 0, Transform: transforms, Standardize: true}
}

func adam(lr float64) trainer.AdamW {
	return trainer.AdamW{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
}

// LoRARun is one fine-tune of the experiment: Method "null", "full" or
// "lora", with LoRA's Rank, Alpha and RSLoRA.
type LoRARun struct {
	Method string
	Rank   int
	Alpha  float64
	RSLoRA bool
}

// String names the run: "null", "full", "lora r=8 α=16", "lora r=8
// rsLoRA α=8".
func (r LoRARun) String() string {
	if r.Method != "lora" {
		return r.Method
	}
	if r.RSLoRA {
		return fmt.Sprintf("lora r=%d rsLoRA α=%g", r.Rank, r.Alpha)
	}
	return fmt.Sprintf("lora r=%d α=%g", r.Rank, r.Alpha)
}

// Gamma returns the run's scale γ (0 without an adapter).
func (r LoRARun) Gamma() float64 {
	if r.Method != "lora" {
		return 0
	}
	return trainer.LoRA{Rank: r.Rank, Alpha: r.Alpha, RSLoRA: r.RSLoRA}.Gamma()
}

// Runs returns the fine-tunes on the first task in the order they run:
// the null baseline, full fine-tuning, then per rank LoRA with α = 2r
// and with rsLoRA at α = 8.
func (o LoRAOptions) Runs() []LoRARun {
	o = o.withDefaults()
	out := []LoRARun{{Method: "null"}, {Method: "full"}}
	for _, r := range o.Ranks {
		out = append(out, LoRARun{Method: "lora", Rank: r, Alpha: 2 * float64(r)}, LoRARun{Method: "lora", Rank: r, Alpha: LoRARSAlpha, RSLoRA: true})
	}
	return out
}

// SequenceRuns returns the methods of the sequential protocol: full
// fine-tuning, LoRA r = 1 (α = 2) and LoRA at the high rank with rsLoRA
// (α = 8).
func (o LoRAOptions) SequenceRuns() []LoRARun {
	o = o.withDefaults()
	return []LoRARun{{Method: "full"}, {Method: "lora", Rank: 1, Alpha: 2}, {Method: "lora", Rank: o.HighRank, Alpha: LoRARSAlpha, RSLoRA: true}}
}

// FineTune returns the run's program on the task data from base (the
// pre-training program, or the previous stage of a sequence).
func (o LoRAOptions) FineTune(r LoRARun, base trainer.ModelProgram, task trainer.Dataset) trainer.FineTune {
	o = o.withDefaults()
	f := trainer.FineTune{
		Base: base, Task: task, Head: "new",
		Method:    trainer.Full{},
		Optimizer: adam(LoRAFullLR),
		Epochs:    o.Epochs, Batch: LoRABatch, Seed: o.Seed,
		K: trainer.DefaultIntruderK, Eps: trainer.DefaultIntruderEps, Lambdas: []float64{0.75, 0.5},
	}
	switch r.Method {
	case "null":
		f.Head = "keep"
	case "lora":
		f.Method = trainer.LoRA{Rank: r.Rank, Alpha: r.Alpha, RSLoRA: r.RSLoRA, Bias: true}
		f.Optimizer = adam(LoRALR)
	}
	return f
}

// SequenceProgram returns the sequential protocol of r from base: a
// trainer.FineTuneSequence over o.Sequence with r's method.
func (o LoRAOptions) SequenceProgram(r LoRARun, base trainer.ModelProgram) trainer.FineTuneSequence {
	o = o.withDefaults()
	f := o.FineTune(r, base, nil)
	tasks := make([]trainer.Dataset, len(o.Sequence))
	for i, t := range o.Sequence {
		tasks[i] = loraData(t)
	}
	return trainer.FineTuneSequence{
		Base: base, Tasks: tasks, Head: f.Head, Method: f.Method, Optimizer: f.Optimizer,
		Epochs: f.Epochs, Batch: f.Batch, Seed: f.Seed, K: f.K, Eps: f.Eps, Lambdas: f.Lambdas,
	}
}

// runFineTune runs r from base, the trained pre-training that
// baseProgram stands for: with env's cache through it (a fine-tune run
// before is read back, its base never rebuilt), else from base itself.
func (o LoRAOptions) runFineTune(ctx context.Context, env *trainer.Env, r LoRARun, baseProgram trainer.ModelProgram, base *trainer.Trained, task trainer.Dataset) (*trainer.FineTuned, error) {
	f := o.FineTune(r, baseProgram, task)
	var res *trainer.FineTuned
	var err error
	if env != nil && env.Cache != nil {
		res, err = f.Tune(ctx, env)
	} else {
		res, err = f.TuneFrom(ctx, env, base)
	}
	if err != nil {
		return nil, fmt.Errorf("experiments: lora: %s: %w", r, err)
	}
	return res, nil
}
