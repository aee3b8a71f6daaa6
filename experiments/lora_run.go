package experiments

import (
	"context"
	"fmt"
	"strings"

	"github.com/c2602f9e/goglove/trainer"
)

// LoRAPretrainRow is the first line of goglove experiment lora --json:
// the pre-trained model's figures on the original test images.
type LoRAPretrainRow struct {
	PretrainAccuracy float64 `json:"pretrain_accuracy"`
	PretrainLoss     float64 `json:"pretrain_loss"`
	TrainSeconds     float64 `json:"train_seconds"`
	// Cached tells a model taken from the trained-model cache.
	Cached bool `json:"cached"`
}

// LoRALayerRow is one target matrix of a fine-tune: its intruders, the
// largest |cosine| of each of its top k singular vectors with the
// pre-trained ones, the update's effective rank and the spectra, for
// plots.
type LoRALayerRow struct {
	Layer               string    `json:"layer"`
	Intruders           int       `json:"intruders"`
	MaxCos              []float64 `json:"max_cos"`
	UpdateEffectiveRank float64   `json:"update_effective_rank"`
	BaseSpectrum        []float64 `json:"base_spectrum"`
	TunedSpectrum       []float64 `json:"tuned_spectrum"`
	UpdateSpectrum      []float64 `json:"update_spectrum"`
}

// LoRARow is one fine-tune on the first task: a line of goglove
// experiment lora --json after the first.
type LoRARow struct {
	Method string  `json:"method"` // null, full or lora
	Rank   int     `json:"rank"`   // 0 without an adapter
	Alpha  float64 `json:"alpha"`  // 0 without an adapter
	RSLoRA bool    `json:"rslora"`
	Gamma  float64 `json:"gamma"` // 0 without an adapter
	LR     float64 `json:"lr"`
	Task   string  `json:"task"` // "rot90", or "original" for the null baseline
	// TargetAccuracy is on the task's 10,000 test images.
	TargetAccuracy float64 `json:"target_accuracy"`
	TargetLoss     float64 `json:"target_loss"`
	// OrigAccuracy and OrigLoss are the fine-tuned trunk's under the
	// pre-trained head on the original test images.
	OrigAccuracy    float64 `json:"orig_accuracy"`
	OrigLoss        float64 `json:"orig_loss"`
	Intruders       int     `json:"intruders"`
	TrainableParams int     `json:"trainable_params"`
	// Lambda are the figures with the intruders' singular values scaled
	// by λ (0.75, 0.5).
	Lambda       []trainer.Scaled `json:"lambda"`
	Layers       []LoRALayerRow   `json:"layers"`
	TrainSeconds float64          `json:"train_seconds"`
	// Cached tells a fine-tune read back from the trained-model cache
	// (its train_seconds are those of the run that made it).
	Cached bool `json:"cached"`

	// Adapter is the LoRA run's adapter (nil otherwise), for --out.
	Adapter *trainer.Adapter `json:"-"`
}

// LoRAStageRow is one stage of the sequential protocol.
type LoRAStageRow struct {
	Sequence string  `json:"sequence"` // the run's name, "lora r=1 α=2"
	Method   string  `json:"method"`
	Rank     int     `json:"rank"`
	RSLoRA   bool    `json:"rslora"`
	Gamma    float64 `json:"gamma"`
	Stage    int     `json:"stage"` // from 1
	Task     string  `json:"task"`
	// TargetAccuracy is on this stage's task.
	TargetAccuracy float64 `json:"target_accuracy"`
	// OrigAccuracy and OrigLoss: the trunk under the pre-trained head on
	// the original images.
	OrigAccuracy float64 `json:"orig_accuracy"`
	OrigLoss     float64 `json:"orig_loss"`
	// FirstAccuracy and FirstLoss: the trunk under the first stage's
	// head on the first task's test images (stage 1: its own figures).
	FirstAccuracy float64 `json:"first_accuracy"`
	FirstLoss     float64 `json:"first_loss"`
	// Intruders are this stage's, against its base (the previous
	// stage's matrices).
	Intruders int `json:"intruders"`
	// Cached tells a stage read back from the trained-model cache.
	Cached bool `json:"cached"`
}

// LoRAResult is the whole experiment.
type LoRAResult struct {
	Pretrain LoRAPretrainRow
	Runs     []LoRARow
	Stages   []LoRAStageRow
}

// LoRAProgress is told each line as it is measured: exactly one of its
// fields is set.
type LoRAProgress struct {
	Pretrain *LoRAPretrainRow
	Run      *LoRARow
	Stage    *LoRAStageRow
	// I and N are the line's index from 0 among the fine-tunes (runs,
	// then stages) and their number.
	I, N int
}

