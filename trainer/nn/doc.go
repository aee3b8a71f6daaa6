// Package nn holds the trainer's neural-network building blocks: layers
// with explicit forward and backward passes (Dense, ReLU, GELU, Tanh,
// LayerNorm, Dropout, Identity), the Sequential and Residual containers,
// the fused softmax cross-entropy loss, optimizers (SGD with momentum,
// AdamW), learning-rate schedules (constant, cosine, linear warm-up) and
// Classifier, the training wrapper that ties a network, the loss, an
// optimizer and a schedule into a training step. Networks are described
// once, by the layer programs of package trainer, which build them from
// these layers.
//
// # Buffers
//
// Every layer owns its output and input-gradient buffers and reuses them
// from batch to batch; they grow only when a batch has more rows than any
// before it. A steady-state training step therefore allocates nothing. The
// tensors a layer returns stay valid until its next Forward or Backward.
//
// # Parameters
//
// Parameters are named as in the model that holds them:
// "layers[0].w" is the [in×out] weight matrix of the first layer of a
// Sequential, "layers[0].b" its bias, and a Residual's prefix its body's
// with "body." ("layers[2].body.layers[0].w"). Params gives each parameter's value,
// gradient and shape, so that quantization, LoRA and model merging can
// reach every weight matrix. Master weights are float32; the matrix
// products go through the kernels package, whose dispatch may run them in
// lower precision.
//
// Each parameter has a Role — weight, bias, gain, adapter or arch_logit —
// set by its layer, and a Frozen flag; the containers' renamed parameters
// keep both and share the layers' tensors. Code that treats parameters
// differently selects them by role (ParamsByRole, Select with HasRole,
// Trainable, Decayed), never by name: SGD and AdamW decay the weights and
// adapters and skip frozen parameters entirely, and a Classifier's Params
// (all of its network's by default) are those its optimizer updates.
//
// # Quantization
//
// QuantDense is a Dense trained with quantization in the loop: it keeps
// fp32 shadow weights (its "w", RoleWeight) and computes with their
// quantized value Ŵ and with 8-bit activations, gradients passing straight
// through to the shadow weights. The formats (WeightFormat) are ternary
// (codes {−1, 0, 1} times β = mean or median of |W|) and int8 (codes
// [−127, 127] times absmax/127, per matrix or per output unit); the input
// row is optionally normalized (a LayerNorm without gain or bias), then
// quantized by its absmax, q = clip(round(x·127/s), −127, 127), x̂ =
// q·(s/127). Rounding is half to even, in float32. The exact arithmetic is
// in QuantizeWeights, Dequantize and QuantizeActivationRow, exported so
// that integer inference kernels compute the same codes; Codes, Scales
// and Weights expose a layer's, PackTernary and UnpackTernary store
// ternary codes five to a byte (byte = Σ (c_i+1)·3^i). StorageOf counts a
// network's stored bits (a Sizer's own, else 32 a value) and QuantLayers
// finds its quantized layers.
//
// # Low-rank adapters
//
// LoRA adapts a frozen Dense in the paper's out×in orientation, W = W0 +
// γ·B·A (A Rank×In uniform in ±1/√In, B Out×Rank zero, γ from
// LoRAScale: α/r, or α/√r for rsLoRA), computing X·W0 + b + γ·(X·Aᵀ)·Bᵀ
// without forming B·A; its parameters are A and B (RoleAdapter) and
// optionally the bias, never W0. Merged folds the update into a plain
// Dense, Delta returns it as a matrix for spectral analysis. Freeze marks
// parameters Frozen, to train only part of a network (full fine-tuning of
// chosen layers).
//
// # Determinism
//
// Initialization and dropout draw from math/rand/v2 PCG sources seeded by
// the caller: the same seed gives bit-identical weights, masks and metrics.
//
// # Files
//
// layer.go (Layer), param.go (Param, Role, the parameter filters),
// dense.go, activation.go (ReLU, GELU, Tanh),
// layernorm.go, dropout.go, sequential.go, residual.go (Residual,
// Identity), loss.go (softmax
// cross-entropy), init.go (He and Glorot initialization, seeded sources),
// optimizer.go (SGD, AdamW), schedule.go, classifier.go (Classifier with
// TrainStep, its halves Gradients and Update, and Evaluate), quant.go (the
// formats and their arithmetic), quant_dense.go (QuantDense),
// quant_pack.go (ternary packing), quant_size.go (Storage, Sizer,
// StorageOf, QuantLayers), lora.go (LoRA, LoRAScale, Freeze).
//
// # Concurrency
//
// Layers, models and optimizers are not safe for concurrent use: one
// model trains on one goroutine. Distinct models share nothing.
package nn
