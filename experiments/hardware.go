package experiments

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/bench"
)

// The hardware experiment is a hardware-aware architecture search: an
// architecture search nested in a search over deployment configurations,
// the config experiments/configs/hardware-nas.yaml (see it for the
// protocol). Each outer trial fixes a kernel (by the quantizer), threads,
// a batch size and a latency budget per example; its inner search finds
// the most accurate architecture on Fashion-MNIST whose latency as
// deployed, measured on this machine's kernels (hardware.classify), fits
// the budget. The result is the outer Pareto front of validation
// accuracy against latency, each point with its winning architecture.

//go:embed configs/hardware-nas.yaml
var hardwareConfig []byte

// HardwareConfigFile names the experiment's config in messages, as it
// sits in the repository.
const HardwareConfigFile = "experiments/configs/hardware-nas.yaml"

// HardwareLatency is how hardware.classify measures a latency in the
// full experiment and in goglove search: 0.3 s in 3 runs, after a
// warm-up.
var HardwareLatency = bench.Options{Duration: 300 * time.Millisecond, Runs: 3}

// HardwareQuickLatency is how the quick mode measures one: 30 ms in 2
// runs.
var HardwareQuickLatency = bench.Options{Duration: 30 * time.Millisecond, Runs: 2}

// hardwareQuick are the changes of the quick mode to the config, by key
// path: four outer trials (fp32 and ternary, one thread, batch 32, a
// generous budget and one no program can meet, so that the infeasible
// rule is exercised), two inner trials each of one epoch on three classes
// of Fashion-MNIST, widths 16 and 32.
var hardwareQuick = []struct{ path, yaml string }{
	{"study", "hardware-nas-quick"},
	{"space", "{quant: !oneof [{_type: trainer.FP32}, {_type: trainer.Ternary}], threads: 1, batch: 32, latency_budget_us: !oneof [1000, 0.001]}"},
	{"budget.trials", "4"},
	{"objective.search.budget.trials", "2"},
	{"objective.search.space.classifier.epochs", "1"},
	{"objective.search.space.classifier.data", "{_type: trainer.FashionMNIST, validation: 1000, classes: [0, 1, 2], standardize: true}"},
	{"objective.search.space.classifier.model.hidden", "!oneof [[16], [32]]"},
}

// HardwareOptions set up a hardware experiment.
type HardwareOptions struct {
	// Quick runs the quick mode, a smoke test of seconds (hardwareQuick).
	Quick bool
	// Store keeps the studies; nil: a new in-memory store. A store that
	// has the study continues it.
	Store search.Store
	// Logf, if not nil, receives the search's notes (retries, takeovers).
	Logf func(format string, args ...any)
	// Progress, if not nil, is called after each outer trial ends.
	Progress func(search.Progress)
}

// HardwarePoint is a point of the outer Pareto front: a deployment and
// its winning architecture. Its JSON form is that of goglove experiment
// hardware --json.
type HardwarePoint struct {
	Kernel       string         `json:"kernel"`
	Threads      int            `json:"threads"`
	Batch        int            `json:"batch"`
	LatencyUS    float64        `json:"latency_us"`
	ValAccuracy  float64        `json:"val_accuracy"`
	TestAccuracy float64        `json:"test_accuracy"`
	Architecture map[string]any `json:"architecture"`
	// LatencyBudgetsUS are the budgets of the outer trials that found
	// this point (outer trials that differ only in their budget and found
	// the same winner are one point); OuterTrial is the first one's
	// number, InnerStudy and InnerTrial its winner's study and trial.
	LatencyBudgetsUS []float64 `json:"-"`
	OuterTrial       int       `json:"-"`
	InnerStudy       string    `json:"-"`
	InnerTrial       int       `json:"-"`
}

