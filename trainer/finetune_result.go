package trainer

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// FineTuned is the result of a FineTune: the fine-tuned model, its
// metrics, the spectral analysis of each target matrix, the figures after
// the intruder mitigation and, for LoRA, the adapter.
type FineTuned struct {
	// Trained is the fine-tuned network (adapters merged) as a trained
	// model, with the metrics of the fine-tune.
	Trained *Trained
	// Base is the model that was fine-tuned.
	Base *Trained
	// Metrics are the run's metrics (Trained.Metrics).
	Metrics map[string]float64
	// Layers holds the spectral analysis of each target, in layer order.
	Layers []LayerSpectrum
	// Scaled holds the figures after the mitigation, one per λ of the
	// program's Lambdas, in their order.
	Scaled []Scaled
	// Adapter is the trained adapter (LoRA only; nil for Full).
	Adapter *Adapter

	evalBatch int
}

// Scaled are a fine-tune's figures with the singular values of the
// intruder dimensions of every target scaled by Lambda.
type Scaled struct {
	Lambda         float64 `json:"lambda"`
	TargetAccuracy float64 `json:"target_accuracy"`
	TargetLoss     float64 `json:"target_loss"`
	OrigAccuracy   float64 `json:"orig_accuracy"`
	OrigLoss       float64 `json:"orig_loss"`
}

// finish merges the adapters of the trained network s.net, measures the
// fine-tune and returns its result.
func (f FineTune) finish(ctx context.Context, s *setup, base *Trained, baseSplits, splits *data.Splits, desc *Classifier, run map[string]float64) (*FineTuned, error) {
	trainable := 0
	for _, p := range nn.Select(s.net.Params(), nn.Trainable) {
		trainable += p.Value.Len()
	}
	var adapter *Adapter
	if l, ok := f.Method.(LoRA); ok {
		adapter = newAdapter(l, s)
	}
	layers := slices.Clone(s.net.Layers)
	for _, i := range s.targets {
		if a, ok := layers[i].(*nn.LoRA); ok {
			layers[i] = a.Merged()
		}
	}
	net := nn.NewSequential(layers...)
	batch := evalBatchSize(min(f.Batch, splits.Train.N))
	res := &FineTuned{Base: base, Adapter: adapter, evalBatch: batch}
	spec, err := analyse(s, net, f.K, f.Eps)
	if err != nil {
		return nil, err
	}
	res.Layers = spec
	m := map[string]float64{
		MetricTrainableParams: float64(trainable),
		MetricParams:          float64(net.NumParams()),
		MetricBaseCached:      boolMetric(base.Cached),
		MetricCached:          0,
	}
	for _, k := range []string{MetricTrainLoss, MetricTrainSeconds, MetricEpochs, MetricSteps, MetricStoppedEarly, MetricValAccuracy, MetricValLoss} {
		if v, ok := run[k]; ok {
			m[k] = v
		}
	}
	if v, ok := base.Metrics[MetricTestAccuracy]; ok {
		m[MetricBaseAccuracy] = v
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m[MetricTargetLoss], m[MetricTargetAccuracy] = evaluateNet(net, splits.Test, batch)
	m[MetricTestLoss], m[MetricTestAccuracy] = m[MetricTargetLoss], m[MetricTargetAccuracy]
	m[MetricOrigLoss], m[MetricOrigAccuracy] = evaluateNet(withHead(net, s.baseHead), baseSplits.Test, batch)
	total := 0
	for _, l := range spec {
		total += l.Intruders.Count
		m[MetricIntruders+"."+l.Path] = float64(l.Intruders.Count)
		m[MetricUpdateRank+"."+l.Path] = l.UpdateEffectiveRank
	}
	m[MetricIntruders] = float64(total)
	for _, lambda := range f.Lambdas {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sc := Scaled{Lambda: lambda}
		scaled := net
		if total > 0 {
			scaled = scaleIntruders(net, s.targets, spec, lambda)
		}
		sc.TargetLoss, sc.TargetAccuracy = evaluateNet(scaled, splits.Test, batch)
		sc.OrigLoss, sc.OrigAccuracy = evaluateNet(withHead(scaled, s.baseHead), baseSplits.Test, batch)
		res.Scaled = append(res.Scaled, sc)
		prefix := "lambda" + strconv.FormatFloat(lambda, 'g', -1, 64) + "_"
		m[prefix+MetricTargetAccuracy], m[prefix+MetricOrigAccuracy], m[prefix+MetricOrigLoss] = sc.TargetAccuracy, sc.OrigAccuracy, sc.OrigLoss
	}
	res.Metrics = m
	res.Trained = &Trained{
		Net: net, Program: desc, Metrics: maps.Clone(m),
		Features: splits.Train.Features, Classes: splits.Train.Classes, evalBatch: batch,
	}
	return res, nil
}

// Forgetting returns the mean loss and the accuracy of f's fine-tuned
// trunk (every layer but the head) under the head of ref, on ref's test
// set: after a sequence of fine-tunes, how much of an earlier stage
// (ref, the pre-trained model or the first task's) the last one still
// knows. ref's head must take the trunk's output width.
func (f *FineTuned) Forgetting(ref *Trained) (loss, acc float64, err error) {
	if ref == nil || ref.Net == nil || ref.Program == nil {
		return 0, 0, fmt.Errorf("trainer: forgetting: want a trained model with its program")
	}
	head, err := cloneNetwork(ref)
	if err != nil {
		return 0, 0, err
	}
	h, ok := head.Layers[len(head.Layers)-1].(*nn.Dense)
	trunk := f.Trained.Net
	out, ok2 := trunk.Layers[len(trunk.Layers)-1].(*nn.Dense)
	if !ok || !ok2 || h.In != out.In {
		return 0, 0, fmt.Errorf("trainer: forgetting: the reference's head does not fit the trunk")
	}
	splits, err := ref.Program.Data.Load()
	if err != nil {
		return 0, 0, fmt.Errorf("trainer: forgetting: %w", err)
	}
	loss, acc = evaluateNet(withHead(trunk, h), splits.Test, f.evalBatch)
	return loss, acc, nil
}
