package main

import (
	"bytes"
	"encoding/json"

	"github.com/spf13/cobra"
)

// newBenchCmd builds the "goglove bench" verb group; its verbs live in
// cmd_bench_VERB.go. This file holds what they share: the JSON of their
// figures. The measuring is package searchbench's (blackbox, overhead,
// store) and package trainer/bench's (train, infer).
func newBenchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the search algorithms and the search loop",
		Long: `The bench verbs measure goglove on this machine, so that anyone can
reproduce the figures of docs/benchmarks.md:

  - bench blackbox runs search algorithms on standard black-box problems
    (branin, hartmann6, rosenbrock10, ackley10, ackley10asym) and reports
    the median regret over seeds and the framework's overhead per trial;
  - bench overhead measures the whole search loop per trial, with random
    search and regularized evolution, and the decoding of a program;
  - bench train measures the trainer: samples per second training MLPs,
    and GEMM GFLOP/s (with --torch, PyTorch's figures in the same run);
  - bench infer measures inference: examples per second of the forward
    pass of a 784-H-H-10 network on one core, by hidden width and batch;
  - bench store measures a store's cost per trial and how workers
    sharing a study on it scale.

Figures are medians, because a shared machine is noisy; run nothing else
meanwhile for the best figures.`,
		Example: `  goglove bench blackbox --problem branin --algo tpe
  goglove bench blackbox --problem all --algo all --json
  goglove bench overhead
  goglove bench train --torch
  goglove bench infer --json
  goglove bench store --store postgres://localhost/goglove`,
		Args:                       groupArgs,
		RunE:                       func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		SuggestionsMinimumDistance: 2, // as the root's: "inspct" suggests "inspect"
	}
	cmd.AddCommand(newBenchBlackboxCmd(), newBenchOverheadCmd(), newBenchTrainCmd(), newBenchInferCmd(), newBenchStoreCmd())
	return cmd
}

// orderedFloats is a JSON object of numbers whose keys keep their order,
// e.g. {"50": 0.1, "100": 0.01, "200": 0.001}.
type orderedFloats struct {
	keys   []string
	values []float64
}

func (o *orderedFloats) add(key string, v float64) {
	o.keys = append(o.keys, key)
	o.values = append(o.values, v)
}

// MarshalJSON implements json.Marshaler.
func (o orderedFloats) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteString(", ")
		}
		kb, _ := json.Marshal(k) // a string always marshals
		b.Write(kb)
		b.WriteString(": ")
		vb, err := json.Marshal(o.values[i])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// checkTimingFlags checks what the timing verbs (bench train, bench infer)
// share: no arguments, --seconds per figure in (0, 3600] and --runs in
// [1, 1000].
func checkTimingFlags(verb, usage string, args []string, seconds float64, runs int) error {
	switch {
	case len(args) > 0:
		return usageErrorf("%s: unexpected argument %q; usage: %s", verb, args[0], usage)
	case !(seconds > 0) || seconds > 3600:
		return usageErrorf("%s: --seconds is %v, want more than 0 and at most 3600", verb, seconds)
	case runs < 1 || runs > 1000:
		return usageErrorf("%s: --runs is %d, want 1 to 1000", verb, runs)
	}
	return nil
}
