package trainer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

// KeyHistory is the checkpoint metadata key of a cached run's
// intermediate reports: a JSON list of {"step": N, "metrics": {...}}, in
// the order reported.
const KeyHistory = "goglove.history"

// errNotStored ends a cache fill whose run is not the program's result
// (stopped early, interrupted, failed): nothing is stored.
var errNotStored = errors.New("trainer: run not stored in the cache")

// cachedModel is model with env.Cache set: a hit returns the cached
// network (with needNet) and metrics, a miss trains (once, however many
// processes ask at the same time) and stores the result. An entry is
// used only if the program it records is c's canonical form, so that a
// tampered or colliding entry is never taken for c.
func (c *Classifier) cachedModel(ctx context.Context, env *Env, needNet bool) (*Trained, error) {
	canon, err := Canonical(c)
	if err != nil { // a Go literal outside the schema: it trains all the same
		env.notice("trainer: not cached: %v", err)
		return c.trainNow(ctx, env, env.Reporter)
	}
	key := cache.Key(canon)
	var fresh *Trained // set when this call trained
	var freshErr error
	trained := false
	res, err := env.Cache.Fill(ctx, key, func() (*checkpoint.Checkpoint, error) {
		trained = true
		rec := &recorder{next: env.Reporter}
		fresh, freshErr = c.trainNow(ctx, env, rec)
		if freshErr != nil || fresh == nil || fresh.Net == nil || fresh.Metrics[MetricStoppedEarly] == 1 {
			return nil, errNotStored
		}
		return c.cacheEntry(fresh, rec.history, env.Version)
	})
	if res.Corrupt != nil {
		env.notice("trainer: %v; retrained", res.Corrupt)
	}
	if trained {
		if res.StoreErr != nil {
			env.notice("trainer: the trained model was not cached: %v", res.StoreErr)
		}
		return fresh, freshErr
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		env.notice("trainer: cache: %v; training without it", err)
		return c.trainNow(ctx, env, env.Reporter)
	}
	t, history, err := c.fromCache(res.Checkpoint, string(canon), needNet)
	if err != nil { // a valid file that is not this program's: never trust it
		env.notice("trainer: cache entry %s does not fit its program (%v); retrained", short(key), err)
		return c.trainAndReplace(ctx, env, key)
	}
	if env.Reporter == nil {
		return t, nil
	}
	return c.replay(ctx, env, t, history)
}

// trainAndReplace trains c and stores the run under key, replacing the
// entry there, unless it was stopped early or interrupted.
func (c *Classifier) trainAndReplace(ctx context.Context, env *Env, key string) (*Trained, error) {
	rec := &recorder{next: env.Reporter}
	t, err := c.trainNow(ctx, env, rec)
	if err != nil || t == nil || t.Net == nil || t.Metrics[MetricStoppedEarly] == 1 {
		return t, err
	}
	ckpt, err := c.cacheEntry(t, rec.history, env.Version)
	if err == nil {
		err = env.Cache.Put(key, ckpt)
	}
	if err != nil {
		env.notice("trainer: the trained model was not cached: %v", err)
	}
	return t, nil
}

// replay reports a cached run's intermediate metrics to env.Reporter,
// asking ShouldStop after each as training would. If the Reporter stops
// the run before its last report, the cached result is not the result of
// that run: c trains for real (it reports only the steps not yet
// reported) and its result is returned, not stored.
func (c *Classifier) replay(ctx context.Context, env *Env, t *Trained, history []report) (*Trained, error) {
	for i, r := range history {
		if err := env.Reporter.Report(ctx, r.Step, r.Metrics); err != nil {
			return nil, fmt.Errorf("trainer: report epoch %d: %w", r.Step, err)
		}
		if env.Reporter.ShouldStop() && i < len(history)-1 {
			return c.trainNow(ctx, env, &skipReported{next: env.Reporter, upTo: r.Step})
		}
	}
	return t, nil
}

// cacheOptions are the options of every trained-model cache entry: a
// quantized layer keeps its fp32 shadow weights beside its codes, so that
// a model from the cache is the model training handed on, bit for bit
// (its shadow weights, from which a FineTune or a Merge built on it goes
// on), not the codes-only model of a checkpoint written for inference.
var cacheOptions = CheckpointOptions{Shadow: true}

// cacheEntry returns the checkpoint stored for a run of c.
func (c *Classifier) cacheEntry(t *Trained, history []report, version string) (*checkpoint.Checkpoint, error) {
	tree, err := ProgramTree(c)
	if err != nil {
		return nil, err
	}
	ckpt, err := NewCheckpointWith(tree, t.Net, t.Metrics, version, cacheOptions)
	if err != nil {
		return nil, err
	}
	h, err := json.Marshal(history)
	if err != nil {
		return nil, fmt.Errorf("trainer: history: %w", err)
	}
	ckpt.Metadata[KeyHistory] = string(h)
	return ckpt, nil
}

// fromCache returns c's trained model from a cache entry whose program
// must be canon: the metrics and reports recorded, and with needNet the
// network rebuilt.
func (c *Classifier) fromCache(ckpt *checkpoint.Checkpoint, canon string, needNet bool) (*Trained, []report, error) {
	if ckpt.Metadata[checkpoint.KeyProgram] != canon {
		return nil, nil, fmt.Errorf("%w: the entry records another program", ErrCheckpoint)
	}
	if err := checkShadows(ckpt); err != nil {
		return nil, nil, err
	}
	t := &Trained{Program: c}
	var err error
	if needNet {
		if t, _, err = loadTrained(c, ckpt); err != nil {
			return nil, nil, err
		}
	}
	if t.Metrics, err = MetricsOf(ckpt); err != nil {
		return nil, nil, err
	}
	var history []report
	if h, ok := ckpt.Metadata[KeyHistory]; ok {
		if err := json.Unmarshal([]byte(h), &history); err != nil {
			return nil, nil, fmt.Errorf("%w: %s: %v", ErrCheckpoint, KeyHistory, err)
		}
	}
	t.Metrics[MetricCached] = 1
	t.Cached = true
	return t, history, nil
}

// report is one intermediate report of a run.
type report struct {
	Step    int                `json:"step"`
	Metrics map[string]float64 `json:"metrics"`
}

// recorder is a Reporter that records the reports it passes on to next
// (which may be nil).
type recorder struct {
	next    Reporter
	history []report
}

func (r *recorder) Report(ctx context.Context, step int, m map[string]float64) error {
	r.history = append(r.history, report{Step: step, Metrics: maps.Clone(m)})
	if r.next == nil {
		return nil
	}
	return r.next.Report(ctx, step, m)
}

func (r *recorder) ShouldStop() bool { return r.next != nil && r.next.ShouldStop() }

// skipReported passes on the reports after step upTo, those a replay has
// not made yet; until the run reaches upTo, the stop the replay was told
// (at upTo) is not asked again.
type skipReported struct {
	next Reporter
	upTo int
	last int // the last step reported
}

func (s *skipReported) Report(ctx context.Context, step int, m map[string]float64) error {
	s.last = step
	if step <= s.upTo {
		return nil
	}
	return s.next.Report(ctx, step, m)
}

func (s *skipReported) ShouldStop() bool { return s.last >= s.upTo && s.next.ShouldStop() }

// short returns the first 12 digits of a cache key, as goglove cache ls
// shows it.
func short(key string) string { return key[:min(12, len(key))] }
