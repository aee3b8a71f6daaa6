package trainer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// ErrCheckpoint is wrapped by the errors of ProgramOf and Evaluate about a
// checkpoint that does not fit its program: metadata missing or not
// decodable, a parameter missing, unexpected or of another shape.
var ErrCheckpoint = errors.New("trainer: checkpoint does not match its program")

// NewCheckpoint returns the checkpoint of net, trained from program (a
// trainer.Classifier tree, such as the one TrainNetwork's Classifier was
// bound from): one checkpoint.Tensor per parameter of net, in net's order,
// named by the parameter's full name ("layers[0].w", "layers[2].body.layers[0].b")
// with its shape, its values copied — but a quantized layer's weights as
// their codes and scales (see NewCheckpointWith); and the metadata
// checkpoint.KeyProgram (the canonical YAML of program, symbolic.EncodeYAML),
// checkpoint.KeyMetrics (metrics as a JSON object), checkpoint.KeyRoles
// (each parameter's role, so that tools select tensors by role, not by
// name) and checkpoint.KeyVersion (version, omitted when empty).
func NewCheckpoint(program symbolic.Value, net *nn.Sequential, metrics map[string]float64, version string) (*checkpoint.Checkpoint, error) {
	return NewCheckpointWith(program, net, metrics, version, CheckpointOptions{})
}

// newCheckpointMeta returns a checkpoint without tensors holding the
// metadata of program, metrics, net's parameter roles and version.
func newCheckpointMeta(program symbolic.Value, net *nn.Sequential, metrics map[string]float64, version string) (*checkpoint.Checkpoint, error) {
	yaml, err := symbolic.EncodeYAML(program)
	if err != nil {
		return nil, fmt.Errorf("trainer: checkpoint program: %w", err)
	}
	mj, err := json.Marshal(metrics)
	if err != nil {
		return nil, fmt.Errorf("trainer: checkpoint metrics: %w", err)
	}
	roles := make(map[string]string, len(net.Params()))
	for _, p := range net.Params() {
		roles[p.Name] = p.Role.String()
	}
	rj, err := json.Marshal(roles)
	if err != nil {
		return nil, fmt.Errorf("trainer: checkpoint roles: %w", err)
	}
	ckpt := &checkpoint.Checkpoint{Metadata: map[string]string{
		checkpoint.KeyProgram: string(yaml),
		checkpoint.KeyMetrics: string(mj),
		checkpoint.KeyRoles:   string(rj),
	}}
	if version != "" {
		ckpt.Metadata[checkpoint.KeyVersion] = version
	}
	return ckpt, nil
}

// ProgramOf decodes the program stored in ckpt's metadata with a registry
// holding the trainer's types and binds it to a Classifier. Errors wrap
// ErrCheckpoint, or ErrProgram for a program Train would reject.
func ProgramOf(ckpt *checkpoint.Checkpoint) (*Classifier, error) {
	text, ok := ckpt.Metadata[checkpoint.KeyProgram]
	if !ok {
		return nil, fmt.Errorf("%w: no %s metadata", ErrCheckpoint, checkpoint.KeyProgram)
	}
	reg := symbolic.NewRegistry()
	if err := Register(reg); err != nil {
		return nil, fmt.Errorf("trainer: registering the trainer's types: %w", err)
	}
	tree, err := reg.DecodeYAML([]byte(text), &symbolic.DecodeOptions{Filename: checkpoint.KeyProgram})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCheckpoint, err)
	}
	c, err := symbolic.To[*Classifier](tree)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrCheckpoint, checkpoint.KeyProgram, err)
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

// MetricsOf decodes the metrics stored in ckpt's metadata. Errors wrap
// ErrCheckpoint.
func MetricsOf(ckpt *checkpoint.Checkpoint) (map[string]float64, error) {
	text, ok := ckpt.Metadata[checkpoint.KeyMetrics]
	if !ok {
		return nil, fmt.Errorf("%w: no %s metadata", ErrCheckpoint, checkpoint.KeyMetrics)
	}
	var m map[string]float64
	if err := json.Unmarshal([]byte(text), &m); err != nil || m == nil {
		return nil, fmt.Errorf("%w: %s: want a JSON object of numbers: %v", ErrCheckpoint, checkpoint.KeyMetrics, err)
	}
	return m, nil
}