// HardwareResult is what a hardware experiment found: the front, by
// latency, and the trials of both levels. Its JSON form is that of
// goglove experiment hardware --json.
type HardwareResult struct {
	Front       []HardwarePoint `json:"front"`
	OuterTrials int             `json:"outer_trials"`
	InnerTrials int             `json:"inner_trials"`
	// Study is the outer study; Failed its failed outer trials (those
	// without a feasible architecture); Infeasible the inner trials
	// skipped as over their budget.
	Study              string `json:"-"`
	Failed, Infeasible int    `json:"-"`
}

// HardwareRegistry returns the registry the experiment's config is
// decoded with: the space tags, the algorithms' types, !outer and the
// trainer's types.
func HardwareRegistry() (*symbolic.Registry, error) {
	r := symbolic.NewRegistry()
	for _, reg := range []func(*symbolic.Registry) error{space.Register, algorithms.Register, search.Register, trainer.Register} {
		if err := reg(r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// HardwareConfig returns the experiment's config, the quick mode's if
// quick.
func HardwareConfig(reg *symbolic.Registry, quick bool) (*search.Config, error) {
	if !quick {
		return search.ParseConfig(reg, HardwareConfigFile, hardwareConfig)
	}
	tree, err := reg.DecodeYAML(hardwareConfig, &symbolic.DecodeOptions{Filename: HardwareConfigFile})
	if err != nil {
		return nil, err
	}
	updates := make([]symbolic.Update, len(hardwareQuick))
	for i, q := range hardwareQuick {
		v, err := reg.DecodeYAML([]byte(q.yaml), nil)
		if err != nil {
			return nil, fmt.Errorf("experiments: hardware: quick mode: %s: %w", q.path, err)
		}
		updates[i] = symbolic.Update{Path: symbolic.MustParsePath(q.path), Value: v}
	}
	if err := symbolic.RebindAll(tree, updates...); err != nil {
		return nil, fmt.Errorf("experiments: hardware: quick mode: %w", err)
	}
	text, err := symbolic.EncodeYAML(tree)
	if err != nil {
		return nil, err
	}
	return search.ParseConfig(reg, HardwareConfigFile+" (quick)", text)
}

// RunHardware runs the experiment (or continues it, in a store that has
// its study) and reads its result.
func RunHardware(ctx context.Context, o HardwareOptions) (*HardwareResult, error) {
	reg, err := HardwareRegistry()
	if err != nil {
		return nil, err
	}
	cfg, err := HardwareConfig(reg, o.Quick)
	if err != nil {
		return nil, err
	}
	builtins := Builtins()
	if o.Quick {
		builtins[HardwareName] = Hardware(HardwareQuickLatency)
	}
	job, err := cfg.Job(HardwareConfigFile, builtins)
	if err != nil {
		return nil, err
	}
	st := o.Store
	if st == nil {
		st = search.NewMemStore()
	}
	job.Options.Logf = o.Logf
	res, err := job.Run(ctx, st, o.Progress)
	if err != nil {
		return nil, err
	}
	if res.Interrupted {
		return nil, ctx.Err()
	}
	return ReadHardware(context.WithoutCancel(ctx), st, cfg.Study)
}

// ReadHardware reads the result of a hardware experiment's study from
// its store: the outer Pareto front (by latency, then accuracy), each
// point with its deployment and its inner winner's architecture (outer
// trials that differ only in their budget and found the same winner make
// one point), and the counts of trials.
func ReadHardware(ctx context.Context, st search.Store, study string) (*HardwareResult, error) {
	res, err := search.Summarize(ctx, st, study)
	if err != nil {
		return nil, err
	}
	outer, err := st.Trials(ctx, study)
	if err != nil {
		return nil, err
	}
	studies, err := st.Studies(ctx)
	if err != nil {
		return nil, err
	}
	out := &HardwareResult{Study: study, OuterTrials: len(outer), Failed: res.Failed, Front: []HardwarePoint{}}
	for _, names := range search.InnerStudies(studies, study) {
		for _, name := range names {
			trials, err := st.Trials(ctx, name)
			if err != nil {
				return nil, err
			}
			out.InnerTrials += len(trials)
			for _, t := range trials {
				if t.State == search.Skipped && len(t.Metrics) > 0 {
					out.Infeasible++
				}
			}
		}
	}
	for _, t := range res.Pareto {
		p, err := hardwarePoint(ctx, st, study, t)
		if err != nil {
			return nil, err
		}
		if i := slices.IndexFunc(out.Front, p.samePoint); i >= 0 {
			out.Front[i].LatencyBudgetsUS = append(out.Front[i].LatencyBudgetsUS, p.LatencyBudgetsUS...)
			continue
		}
		out.Front = append(out.Front, p)
	}
	slices.SortStableFunc(out.Front, func(a, b HardwarePoint) int {
		if a.LatencyUS != b.LatencyUS {
			return cmpFloat(a.LatencyUS, b.LatencyUS)
		}
		return cmpFloat(b.ValAccuracy, a.ValAccuracy)
	})
	return out, nil
}

// samePoint reports whether p and q are the same point of the front:
// the same deployment, figures and architecture (their budgets aside).
func (p HardwarePoint) samePoint(q HardwarePoint) bool {
	a, _ := json.Marshal(p)
	b, _ := json.Marshal(q)
	return string(a) == string(b)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// hardwarePoint makes the front's point of outer trial t.
func hardwarePoint(ctx context.Context, st search.Store, study string, t search.TrialRecord) (HardwarePoint, error) {
	p := HardwarePoint{OuterTrial: t.Number, LatencyUS: t.Metrics[MetricLatencyUS],
		ValAccuracy: t.Metrics[trainer.MetricValAccuracy], TestAccuracy: t.Metrics[trainer.MetricTestAccuracy]}
	at := func(path string) (symbolic.Value, error) {
		v, err := symbolic.GetPath(t.Program, path)
		if err != nil {
			return nil, fmt.Errorf("experiments: hardware: outer trial %d: %w", t.Number, err)
		}
		return v, nil
	}
	q, err := at("quant")
	if err != nil {
		return p, err
	}
	quant, err := symbolic.To[trainer.Quantizer](q)
	if err != nil {
		return p, fmt.Errorf("experiments: hardware: outer trial %d: quant: %w", t.Number, err)
	}
	p.Kernel = KernelOf(quant)
	for _, f := range []struct {
		path string
		dst  *int
	}{{"threads", &p.Threads}, {"batch", &p.Batch}} {
		v, err := at(f.path)
		if err != nil {
			return p, err
		}
		n, _ := v.(symbolic.Int)
		*f.dst = int(n)
	}
	if v, err := at("latency_budget_us"); err == nil {
		switch b := v.(type) {
		case symbolic.Int:
			p.LatencyBudgetsUS = []float64{float64(b)}
		case symbolic.Float:
			p.LatencyBudgetsUS = []float64{float64(b)}
		}
	}
	winners, err := search.InnerWinners(ctx, st, study, t)
	if err != nil || len(winners) == 0 {
		return p, fmt.Errorf("experiments: hardware: outer trial %d: no inner winner (%v)", t.Number, err)
	}
	w := winners[0]
	p.InnerStudy, p.InnerTrial = w.Study, w.Trial.Number
	model, err := symbolic.GetPath(w.Trial.Program, "classifier.model")
	if err != nil {
		return p, fmt.Errorf("experiments: hardware: %s, trial %d: %w", w.Study, w.Trial.Number, err)
	}
	text, err := symbolic.EncodeJSONCompact(model)
	if err != nil {
		return p, err
	}
	var arch map[string]any
	if err := json.Unmarshal(text, &arch); err != nil {
		return p, err
	}
	p.Architecture = map[string]any{}
	for _, k := range []string{"hidden", "activation", "layernorm"} {
		if v, ok := arch[k]; ok {
			p.Architecture[k] = v
		}
	}
	if math.IsNaN(p.LatencyUS) {
		return p, fmt.Errorf("experiments: hardware: outer trial %d reports no latency", t.Number)
	}
	return p, nil
}
