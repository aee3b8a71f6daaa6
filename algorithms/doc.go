// Package algorithms holds the search algorithms: they see only a space's
// DNASpec, propose DNA and learn from the measurements fed back.
//
// Every algorithm implements the Algorithm interface (Setup, Propose,
// Feedback, and optionally Recover from a study's history) with documented
// zero-value defaults and an injected random source. The package holds
// random and grid search, evolution built from reusable selectors,
// mutators and recombinators (regularized evolution, hill climbing,
// NSGA-II), TPE, CMA-ES, and early-stopping policies.
//
// Package algorithms imports only space and symbolic (and gonum for
// CMA-ES's eigendecomposition).
package algorithms