// LoadNetwork builds c's network for features inputs and classes outputs
// and sets its parameters from ckpt's tensors. The tensors must be exactly
// the network's parameters, by name and shape (and role, when ckpt records
// roles), in any order — a quantized layer's weights as their codes and
// scales, which the layer then computes with (Ŵ = code·scale, as in
// training), and optionally its shadow weights; otherwise the error,
// wrapping ErrCheckpoint, names the first that differs.
func LoadNetwork(c *Classifier, features, classes int, ckpt *checkpoint.Checkpoint) (*nn.Sequential, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	net, err := c.Model.Network(features, classes, uint64(c.Seed))
	if errors.Is(err, ErrProgram) {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("trainer: model: %w", err)
	}
	var roles map[string]string
	if text, ok := ckpt.Metadata[checkpoint.KeyRoles]; ok {
		if err := json.Unmarshal([]byte(text), &roles); err != nil {
			return nil, fmt.Errorf("%w: %s: want a JSON object of role names: %v", ErrCheckpoint, checkpoint.KeyRoles, err)
		}
	}
	quant := quantByWeight(net)
	known := make(map[string]bool)
	for _, p := range net.Params() {
		if r, ok := roles[p.Name]; ok && r != p.Role.String() {
			return nil, fmt.Errorf("%w: tensor %q has role %s, the model's parameter %s", ErrCheckpoint, p.Name, r, p.Role)
		}
		known[p.Name] = true // a quantized layer's shadow weights are optional
		if quant[p.Value] != nil {
			known[p.Name+CodesSuffix], known[p.Name+ScalesSuffix] = true, true
		}
	}
	byName := make(map[string]*checkpoint.Tensor, len(ckpt.Tensors))
	for i := range ckpt.Tensors {
		t := &ckpt.Tensors[i]
		if !known[t.Name] {
			return nil, fmt.Errorf("%w: tensor %q is not a parameter of the model", ErrCheckpoint, t.Name)
		}
		byName[t.Name] = t
	}
	for _, p := range net.Params() {
		if q := quant[p.Value]; q != nil {
			if err := loadQuant(p.Name, q, byName); err != nil {
				return nil, err
			}
			continue
		}
		t, ok := byName[p.Name]
		if !ok {
			return nil, fmt.Errorf("%w: parameter %q is missing", ErrCheckpoint, p.Name)
		}
		if !slices.Equal(t.Shape, p.Value.Shape) || len(t.Data) != len(p.Value.Data) {
			return nil, fmt.Errorf("%w: tensor %q has shape %v, the model's parameter %v", ErrCheckpoint, p.Name, t.Shape, p.Value.Shape)
		}
		if t.Dtype != "" {
			return nil, fmt.Errorf("%w: tensor %q has dtype %s, the model's parameter F32", ErrCheckpoint, p.Name, t.Dtype)
		}
		copy(p.Value.Data, t.Data)
	}
	return net, nil
}

// Evaluate rebuilds the network saved in ckpt from the program in its
// metadata (ProgramOf, LoadNetwork), loads the program's data and returns
// the network's test_accuracy and test_loss, computed as Train computes
// them, so that they equal, bit for bit, the figures of the run that
// trained the network. It does not train. ctx is checked before the
// evaluation.
func Evaluate(ctx context.Context, ckpt *checkpoint.Checkpoint) (map[string]float64, error) {
	return evaluateCheckpoint(ctx, ckpt, false)
}

// evaluateCheckpoint is Evaluate, with the quantized layers on the
// integer kernels when integer is set (EvaluateInteger).
func evaluateCheckpoint(ctx context.Context, ckpt *checkpoint.Checkpoint, integer bool) (map[string]float64, error) {
	c, err := ProgramOf(ckpt)
	if err != nil {
		return nil, err
	}
	t, splits, err := loadTrained(c, ckpt)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if integer {
		if t.Net, err = t.IntegerNetwork(); err != nil {
			return nil, err
		}
	}
	loss, acc := evaluateTrained(t, splits.Test)
	return map[string]float64{MetricTestAccuracy: acc, MetricTestLoss: loss}, nil
}

// loadTrained loads c's data and builds c's network from ckpt's tensors
// (LoadNetwork); the Trained it returns has no metrics.
func loadTrained(c *Classifier, ckpt *checkpoint.Checkpoint) (*Trained, *data.Splits, error) {
	splits, err := c.Data.Load()
	if err != nil {
		return nil, nil, fmt.Errorf("trainer: %w", err)
	}
	train := splits.Train
	if train.N == 0 {
		return nil, nil, fmt.Errorf("%w: the training set is empty", ErrProgram)
	}
	net, err := LoadNetwork(c, train.Features, train.Classes, ckpt)
	if err != nil {
		return nil, nil, err
	}
	return &Trained{Net: net, Program: c, Features: train.Features, Classes: train.Classes,
		evalBatch: evalBatchSize(min(c.Batch, train.N))}, splits, nil
}
