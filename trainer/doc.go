// Package trainer evaluates child programs: small neural networks, defined
// as symbolic programs and trained in pure Go.
//
// The usual child program is a Classifier: a dataset (FashionMNIST, Synthetic), a
// model (Sequential, or its short form MLP), an optimizer (AdamW, SGD), a learning-rate schedule and a
// budget. Register adds these types to a symbolic.Registry, so a program
// can be written in YAML, decoded with its schema checked (bounds and
// enums, with key-path errors), turned into a search space, and bound to
// Go with symbolic.To. Train trains one program and returns its metrics;
// a Reporter receives the per-epoch validation metrics and may stop a
// trial early.
//
//	_type: trainer.Classifier
//	data: {_type: trainer.FashionMNIST, validation: 5000}
//	model: {_type: trainer.MLP, hidden: [256, 256, 256], activation: relu}
//	optimizer: {_type: trainer.AdamW, lr: 0.001, weight_decay: 0.0}
//	epochs: 5
//	batch: 500
//	seed: 0
//
// A Sequential lists its layers from the input to the logits, each a
// registered layer program (Dense, Activation, ReLU, GELU, Tanh,
// LayerNorm, Dropout, Identity, Residual) told its input width; a width that does not fit is
// an ErrProgram naming the key path and both widths
// ("model.layers[3].units: the last layer's width is 32, want 10"). An
// MLP expands to the Sequential it stands for (MLP.Expand) and builds
// that, so both give bit-identical networks for the same seed:
//
//	model:
//	  _type: trainer.Sequential
//	  layers:
//	  - {_type: trainer.Dense, units: 256, init: he_uniform}
//	  - {_type: trainer.ReLU}
//	  - _type: trainer.Residual
//	    body: [{_type: trainer.LayerNorm}, {_type: trainer.Dense, units: 256, init: he_uniform}, {_type: trainer.GELU}]
//	  - {_type: trainer.Dense, units: 10}
//
// Model-level defaults: a Sequential's activation (relu, gelu or tanh,
// default relu) and init (he_uniform, glorot_uniform, he_normal or
// torch_linear, default
// glorot_uniform) apply to its layers by one rule: a layer field left
// empty (omitted or null in a file, nil in Go) takes the value of the
// Sequential's field of the same name, and a value set on the layer
// overrides it. Activation's activation and Dense's init are such fields,
// in Residual bodies too, so one decision on model.activation searches
// every activation layer that names none:
//
//	model:
//	  _type: trainer.Sequential
//	  activation: !oneof [relu, gelu, tanh]
//	  init: he_uniform
//	  layers:
//	  - {_type: trainer.Dense, units: 128}            # init he_uniform, the model's
//	  - {_type: trainer.Activation}                   # the chosen activation
//	  - {_type: trainer.Dense, units: 64}
//	  - {_type: trainer.Activation, activation: tanh} # its own
//	  - {_type: trainer.Dense, units: 10, init: glorot_uniform}
//
// A Go literal's nil model fields stand for the declared defaults, so a
// decoded Sequential, one from symbolic.New and a Go literal with the same
// layers build the same network, and programs written before keep theirs
// (a Dense naming no init gets glorot_uniform, as it did). Sequential.Defaults
// resolves the model's values, Builder.Defaults hands them to each
// layer's Build, and Inherited lists every field left empty in a program
// or a space with the value it takes (the model's value, or the
// hyper-value that searches it), which goglove space inspect prints after
// the decision points. experiments/configs/sequential-defaults.yaml
// searches model.activation with one decision.
//
// Per-layer search spaces: every field of every layer is reachable by key
// path and searchable like any other field. A hyper-value may stand for a
// field (model.layers[1].units: !oneof [64, 128, 256]), for a whole layer
// (model.layers[2]: !oneof [{_type: trainer.Dense, units: 128},
// {_type: trainer.Identity}], Identity leaving the layer out) or for the
// whole list, whose length is then chosen: a !oneof over lists of
// different lengths is a conditional space, the depth decided first and
// each candidate list's own decisions (model.layers[1][0].units) only when
// it is chosen:
//
//	model:
//	  _type: trainer.Sequential
//	  layers: !oneof
//	  - [{_type: trainer.Dense, units: !oneof [64, 128, 256]}, {_type: trainer.ReLU}, {_type: trainer.Dense, units: 10}]
//	  - - {_type: trainer.Dense, units: !oneof [64, 128, 256]}
//	    - !oneof [{_type: trainer.ReLU}, {_type: trainer.GELU}]
//	    - !oneof [{_type: trainer.Dense, units: 128}, {_type: trainer.Identity}]
//	    - {_type: trainer.Dense, units: 10}
//
// The same space as a Go template (space.TemplateOf with hyper-values at
// the key paths) has the same DNASpec; define by run (space.Trace,
// space.Choose, space.ChooseFunc for the depth) has the same decision
// points, candidates and size and decodes each DNA to the same program,
// but its decision IDs are the names given to Choose, one key each, so
// "model.layers[1].units" shows quoted (["model.layers[1].units"]).
// experiments/configs/sequential-search.yaml searches such a space.
//
// A fine-tuning task is a variant of the data: FashionMNIST's transform
// (rot90, rot180, rot270, hflip, vflip, transpose, invert, applied in
// order) and classes (a subset, relabelled 0 to k−1, so the model has k
// outputs), each variant made once per process.
//
// A trained network is saved as a safetensors file (package
// trainer/checkpoint): TrainNetwork returns it with the metrics,
// NewCheckpoint names its tensors by parameter (layers[0].w) and keeps the
// program and metrics in the header, and LoadNetwork and Evaluate rebuild
// it from the program in the file and evaluate it without training, to
// the figures Train reported.
//
// # Programs, stages and the trained-model cache
//
// Anything the trainer runs to metrics is a Program (run.go): a
// Classifier trains a network; an Evaluation evaluates a trained model on
// the test split of its own or other data. A ModelProgram leaves a
// trained network (TrainedModel returns a Trained: the network, the
// Classifier it was trained from, its metrics): a Classifier, or a
// Checkpoint, a file goglove train --save wrote. Stages take their inputs
// as ModelPrograms, so a program can hold programs and a whole pipeline
// is one symbolic tree, and one search space (fine-tuning takes the same
// road, and merging will):
//
//	_type: trainer.Evaluation
//	model: {_type: trainer.Checkpoint, path: model.safetensors}  # or a trainer.Classifier
//	data: {_type: trainer.FashionMNIST, transform: [rot90]}
//
// A Merge (merge_program.go) is a stage over several ModelPrograms: it
// aligns their hidden units (WeightMatching, ActivationMatching, STE),
// combines them (Average, Interpolation, TaskArithmetic, TIES; package
// trainer/merge holds the algorithms) and is itself a ModelProgram.
//
// AsProgram binds a tree to its Program; Run takes an Env, which carries
// the Reporter and Progress of the run, the warnings (Notice) and the
// trained-model cache (package trainer/cache). Training is deterministic
// given the program, so with Env.Cache set a Classifier is looked up by
// its canonical form (Canonical: every field written out, so programs
// that train alike share one entry): a hit returns the network and the
// metrics recorded when it was trained, with cached = 1, and trains
// nothing; under a Reporter it replays the recorded per-epoch reports,
// and if the Reporter stops the replay before its end (early stopping),
// the program trains for real, since the cached result is not that of a
// stopped run. A miss trains once, however many processes ask at the same
// time, and stores the run unless it was stopped early or interrupted; a
// damaged entry is reported (Notice) and retrained. The built-in
// objectives trainer.classify and trainer.run and goglove train use the
// cache of the environment ($GOGLOVE_CACHE; "off" turns it off).
//
// The building blocks live in sub-packages: trainer/tensor (float32
// tensors), trainer/nn (layers with explicit backward passes, losses,
// optimizers, schedules), trainer/data (datasets, loaded once per process
// and shared between trials), trainer/checkpoint (the safetensors format),
// trainer/cache (the trained-model cache), trainer/bench (the speed
// measurements of goglove bench) and trainer/internal/kernels (the GEMM in
// Go assembly with run-time dispatch, and the element-wise kernels).
//
// Quantization: a Dense's quant names its quantizer program: trainer.FP32
// (float32 weights, the default), trainer.Int8 (per: tensor or row, the absmax
// scale of the matrix or of each output unit; norm: normalize the input
// first, default false) or trainer.Ternary (scale: absmean or absmedian,
// β = the mean or median of |W|; the input always normalized). Every
// quantized layer also quantizes its input to 8 bits per row by absmax,
// and trains fp32 shadow weights through the straight-through estimator
// (nn.QuantDense). quant is a model-level default like init: a Dense
// naming none takes the Sequential's quant (MLP.quant passes it on), and
// trainer.FP32 on a layer keeps it full precision; fp32_first and
// fp32_last keep the first and last layer of layers (when it is a Dense
// naming no quant) in fp32. All dense layers are quantized otherwise, the
// first and last included. Inherited lists the quant fields a model's
// quant fills (none when the model names no quant):
//
//	model: {_type: trainer.MLP, hidden: [64], quant: {_type: trainer.Ternary, scale: absmedian}, fp32_last: true}
//
// A quantized model's metrics count its storage as the checkpoint holds
// it: size_bits (fp32 values 32 bits; ternary weights 8·ceil(n/5) bits,
// five codes a byte, plus a 32-bit β; int8 weights 8 bits plus 32 bits a
// scale; biases 32 bits), bits_per_weight (the weight matrices' bits over
// their count, biases excluded) and zeros (the fraction of zero codes,
// averaged over the quantized layers). bits_per_weight and zeros are
// absent for an fp32 model. NewCheckpoint stores a quantized weight as its
// codes, "layers[0].w.codes" (U8 packed ternary, or I8 [in, out]), and
// "layers[0].w.scales" (F32), the shadow weights only with
// NewCheckpointWith's Shadow; LoadNetwork computes with the stored codes,
// so Evaluate reproduces the training run's test figures bit for bit.
// The trained-model cache stores the shadow weights too, so a quantized
// model from the cache is the one trained now, and a FineTune or Merge
// built on it does not depend on whether the cache was warm.
// quant.go holds the quantizers, save_quant.go the quantized checkpoint.
//
// Files: register.go (Register), program.go (the Classifier and its
// optimizers), model.go (Model, MLP), sequential.go (Sequential),
// layers.go (Layer, Width, Builder and the layer programs), defaults.go
// (Defaults, the model-level defaults), effective.go (Inherited), dataset.go
// (FashionMNIST, Synthetic), train.go (Train, TrainNetwork, Reporter,
// TrainOptions), loop.go and hooks.go (the training loop and its Hooks),
// save.go (NewCheckpoint, ProgramOf, MetricsOf, LoadNetwork, Evaluate),
// run.go (Program, ModelProgram, Trained, Env, AsProgram),
// classifier_run.go (a Classifier as a Program, Canonical),
// classifier_cache.go (the cache), checkpoint_program.go (Checkpoint),
// evaluation.go (Evaluation), merge_program.go, merge_align.go and
// merge_register.go (Merge, its alignments and combinations), errors.go.
//
// One trial trains one model on one goroutine; parallelism comes from
// running trials side by side. The program types are plain values, safe
// for concurrent use once built; Train may run concurrently on distinct
// Classifiers (or the same one: it does not modify it).
//
// # Fine-tuning
//
// FineTune (finetune*.go) is a ModelProgram that adapts its base, any
// ModelProgram, to a new task: a fresh head (or the base's kept), the
// target layers (key paths or patterns such as layers[*]; every hidden
// dense layer by default) trained by a FineTuneMethod — Full trains their
// weights, LoRA puts an nn.LoRA over each, merged after training and
// kept apart as an Adapter (its own safetensors file) — and every other
// layer frozen. Its metrics compare the result with the base:
// target_accuracy, orig_accuracy and orig_loss (the fine-tuned trunk
// under the base's head on the base's test set), trainable_params, the
// intruder dimensions of each target (package trainer/spectral), the
// effective rank of each update, and the figures after the intruders'
// singular values are scaled by each λ. TrainedModel returns the merged
// network with a Classifier describing it on the task's data, so an
// Evaluation, a checkpoint or another FineTune takes it as any trained
// model; FineTuneSequence runs a list of tasks, each stage's result the
// next one's base, measuring the forgetting of the base's and the first
// task after each stage. A quantized base's quantized layers stay frozen
// as it computes them; the targets are its fp32 hidden dense layers.
//
// Package trainer and its sub-packages import symbolic, the module's
// internal helpers (internal/stats) and golang.org/x/sys, never search,
// algorithms or experiments; the test of internal/layering checks it.
//
// # Training loop and hooks
//
// Train is a small loop (loop.go): per epoch, shuffle, then per batch a
// step — gather the batch, nn.Classifier's Gradients, its optimizer's
// Update — then evaluate the validation set, report, and at the end
// evaluate the test set. Features that change how a network trains add a
// Hooks value to TrainOptions.Hooks (hooks.go), never a branch in the
// loop: Start decides which parameters train (it freezes them,
// nn.Param.Frozen, or narrows the optimizer's nn.Classifier.Params),
// BeforeStep, BeforeUpdate (between the backward pass and the update)
// and AfterStep surround every step, EndEpoch adds metrics after each
// epoch's validation (they reach the Reporter and the returned metrics),
// and End adds metrics after the test evaluation. Each is given the Run —
// the program, the data splits, the network, its training wrapper and
// Run.Evaluate, which computes figures as the loop does — and the Step or
// EpochEnd at hand. A hook's error ends the run, wrapped with the point
// and the step. Hooks that only observe leave every figure bit-identical;
// without hooks a step does no work for them and allocates nothing.
//
// A supernet (supernet.go) relaxes a Sequential's categorical decisions
// for a weight-sharing search: a trainer.Mixed layer mixes its candidate
// layers by mixing weights (nn.Mixed; a width choice is one masked
// matrix, nn.MaskedDense), and Supernet.Step trains the shared weights
// on the training split and returns the validation loss's gradient with
// respect to the mixing weights (StepSecondOrder: after a virtual weight
// step, with a finite-difference Hessian-vector product). Package
// algorithms' Darts drives it through package experiments.
package trainer
