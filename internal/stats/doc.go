// Package stats holds the summary statistics that goglove's figures are
// made of, written once so that every benchmark, test and report computes
// them the same way: Median, and RoundSig for the figures they print.
//
// Median is the median every figure of docs/benchmarks.md reports: the
// middle value, or the mean of the two middle values for an even count
// (gonum's stat.Quantile with stat.Empirical would return the lower of
// the two instead).
//
// Package stats imports only the standard library, so that any package of
// the module, and its tests, can use it.
package stats
