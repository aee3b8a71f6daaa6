package main

import "github.com/spf13/cobra"

// newExperimentCmd builds the "goglove experiment" verb group: the
// reproductions of research results, one verb each, in
// cmd_experiment_NAME.go.
func newExperimentCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "experiment",
		Short: "Reproduce a research result with a fixed protocol",
		Long: `The experiment verbs reproduce published results with a fixed protocol
written in Go (package experiments), so that the figures can be compared
with those of an independent implementation. Each trains its grid of
child programs through the trainer and the trained-model cache (so a
second run trains nothing new), prints one row per run, and then checks
the claims of the result in words, saying whether the figures bear them
out, whichever way they come out.

The experiments:

    goglove experiment bitnet   1.58-bit (ternary) quantization-aware training of
                                small perceptrons on Fashion-MNIST against fp32
                                ("BitNet b1.58 Reloaded", Nielsen and
                                Schneider-Kamp 2024)
    goglove experiment lmc      linear mode connectivity of networks trained from
                                different seeds, after weight matching and STE
                                (Ainsworth et al. 2023; Ito et al. 2024)
    goglove experiment lora     LoRA, rsLoRA and full fine-tuning on rotated
                                Fashion-MNIST: intruder dimensions and forgetting
                                ("LoRA vs Full Fine-tuning: An Illusion of
                                Equivalence", Shuttleworth et al. 2024)
    goglove experiment hardware hardware-aware architecture search: architectures
                                of Fashion-MNIST classifiers inside a search over
                                deployments (kernel, threads, batch, latency budget)
    goglove experiment nas      search with and without weight sharing (DARTS, GDAS,
                                ENAS, single-path one-shot, REINFORCE, evolution,
                                TPE, random) against an exhaustive ground truth

Every experiment has a --quick mode, a small grid that runs in seconds,
and --json for one JSON object per run. A wrong flag or argument is bad
input (exit code 2).`,
		Example: `  goglove experiment bitnet --quick
  goglove experiment bitnet --json --out results/bitnet
  goglove experiment lmc --quick
  goglove experiment lora --quick`,
		Args:                       groupArgs,
		RunE:                       func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		SuggestionsMinimumDistance: 2,
	}
	cmd.AddCommand(newExperimentBitNetCmd())
	cmd.AddCommand(newExperimentLMCCmd())
	cmd.AddCommand(newExperimentLoRACmd())
	cmd.AddCommand(newExperimentHardwareCmd())
	cmd.AddCommand(newExperimentNASCmd())
	return cmd
}
