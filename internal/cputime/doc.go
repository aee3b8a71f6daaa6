// Package cputime measures the CPU time of the process, for benchmarks
// on shared machines: wall time per operation grows with other jobs' load,
// the process's own CPU time much less.
package cputime
