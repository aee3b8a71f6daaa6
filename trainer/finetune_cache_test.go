package trainer

import (
	"context"
	"reflect"
	"testing"

	"github.com/c2602f9e/goglove/trainer/cache"
)

// TestFineTuneCache: with a cache, a second run of a fine-tune trains
// nothing and gives the same result (metrics but cached, spectra,
// mitigation, adapter, network), and another fine-tune misses.
func TestFineTuneCache(t *testing.T) {
	c, err := cache.Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var notices []string
	env := &Env{Cache: c, Notice: func(s string) { notices = append(notices, s) }}
	ctx := context.Background()
	f := ftLoRA(2)
	first, err := f.Tune(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.Tune(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	if first.Metrics[MetricCached] != 0 || second.Metrics[MetricCached] != 1 || !second.Trained.Cached || second.Base != nil {
		t.Fatalf("cached %v then %v, base %v", first.Metrics[MetricCached], second.Metrics[MetricCached], second.Base)
	}
	for k, v := range first.Metrics {
		if k != MetricCached && second.Metrics[k] != v {
			t.Errorf("%s: %v, from the cache %v", k, v, second.Metrics[k])
		}
	}
	if !reflect.DeepEqual(first.Scaled, second.Scaled) || len(first.Layers) != len(second.Layers) {
		t.Errorf("scaled %v, from the cache %v", first.Scaled, second.Scaled)
	}
	for i, l := range first.Layers {
		g := second.Layers[i]
		if l.Path != g.Path || !reflect.DeepEqual(l.Intruders, g.Intruders) || !reflect.DeepEqual(l.Tuned, g.Tuned) || !reflect.DeepEqual(l.Update, g.Update) || l.UpdateEffectiveRank != g.UpdateEffectiveRank {
			t.Errorf("%s: the spectrum from the cache differs", l.Path)
		}
	}
	if !reflect.DeepEqual(first.Adapter, second.Adapter) {
		t.Errorf("adapter %+v, from the cache %+v", first.Adapter, second.Adapter)
	}
	x := testInputs()
	want, got := forward(first.Trained.Net, x), forward(second.Trained.Net, x)
	if !reflect.DeepEqual(want, got) {
		t.Error("the network from the cache computes otherwise")
	}
	base := trainedBase(t)
	if l1, a1, err := first.Forgetting(base); err != nil {
		t.Fatal(err)
	} else if l2, a2, err := second.Forgetting(base); err != nil || l1 != l2 || a1 != a2 {
		t.Errorf("forgetting %v %v, from the cache %v %v (%v)", l1, a1, l2, a2, err)
	}
	// An Evaluation of the cached fine-tune evaluates the network from
	// the cache on the task.
	ev, err := Evaluation{Model: f}.Run(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	if ev[MetricTestAccuracy] != first.Metrics[MetricTargetAccuracy] || ev[MetricCached] != 1 {
		t.Errorf("evaluation %v, the fine-tune's target %v", ev, first.Metrics[MetricTargetAccuracy])
	}
	other := f
	other.Seed = 1
	r, err := other.Tune(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	if r.Metrics[MetricCached] != 0 || r.Metrics[MetricBaseCached] != 1 {
		t.Errorf("another seed: cached %v, base cached %v", r.Metrics[MetricCached], r.Metrics[MetricBaseCached])
	}
}
