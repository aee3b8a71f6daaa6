package trainer

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"

	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"github.com/c2602f9e/goglove/trainer/spectral"
)

// Metadata keys of a fine-tune's entry in the trained-model cache,
// besides a checkpoint's: the Classifier that describes the fine-tuned
// network (its architecture on the task's data), and the spectral
// analysis and mitigation figures as JSON. The entry's KeyProgram is the
// FineTune's canonical form, its tensors the merged network's, and a
// LoRA adapter's tensors follow under the prefix "adapter/".
const (
	KeyFineTuneModel = "goglove.finetune.model"
	KeyFineTune      = "goglove.finetune"
	adapterPrefix    = "adapter/"
)

// fineTuneRecord is the JSON of KeyFineTune.
type fineTuneRecord struct {
	Layers  []layerRecord `json:"layers"`
	Scaled  []Scaled      `json:"scaled"`
	Adapter string        `json:"adapter,omitempty"` // the adapter's KeyAdapter JSON
}

type layerRecord struct {
	Path                string    `json:"layer"`
	K                   int       `json:"k"`
	Eps                 float64   `json:"eps"`
	Indices             []int     `json:"indices"`
	MaxCos              []float64 `json:"max_cos"`
	Base                []float64 `json:"base"`
	Tuned               []float64 `json:"tuned"`
	Update              []float64 `json:"update"`
	UpdateEffectiveRank float64   `json:"update_effective_rank"`
}

// cachedTune is Tune with env.Cache set: a fine-tune is looked up by its
// canonical form, as a Classifier is, and a miss fine-tunes and stores
// the result (unless the run was stopped early). A hit returns the
// recorded result, with cached = 1, and trains nothing, not even the
// base (its FineTuned has no Base, and its Reporter is told nothing).
func (f FineTune) cachedTune(ctx context.Context, env *Env) (*FineTuned, error) {
	canon, err := Canonical(f)
	if err != nil { // a Go literal outside the schema: it trains all the same
		env.notice("trainer: fine-tune not cached: %v", err)
		return f.tuneNow(ctx, env)
	}
	var fresh *FineTuned
	var freshErr error
	res, err := env.Cache.Fill(ctx, cache.Key(canon), func() (*checkpoint.Checkpoint, error) {
		fresh, freshErr = f.tuneNow(ctx, env)
		if freshErr != nil || fresh.Metrics[MetricStoppedEarly] == 1 {
			return nil, errNotStored
		}
		return fresh.cacheEntry(canon, env.Version)
	})
	if res.Corrupt != nil {
		env.notice("trainer: %v; fine-tuned again", res.Corrupt)
	}
	if fresh != nil || freshErr != nil {
		if res.StoreErr != nil {
			env.notice("trainer: the fine-tuned model was not cached: %v", res.StoreErr)
		}
		return fresh, freshErr
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		env.notice("trainer: cache: %v; fine-tuning without it", err)
		return f.tuneNow(ctx, env)
	}
	r, err := fineTunedFrom(res.Checkpoint, string(canon))
	if err != nil { // a valid file that is not this program's: never trust it
		env.notice("trainer: cache entry %s does not fit its fine-tune (%v); fine-tuned again", short(cache.Key(canon)), err)
		return f.tuneNow(ctx, env)
	}
	return r, nil
}

// cacheEntry returns the cache entry of r, the result of the fine-tune
// whose canonical form is canon.
func (r *FineTuned) cacheEntry(canon []byte, version string) (*checkpoint.Checkpoint, error) {
	tree, err := ProgramTree(r.Trained.Program)
	if err != nil {
		return nil, err
	}
	ckpt, err := NewCheckpointWith(tree, r.Trained.Net, r.Metrics, version, cacheOptions)
	if err != nil {
		return nil, err
	}
	ckpt.Metadata[KeyFineTuneModel] = ckpt.Metadata[checkpoint.KeyProgram]
	ckpt.Metadata[checkpoint.KeyProgram] = string(canon)
	rec := fineTuneRecord{Scaled: r.Scaled}
	for _, l := range r.Layers {
		rec.Layers = append(rec.Layers, layerRecord{
			Path: l.Path, K: l.Intruders.K, Eps: l.Intruders.Eps, Indices: l.Intruders.Indices, MaxCos: l.Intruders.MaxCos,
			Base: l.Base, Tuned: l.Tuned, Update: l.Update, UpdateEffectiveRank: l.UpdateEffectiveRank,
		})
	}
	if r.Adapter != nil {
		a, err := r.Adapter.Checkpoint()
		if err != nil {
			return nil, err
		}
		rec.Adapter = a.Metadata[KeyAdapter]
		for _, t := range a.Tensors {
			t.Name = adapterPrefix + t.Name
			ckpt.Tensors = append(ckpt.Tensors, t)
		}
	}
	j, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("trainer: fine-tune record: %w", err)
	}
	ckpt.Metadata[KeyFineTune] = string(j)
	return ckpt, nil
}

// fineTunedFrom rebuilds a fine-tune's result from its cache entry,
// which must record the program canon.
func fineTunedFrom(ckpt *checkpoint.Checkpoint, canon string) (*FineTuned, error) {
	if ckpt.Metadata[checkpoint.KeyProgram] != canon {
		return nil, fmt.Errorf("%w: the entry records another program", ErrCheckpoint)
	}
	if err := checkShadows(ckpt); err != nil {
		return nil, err
	}
	var rec fineTuneRecord
	if err := json.Unmarshal([]byte(ckpt.Metadata[KeyFineTune]), &rec); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCheckpoint, KeyFineTune, err)
	}
	// The network's checkpoint: its tensors and its describing program.
	model := &checkpoint.Checkpoint{Metadata: maps.Clone(ckpt.Metadata)}
	model.Metadata[checkpoint.KeyProgram] = ckpt.Metadata[KeyFineTuneModel]
	adapter := &checkpoint.Checkpoint{Metadata: map[string]string{KeyAdapter: rec.Adapter}}
	for _, t := range ckpt.Tensors {
		if name, ok := strings.CutPrefix(t.Name, adapterPrefix); ok {
			t.Name = name
			adapter.Tensors = append(adapter.Tensors, t)
		} else {
			model.Tensors = append(model.Tensors, t)
		}
	}
	t, err := trainedFrom(model)
	if err != nil {
		return nil, err
	}
	t.Cached = true
	t.Metrics[MetricCached] = 1
	r := &FineTuned{Trained: t, Metrics: maps.Clone(t.Metrics), Scaled: rec.Scaled, evalBatch: t.evalBatch}
	for _, l := range rec.Layers {
		r.Layers = append(r.Layers, LayerSpectrum{
			Path: l.Path, Base: l.Base, Tuned: l.Tuned, Update: l.Update, UpdateEffectiveRank: l.UpdateEffectiveRank,
			Intruders: spectral.Intruders{K: l.K, Eps: l.Eps, Count: len(l.Indices), Indices: l.Indices, MaxCos: l.MaxCos},
		})
	}
	if rec.Adapter != "" {
		if r.Adapter, err = AdapterOf(adapter); err != nil {
			return nil, err
		}
	}
	return r, nil
}
