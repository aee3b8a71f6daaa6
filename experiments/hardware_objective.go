package experiments

import (
	"context"
	"fmt"
	"sync"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/bench"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// HardwareName is the name of the built-in objective that trains a
// classifier and measures its latency as deployed:
// objective: {builtin: hardware.classify}.
const HardwareName = "hardware.classify"

// The latency metrics of hardware.classify.
const (
	// MetricLatencyUS is the wall time of a forward pass of a deployed
	// batch divided by its examples, in microseconds: the latency per
	// example that a budget bounds.
	MetricLatencyUS = "latency_us"
	// MetricBatchLatencyUS is the wall time of the forward pass of the
	// whole batch, in microseconds.
	MetricBatchLatencyUS = "batch_latency_us"
)

// HardwareMetrics are the metrics hardware.classify can optimize:
// trainer.classify's (val_accuracy first), then latency_us and
// batch_latency_us, to minimize.
var HardwareMetrics = append(append([]search.Metric(nil), ClassifyMetrics...),
	search.Metric{Name: MetricLatencyUS, Direction: search.Minimize},
	search.Metric{Name: MetricBatchLatencyUS, Direction: search.Minimize})

// Deployment is how a classifier is run on this machine: on the kernel
// its quantizer selects (trainer.FP32: the fp32 GEMM; trainer.Int8 and
// trainer.Ternary: the exact int8 and packed-ternary kernels of
// goglove eval --integer), with Batch examples a forward pass, split
// over Threads threads.
type Deployment struct {
	Threads int `min:"1" max:"64" default:"1" doc:"threads sharing a batch's rows"`
	Batch   int `min:"1" max:"65536" default:"1" doc:"examples per forward pass"`
}

// Hardware returns the hardware.classify objective, measuring latencies
// with o (a zero o measures each for 2 s; the experiment's quick mode
// measures less). A trial's program is a mapping of a classifier and its
// deployment:
//
//	classifier: {_type: trainer.Classifier, …}
//	deploy: {threads: 2, batch: 32}
//
// The classifier is trained as trainer.classify trains it (through the
// trained-model cache; its validation accuracy reported per epoch), then
// the latency of its network's forward pass as deployed is measured on
// the real kernels of this machine (bench.MeasureLatency), on networks of
// the same architecture and quantizer, one per thread: the kernels'
// speed does not depend on the weights' values. Latencies are measured
// once per process for each architecture, quantizer, batch and thread
// count. The metrics are trainer.classify's with latency_us and
// batch_latency_us.
func Hardware(o bench.Options) search.Builtin {
	m := &latencies{o: o, seen: map[string]bench.Latency{}}
	return search.Builtin{
		Name:    HardwareName,
		Doc:     "trains the program's classifier and measures its forward pass as deployed (kernel by its quantizer, threads, batch); reports trainer.classify's metrics and latency_us",
		Metrics: append([]search.Metric(nil), HardwareMetrics...),
		Objective: func(ctx context.Context, t *search.Trial[symbolic.Value]) (search.Metrics, error) {
			c, d, model, err := hardwareProgram(t.Program)
			if err != nil {
				return nil, err
			}
			metrics, err := runProgram(ctx, t, c)
			if err != nil {
				return nil, err
			}
			lat, err := m.measure(ctx, c, model, d)
			if err != nil {
				return nil, err
			}
			metrics[MetricLatencyUS] = lat.MicrosPerExample()
			metrics[MetricBatchLatencyUS] = float64(lat.PerBatch) / 1e3
			return metrics, nil
		},
		Reports: true,
		Check: func(program symbolic.Value) error {
			_, _, _, err := hardwareProgram(program)
			return err
		},
	}
}

// hardwareProgram reads a hardware.classify program.
func hardwareProgram(p symbolic.Value) (*trainer.Classifier, Deployment, symbolic.Value, error) {
	d, ok := p.(*symbolic.Dict)
	if !ok {
		return nil, Deployment{}, nil, fmt.Errorf("experiments: %s: want a mapping {classifier: {_type: trainer.Classifier, …}, deploy: {threads, batch}}, got %s", HardwareName, kindOf(p))
	}
	cv, ok := d.Get("classifier")
	if !ok {
		return nil, Deployment{}, nil, fmt.Errorf("experiments: %s: classifier: missing", HardwareName)
	}
	c, err := Classifier(cv)
	if err != nil {
		return nil, Deployment{}, nil, fmt.Errorf("experiments: %s: classifier: %w", HardwareName, err)
	}
	dep := Deployment{Threads: 1, Batch: 1}
	if dv, ok := d.Get("deploy"); ok {
		dd, ok := dv.(*symbolic.Dict)
		if !ok {
			return nil, Deployment{}, nil, fmt.Errorf("experiments: %s: deploy: want {threads, batch}, got %s", HardwareName, kindOf(dv))
		}
		for k, v := range dd.All() {
			n, ok := v.(symbolic.Int)
			switch {
			case k != "threads" && k != "batch":
				return nil, Deployment{}, nil, fmt.Errorf("experiments: %s: deploy.%s: unknown field (want threads, batch)", HardwareName, k)
			case !ok || n < 1 || k == "threads" && n > 64 || n > 65536:
				return nil, Deployment{}, nil, fmt.Errorf("experiments: %s: deploy.%s: want a whole number from 1 to %d, got %s", HardwareName, k, map[string]int{"threads": 64, "batch": 65536}[k], v)
			case k == "threads":
				dep.Threads = int(n)
			default:
				dep.Batch = int(n)
			}
		}
	}
	model, _ := symbolic.GetPath(cv, "model")
	for k := range d.All() {
		if k != "classifier" && k != "deploy" {
			return nil, Deployment{}, nil, fmt.Errorf("experiments: %s: %s: unknown field (want classifier, deploy)", HardwareName, k)
		}
	}
	return c, dep, model, nil
}

func kindOf(v symbolic.Value) string {
	if v == nil {
		return "nothing"
	}
	return "a value of kind " + v.Kind().String()
}

// latencies measures and remembers deployed latencies.
type latencies struct {
	o    bench.Options
	mu   sync.Mutex // one measurement at a time: they would disturb each other
	seen map[string]bench.Latency
}

// measure returns the latency of c's model deployed as d.
func (l *latencies) measure(ctx context.Context, c *trainer.Classifier, model symbolic.Value, d Deployment) (bench.Latency, error) {
	splits, err := c.Data.Load() // loaded once per process, as training did
	if err != nil {
		return bench.Latency{}, err
	}
	features, classes := splits.Train.Features, splits.Train.Classes
	key := fmt.Sprintf("%s|%d|%d|%d|%d", model, features, classes, d.Batch, d.Threads)
	l.mu.Lock()
	defer l.mu.Unlock()
	if lat, ok := l.seen[key]; ok {
		return lat, nil
	}
	nets, err := DeployedNetworks(c.Model, features, classes, min(d.Threads, d.Batch))
	if err != nil {
		return bench.Latency{}, err
	}
	lat, err := bench.MeasureLatency(ctx, nets, features, d.Batch, l.o)
	if err != nil {
		return bench.Latency{}, err
	}
	l.seen[key] = lat
	return lat, nil
}

// DeployedNetworks returns n networks of model as they run deployed:
// built from the model (seed 0), their quantized dense layers on the
// integer kernels (nn.IntegerNetwork), as goglove eval --integer runs a
// trained one.
func DeployedNetworks(model trainer.Model, features, classes, n int) ([]*nn.Sequential, error) {
	nets := make([]*nn.Sequential, n)
	for i := range nets {
		net, err := model.Network(features, classes, 0)
		if err != nil {
			return nil, fmt.Errorf("experiments: %s: the deployed network: %w", HardwareName, err)
		}
		if nets[i], err = nn.IntegerNetwork(net); err != nil {
			return nil, fmt.Errorf("experiments: %s: the deployed network: %w", HardwareName, err)
		}
	}
	return nets, nil
}

// KernelOf names the inference kernel a quantizer runs on: fp32, int8 or
// ternary (bench.KernelFP32, KernelInt8, KernelTernary).
func KernelOf(q trainer.Quantizer) string {
	switch q.(type) {
	case trainer.Int8, *trainer.Int8:
		return bench.KernelInt8
	case trainer.Ternary, *trainer.Ternary:
		return bench.KernelTernary
	}
	return bench.KernelFP32
}
