package trainer

import "github.com/c2602f9e/goglove/symbolic"

// Register adds the trainer's program types to r under stable names:
// trainer.Classifier, trainer.MLP, trainer.AdamW, trainer.SGD,
// trainer.FashionMNIST and trainer.Synthetic. It fails if a name is
// already taken in r.
func Register(r *symbolic.Registry) error {
	for _, reg := range []func(*symbolic.Registry) error{
		func(r *symbolic.Registry) error {
			return symbolic.Register[FashionMNIST](r, "trainer.FashionMNIST", "the Fashion-MNIST images (Xiao et al. 2017), 784 features, 10 classes; optionally transformed (transform) or a subset of the classes, relabelled (classes)")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Synthetic](r, "trainer.Synthetic", "a deterministic synthetic classification set built into the binary")
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
	} {
		if err := reg(r); err != nil {
			return err
		}
	}
	return nil
}
