package trainer

import "github.com/c2602f9e/goglove/symbolic"

// Register adds the trainer's program types to r under stable names:
// trainer.Classifier, trainer.Sequential, trainer.MLP, trainer.AdamW,
// trainer.SGD, trainer.FashionMNIST and trainer.Synthetic, the stages
// trainer.Checkpoint and trainer.Evaluation, the fine-tuning stage
// trainer.FineTune and trainer.FineTuneSequence with their methods trainer.Full and trainer.LoRA, and the layers of a
// Sequential: trainer.Dense, trainer.Activation, trainer.ReLU,
// trainer.GELU, trainer.Tanh, trainer.LayerNorm, trainer.Dropout,
// trainer.Identity and trainer.Residual; and the quantizers of Dense
// layers: trainer.FP32, trainer.Int8 and trainer.Ternary. It fails if a name is already
// taken in r.
func Register(r *symbolic.Registry) error {
	for _, reg := range []func(*symbolic.Registry) error{
		func(r *symbolic.Registry) error {
			return symbolic.Register[FashionMNIST](r, "trainer.FashionMNIST", "the Fashion-MNIST images (Xiao et al. 2017), 784 features, 10 classes; optionally transformed (transform) or a subset of the classes, relabelled (classes)")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Synthetic](r, "trainer.Synthetic", "a deterministic synthetic classification set built into the binary")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[FP32](r, "trainer.FP32", "no quantization: float32 weights, 32 bits each")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Int8](r, "trainer.Int8", "int8 weights by absmax, per tensor or per output row, and 8-bit absmax activations")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Ternary](r, "trainer.Ternary", "ternary weights {-1, 0, 1} times an absmean or absmedian scale, with a parameter-free LayerNorm and 8-bit absmax activations (BitNet b1.58)")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Dense](r, "trainer.Dense", "a fully connected layer")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Activation](r, "trainer.Activation", "an activation function by name (relu, gelu, tanh), by default the model's")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[ReLU](r, "trainer.ReLU", "the rectified linear unit, max(x, 0)")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[GELU](r, "trainer.GELU", "the Gaussian error linear unit (exact erf form)")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Tanh](r, "trainer.Tanh", "the hyperbolic tangent")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[LayerNorm](r, "trainer.LayerNorm", "per-row normalization with an optional learned gain and bias")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Dropout](r, "trainer.Dropout", "inverted dropout in training, the identity in evaluation")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Identity](r, "trainer.Identity", "the identity layer")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Residual](r, "trainer.Residual", "adds its input to the output of its body")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Sequential](r, "trainer.Sequential", "a network written layer by layer, from the input to the logits")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[MLP](r, "trainer.MLP", "a multi-layer perceptron classifier")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[AdamW](r, "trainer.AdamW", "Adam with decoupled weight decay (Loshchilov & Hutter 2019)")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[SGD](r, "trainer.SGD", "stochastic gradient descent with momentum and L2 weight decay")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Classifier](r, "trainer.Classifier", "a classifier trained with mini-batches: data, model, optimizer, schedule and budget")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Checkpoint](r, "trainer.Checkpoint", "a trained model read from a safetensors file (goglove train --save)")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Evaluation](r, "trainer.Evaluation", "evaluates a trained model on the test split of a dataset, its own or another")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Full](r, "trainer.Full", "full fine-tuning: the target layers' weights train directly")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[LoRA](r, "trainer.LoRA", "low-rank adaptation: W = W0 + γ·B·A on the target layers, W0 frozen (Hu et al. 2021; rsLoRA, Kalajdzievski 2023)")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[FineTune](r, "trainer.FineTune", "fine-tunes a trained model on a new task (full or LoRA), with forgetting and intruder dimensions in its metrics")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[FineTuneSequence](r, "trainer.FineTuneSequence", "fine-tunes a trained model over a list of tasks in order, with the forgetting of the base's and the first task after each stage")
		},
	} {
		if err := reg(r); err != nil {
			return err
		}
	}
	return registerMerge(r)
}
