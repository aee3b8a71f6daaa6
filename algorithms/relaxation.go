package algorithms

import (
	"context"

	"github.com/c2602f9e/goglove/space"
)

// Relaxation is a differentiable relaxation of some of a space's
// categorical decisions: a supernet in which each relaxed decision is a
// mixture of its candidates. It is the contract between a gradient-based
// architecture search (Darts) and whatever trains the supernet; package
// algorithms knows nothing of what is trained (package trainer
// implements it, package experiments wires the two).
//
// The algorithm owns the architecture logits α and turns them into the
// mixing weights of each decision (softmax(α/τ), or a Gumbel-softmax
// sample); the relaxation only sees those weights. A Relaxation is used
// from one goroutine at a time.
type Relaxation interface {
	// Decisions lists the relaxed decisions, each a OneOf decision point
	// of the space (by its ID) with its number of candidates. The list
	// and its order do not change.
	Decisions() []RelaxedDecision
	// Step runs one weight step of the supernet on training data with
	// the given mixing weights (weights[i] is the distribution over the
	// candidates of Decisions()[i]; each sums to 1), then evaluates the
	// loss on validation data with the updated weights, and returns that
	// loss's gradient with respect to the mixing weights (first-order
	// bilevel optimisation: the weights' dependence on α is ignored).
	Step(ctx context.Context, weights [][]float64) (StepResult, error)
}

// RelaxedDecision is one decision a Relaxation relaxes.
type RelaxedDecision struct {
	// ID is the decision point's ID in the space's DNASpec.
	ID string
	// Candidates is its number of candidates.
	Candidates int
}

// StepResult is what one Step of a Relaxation measured.
type StepResult struct {
	// TrainLoss is the training loss of the weight step.
	TrainLoss float64
	// ValLoss is the validation loss after the weight step.
	ValLoss float64
	// ValAccuracy is the validation accuracy after the step, or NaN when
	// the relaxation does not measure one.
	ValAccuracy float64
	// Grad holds dValLoss/dweights, shaped like the weights given to Step.
	Grad [][]float64
}

// Holder is implemented by a Relaxation that knows the value of the
// decisions it does not relax (held at a value a config gives): the
// derived DNA takes them from Hold. Without it, or when Hold reports
// false, a OneOf that is not relaxed takes its first candidate and a
// Float or an Int its minimum; a ManyOf or a Permutation that is not
// relaxed is an error.
type Holder interface {
	Hold(p *space.DecisionPoint) (space.DNA, bool)
}

// SecondOrder is implemented by a Relaxation that can take DARTS's
// second-order step: StepSecondOrder is Step, except that the gradient
// returned is that of the validation loss after a virtual weight step,
// L_val(w − ξ∇_w L_train(w)), with its Hessian-vector product
// approximated by finite differences. xi is ξ; 0 takes the relaxation's
// weight learning rate.
type SecondOrder interface {
	StepSecondOrder(ctx context.Context, weights [][]float64, xi float64) (StepResult, error)
}
