package trainer_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// quantClassifier is a small ternary Classifier on a synthetic task.
const quantClassifier = `_type: trainer.Classifier
data: {_type: trainer.Synthetic, train: 600, validation: 0, test: 200, features: 12, classes: 3}
model: {_type: trainer.MLP, hidden: [16, 16], quant: {_type: trainer.Ternary, scale: absmean}}
optimizer: {_type: trainer.AdamW, lr: 0.01}
epochs: 3
seed: 4`

// sameQuantParams fails t unless a and b have the same parameters, bit for
// bit, and the same quantized codes.
func sameQuantParams(t *testing.T, what string, a, b *nn.Sequential) {
	t.Helper()
	pa, pb := a.Params(), b.Params()
	if len(pa) != len(pb) {
		t.Fatalf("%s: %d parameters, %d", what, len(pa), len(pb))
	}
	for i, p := range pa {
		for j, v := range p.Value.Data {
			if math.Float32bits(v) != math.Float32bits(pb[i].Value.Data[j]) {
				t.Fatalf("%s: %s[%d] = %v, %v", what, p.Name, j, v, pb[i].Value.Data[j])
			}
		}
	}
	qa, qb := nn.QuantLayers(a), nn.QuantLayers(b)
	if len(qa) == 0 || len(qa) != len(qb) {
		t.Fatalf("%s: %d and %d quantized layers", what, len(qa), len(qb))
	}
	for i, q := range qa {
		if string(int8Bytes(q.Codes())) != string(int8Bytes(qb[i].Codes())) {
			t.Fatalf("%s: quantized layer %d computes with other codes", what, i)
		}
	}
}

func int8Bytes(c []int8) []byte {
	b := make([]byte, len(c))
	for i, v := range c {
		b[i] = byte(v)
	}
	return b
}

// A quantized model from the cache is the model training hands on: its
// fp32 shadow weights, not only its codes, bit for bit those of a run
// without a cache; so that a fine-tune or a merge built on it does not
// depend on whether the cache was warm.
func TestCachedQuantizedModelKeepsShadowWeights(t *testing.T) {
	ctx := context.Background()
	p := program(t, quantClassifier).(trainer.ModelProgram)
	fresh, err := p.TrainedModel(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	env, epochs, _ := cachedEnv(t)
	if _, err := p.TrainedModel(ctx, env); err != nil { // fills the cache
		t.Fatal(err)
	}
	trained := *epochs
	warm, err := p.TrainedModel(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	if !warm.Cached || *epochs != trained {
		t.Fatalf("the second run was not a cache hit (cached %v, epochs %d then %d)", warm.Cached, trained, *epochs)
	}
	sameQuantParams(t, "fresh and from the cache", fresh.Net, warm.Net)
	// Training goes on from the shadow weights: the codes are not fixed.
	w := nn.QuantLayers(warm.Net)[0]
	before := append([]int8(nil), w.Codes()...)
	for i := range w.W.Value.Data {
		w.W.Value.Data[i] *= -1
	}
	if string(int8Bytes(w.Codes())) == string(int8Bytes(before)) {
		t.Error("the cached layer's codes do not follow its weights: they are fixed as in a codes-only checkpoint")
	}
}

// An entry of a quantized model without its shadow weights (as written
// before entries kept them) is not taken for the model: it is retrained
// and replaced.
func TestCacheEntryWithoutShadowWeightsRetrains(t *testing.T) {
	ctx := context.Background()
	p := program(t, quantClassifier).(trainer.ModelProgram)
	env, epochs, notices := cachedEnv(t)
	fresh, err := p.TrainedModel(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	canon, err := trainer.Canonical(p)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := trainer.ProgramTree(fresh.Program)
	if err != nil {
		t.Fatal(err)
	}
	old, err := trainer.NewCheckpoint(tree, fresh.Net, fresh.Metrics, "")
	if err != nil {
		t.Fatal(err)
	}
	old.Metadata[checkpoint.KeyProgram] = string(canon)
	if err := env.Cache.Put(cache.Key(canon), old); err != nil {
		t.Fatal(err)
	}
	trained := *epochs
	again, err := p.TrainedModel(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	if again.Cached || *epochs == trained || !strings.Contains(strings.Join(*notices, "\n"), "without its shadow weights") {
		t.Fatalf("a codes-only entry was used (cached %v, epochs %d then %d, notices %q)", again.Cached, trained, *epochs, *notices)
	}
	sameQuantParams(t, "retrained", fresh.Net, again.Net)
	third, err := p.TrainedModel(ctx, env)
	if err != nil || !third.Cached {
		t.Fatalf("the retrained model did not replace the entry: cached %v, %v", third != nil && third.Cached, err)
	}
	sameQuantParams(t, "from the replaced entry", fresh.Net, third.Net)
}
