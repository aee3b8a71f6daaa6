// Package experiments holds the built-in objectives a search config can
// name, the example configs under experiments/configs, and reproductions
// of research results (goglove experiment NAME): BitNet, the protocol of
// BitNet b1.58 Reloaded (fp32 against ternary absmean and absmedian
// quantization-aware training on Fashion-MNIST) with its claims checked
// by CheckBitNet, and BitNetLayerSpace, a define-by-run space that
// chooses the quantizer of each layer.
//
// Builtins is the one road by which built-in objectives reach a caller
// of search.Config.Job (package search holds none of its own): it
// returns them all, by name. They are the bridge between package search
// and the packages that never import it. The black-box problems of
// algorithms/problems (BlackBox: branin, hartmann6, rosenbrock10,
// ackley10, ackley10asym) report value and regret over the problem's
// usual box. trainer.classify (Classify) trains each trial's trainer.Classifier
// program, reporting its validation metrics after every epoch through a
// trainer.Reporter over the trial (NewReporter), so that they reach the
// store and an early-stopping policy can stop the trial. A search config
// names it with
//
//	objective: {builtin: trainer.classify, metrics: {val_accuracy: maximize}}
//
// (see configs/quickstart.yaml and configs/fashion-mlp.yaml). trainer.run
// (Run) runs any trainer program (a trainer.Evaluation of a trained
// model, …) the same way. Both take trained models from the trained-model
// cache of the environment (trainer/cache.Default). hardware.classify
// (Hardware) trains a classifier the same way and measures its forward
// pass as deployed (kernel by its quantizer, threads, batch) on this
// machine's kernels, reporting latency_us; the hardware experiment
// (RunHardware, configs/hardware-nas.yaml) searches architectures with it
// inside a search over deployments.
//
// Each experiment's plots (the files its --out directory gets) are
// Figures: charts of package plots built from its results by pure
// functions (BitNetFigures, LMCFigures, LoRAFigures, HardwareFigures, each
// over series functions such as LMCLossSeries that golden tests
// compare), drawn by SaveFigures.
//
// Files: builtins.go (Builtins), blackbox.go (BlackBox), classify.go
// (Classify, Classifier, NewReporter), run.go (Run), bitnet*.go (the
// BitNet experiment, its claims and its per-layer space),
// hardware_objective.go (Hardware, DeployedNetworks, KernelOf),
// hardware.go (the hardware experiment), figures.go (Figure,
// SaveFigures) and *_figures.go (each experiment's plots).
// RunDarts (darts.go) runs the supernet phase of a study whose algorithm
// is darts, over the Supernet built from the study's space
// (darts_relax.go; for a trainer.FineTune space, the supernet of its LoRA
// rank method.rank, darts_finetune.go), before the search loop trains the
// derived programs.
// Sub-package searchbench measures the search algorithms on the
// black-box problems, the search loop's overhead and the stores, for
// goglove bench and for reports.
// Everything here is safe for concurrent use.
//
// Package experiments may import every other goglove package but the
// command line (the test of internal/layering checks it).
package experiments
