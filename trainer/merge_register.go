package trainer

import "github.com/c2602f9e/goglove/symbolic"

// registerMerge adds trainer.Merge and its alignments and combinations.
func registerMerge(r *symbolic.Registry) error {
	for _, reg := range []func(*symbolic.Registry) error{
		func(r *symbolic.Registry) error {
			return symbolic.Register[WeightMatching](r, "trainer.WeightMatching", "aligns hidden units by the weights: coordinate descent over the layers, one exact linear assignment a step")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[ActivationMatching](r, "trainer.ActivationMatching", "aligns hidden units by the correlations of their activations over batches of training data")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[STE](r, "trainer.STE", "learns the alignment through the merged model's loss at the midpoint (straight-through estimator), from weight matching")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[NoAlignment](r, "trainer.NoAlignment", "leaves the hidden units as they are (naive merging)")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Average](r, "trainer.Average", "the weighted mean of the models' parameters")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Interpolation](r, "trainer.Interpolation", "the point (1-λ)·θ_0 + λ·θ_1 between two models")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[TaskArithmetic](r, "trainer.TaskArithmetic", "the base plus the scaled sum of the models' task vectors")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[TIES](r, "trainer.TIES", "TIES merging of task vectors: trim, elect sign, disjoint mean")
		},
		func(r *symbolic.Registry) error {
			return symbolic.Register[Merge](r, "trainer.Merge", "merges trained models: aligns their hidden units, combines them, evaluates the result")
		},
	} {
		if err := reg(r); err != nil {
			return err
		}
	}
	return nil
}
