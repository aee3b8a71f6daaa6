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
// Package algorithms imports only space and symbolic (and gonum for
// CMA-ES's eigendecomposition); the test of internal/layering checks it.
package algorithms