// RunLoRA runs the experiment of o: pre-training through env, the
// fine-tunes of Runs from that one base, then the sequences. Give env
// the trained-model cache and every model is kept there: a second run
// trains nothing, and reads every line back. progress,
// if not nil, is told each line as it is measured. It stops at the first
// error, returning what was measured (nil when the pre-training did not
// finish) and the error naming the run.
func RunLoRA(ctx context.Context, o LoRAOptions, env *trainer.Env, progress func(LoRAProgress)) (*LoRAResult, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	o = o.withDefaults()
	if progress == nil {
		progress = func(LoRAProgress) {}
	}
	env = quietBase(env)
	res := &LoRAResult{}
	pre := o.Pretrain()
	base, err := pre.TrainedModel(ctx, env)
	if err != nil {
		return nil, fmt.Errorf("experiments: lora: pre-training: %w", err)
	}
	res.Pretrain = LoRAPretrainRow{PretrainAccuracy: base.Metrics[trainer.MetricTestAccuracy], PretrainLoss: base.Metrics[trainer.MetricTestLoss],
		TrainSeconds: base.Metrics[trainer.MetricTrainSeconds], Cached: base.Cached}
	progress(LoRAProgress{Pretrain: &res.Pretrain})
	runs, seq := o.Runs(), o.SequenceRuns()
	n := len(runs) + len(seq)*len(o.Sequence)
	for i, r := range runs {
		task, name := loraData(o.firstTask()), o.firstTask()
		if r.Method == "null" {
			task, name = loraData(), "original"
		}
		ft, err := o.runFineTune(ctx, env, r, pre, base, task)
		if err != nil {
			return res, err
		}
		row := loraRow(r, name, ft)
		res.Runs = append(res.Runs, row)
		progress(LoRAProgress{Run: &res.Runs[len(res.Runs)-1], I: i, N: n})
	}
	i := len(runs)
	for _, r := range seq {
		sq := o.SequenceProgram(r, pre)
		each := func(s int, st trainer.Stage) {
			row := LoRAStageRow{Sequence: r.String(), Method: r.Method, Rank: r.Rank, RSLoRA: r.RSLoRA, Gamma: r.Gamma(), Stage: s + 1, Task: o.Sequence[s],
				TargetAccuracy: st.Metrics[trainer.MetricTargetAccuracy], Intruders: int(st.Metrics[trainer.MetricIntruders]), Cached: st.Metrics[trainer.MetricCached] == 1,
				OrigAccuracy: st.OrigAccuracy, OrigLoss: st.OrigLoss, FirstAccuracy: st.FirstAccuracy, FirstLoss: st.FirstLoss}
			res.Stages = append(res.Stages, row)
			progress(LoRAProgress{Stage: &res.Stages[len(res.Stages)-1], I: i, N: n})
			i++
		}
		var err error
		if env != nil && env.Cache != nil {
			_, err = sq.Stages(ctx, env, each)
		} else {
			_, err = sq.StagesFrom(ctx, env, base, each)
		}
		if err != nil {
			return res, fmt.Errorf("experiments: lora: sequence %s: %w", r, err)
		}
	}
	return res, nil
}

// firstTask is the task of the fine-tunes, the sequence's first (rot90
// when the sequence is empty).
func (o LoRAOptions) firstTask() string {
	if len(o.Sequence) == 0 {
		return "rot90"
	}
	return o.Sequence[0]
}

// loraRow makes the row of run r on task from its result.
func loraRow(r LoRARun, task string, ft *trainer.FineTuned) LoRARow {
	m := ft.Metrics
	lr := LoRAFullLR
	if r.Method == "lora" {
		lr = LoRALR
	}
	row := LoRARow{
		Method: r.Method, Rank: r.Rank, Alpha: r.Alpha, RSLoRA: r.RSLoRA, Gamma: r.Gamma(), LR: lr, Task: task,
		TargetAccuracy: m[trainer.MetricTargetAccuracy], TargetLoss: m[trainer.MetricTargetLoss],
		OrigAccuracy: m[trainer.MetricOrigAccuracy], OrigLoss: m[trainer.MetricOrigLoss],
		Intruders: int(m[trainer.MetricIntruders]), TrainableParams: int(m[trainer.MetricTrainableParams]),
		Lambda: ft.Scaled, TrainSeconds: m[trainer.MetricTrainSeconds], Adapter: ft.Adapter, Cached: m[trainer.MetricCached] == 1,
	}
	for _, l := range ft.Layers {
		row.Layers = append(row.Layers, LoRALayerRow{
			Layer: l.Path, Intruders: l.Intruders.Count, MaxCos: l.Intruders.MaxCos, UpdateEffectiveRank: l.UpdateEffectiveRank,
			BaseSpectrum: l.Base, TunedSpectrum: l.Tuned, UpdateSpectrum: l.Update,
		})
	}
	return row
}

// baseNotice starts the notice a FineTune gives about its base, which
// the experiment's own pre-training line says once.
const baseNotice = "trainer: fine-tune: the base model was "

// quietBase returns env with its notices about the fine-tunes' base
// left out (the others passed on).
func quietBase(env *trainer.Env) *trainer.Env {
	if env == nil || env.Notice == nil {
		return env
	}
	q := *env
	q.Notice = func(msg string) {
		if !strings.HasPrefix(msg, baseNotice) {
			env.Notice(msg)
		}
	}
	return &q
}
