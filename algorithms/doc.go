// Package algorithms holds the search algorithms: they see only a space's
// DNASpec, propose DNA and learn from the measurements fed back.
//
// Every algorithm implements the Algorithm interface (Setup, Propose,
// Feedback, and optionally Recover from a study's history) with documented
// zero-value defaults and an injected random source, and TrialProposer:
// it proposes for a numbered trial from a random stream derived from its
// seed and the trial's number, so that workers sharing a study agree on
// each trial and never draw alike. The package holds
// random and grid search, evolution built from reusable selectors,
// mutators and recombinators (regularized evolution, hill climbing,
// NSGA-II), TPE, CMA-ES, early-stopping policies, and Dedup, which wraps
// any of them so that no DNA is proposed twice (falling back to an unseen
// one when the inner algorithm repeats itself).
//
// Algorithms are symbolic programs: Register adds them, their parts
// (selectors, mutators, recombinators) and the stopping policies to a
// registry as types (register.go), whose fields' tags are the schema, so
// that a config holds one as {_type: algorithms.RegularizedEvolution,
// population: 100, selector: {_type: algorithms.Tournament, size: 10}},
// and a search space may choose among them like among any programs. New
// and NewStoppingPolicy build them from a config section (factory.go): a
// program of those types, or the short form {name: evolution,
// population: 100}, whose name stands for a type and whose other keys
// are its fields, so that the search loop names no concrete algorithm.
// Unknown fields, wrong kinds and out-of-range values are errors naming
// the key path (algorithm.population).
//
// Two algorithms learn a policy rather than a population: Darts, a
// DARTS-like search over a Relaxation (relaxation.go, the contract a
// weight-sharing supernet implements: given mixing weights, a weight step
// and the validation gradient), which proposes the derived programs; and
// Reinforce, a REINFORCE controller over the OneOf decisions of any
// space.
//
// Package algorithms imports only space and symbolic (and gonum for
// CMA-ES's eigendecomposition); the test of internal/layering checks it.
package algorithms
