package trainer_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// quantFineTune is the YAML of a fine-tune of a quantized Classifier
// (quant, and the model's extra fields) with method.
func quantFineTune(quant, extra, method string) string {
	return fmt.Sprintf(`_type: trainer.FineTune
base:
  _type: trainer.Classifier
  data: {_type: trainer.Synthetic, train: 600, validation: 0, test: 200, features: 12, classes: 3}
  model: {_type: trainer.MLP, hidden: [16, 16], quant: %s%s}
  optimizer: {_type: trainer.AdamW, lr: 0.01}
  epochs: 3
  seed: 4
task: {_type: trainer.Synthetic, train: 600, validation: 0, test: 200, features: 12, classes: 3, seed: 9}
method: %s
optimizer: {_type: trainer.AdamW, lr: 0.003}
epochs: 2
batch: 64`, quant, extra, method)
}

// A fine-tune of a quantized base trains its fp32 layers and keeps the
// quantized ones as the base computes them (same codes and scales); its
// figures are the same whether the base was trained now or taken from a
// warm cache, and a second run is a cache hit with the same figures.
func TestFineTuneQuantizedBase(t *testing.T) {
	ctx := context.Background()
	for _, quant := range []string{"{_type: trainer.Ternary, scale: absmean}", "{_type: trainer.Int8}"} {
		for _, method := range []string{"{_type: trainer.LoRA, rank: 2, alpha: 4}", "{_type: trainer.Full}"} {
			t.Run(quant+method, func(t *testing.T) {
				p := program(t, quantFineTune(quant, ", fp32_first: true, fp32_last: true", method)).(trainer.ModelProgram)
				cold, err := p.TrainedModel(ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				base := program(t, strings.SplitN(strings.SplitN(quantFineTune(quant, ", fp32_first: true, fp32_last: true", method), "base:\n", 2)[1], "\ntask:", 2)[0]).(trainer.ModelProgram)
				b, err := base.TrainedModel(ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				bq, tq := nn.QuantLayers(b.Net), nn.QuantLayers(cold.Net)
				if len(bq) != 1 || len(tq) != 1 {
					t.Fatalf("%d quantized layers in the base, %d in the fine-tune; want 1 (the middle one)", len(bq), len(tq))
				}
				if string(int8Bytes(bq[0].Codes())) != string(int8Bytes(tq[0].Codes())) || fmt.Sprint(bq[0].Scales()) != fmt.Sprint(tq[0].Scales()) {
					t.Error("the fine-tune changed the base's quantized layer")
				}
				if cold.Metrics["target_accuracy"] < 0.4 {
					t.Errorf("metrics %v", cold.Metrics)
				}
				// The base from a warm cache gives the same fine-tune.
				env, _, _ := cachedEnv(t)
				if _, err := base.TrainedModel(ctx, env); err != nil {
					t.Fatal(err)
				}
				warm, err := p.TrainedModel(ctx, env)
				if err != nil {
					t.Fatal(err)
				}
				w := maps.Clone(warm.Metrics)
				w["base_cached"] = cold.Metrics["base_cached"]
				if warm.Metrics["base_cached"] != 1 || !sameMetrics(cold.Metrics, w) {
					t.Errorf("cold %v, warm base %v", cold.Metrics, warm.Metrics)
				}
				sameQuantParams(t, "cold and on a cached base", cold.Net, warm.Net)
				again, err := p.TrainedModel(ctx, env)
				if err != nil || !again.Cached {
					t.Fatalf("the second fine-tune was not a cache hit: %v", err)
				}
				sameQuantParams(t, "fine-tune from the cache", cold.Net, again.Net)
			})
		}
	}
}

// A base whose hidden layers are all quantized has nothing a fine-tune
// may train: the error says so at method.targets, and naming a quantized
// layer as a target is an error too.
func TestFineTuneQuantizedBaseWithoutFP32Targets(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct{ extra, method, want string }{
		{", fp32_last: true", "{_type: trainer.LoRA, rank: 2}", "method.targets: the base network has no fp32 hidden dense layer"},
		{", fp32_first: true, fp32_last: true", "{_type: trainer.LoRA, rank: 2, targets: [\"layers[2]\"]}", "quantized layers are never targets"},
	} {
		p := program(t, quantFineTune("{_type: trainer.Ternary}", c.extra, c.method))
		_, err := p.Run(ctx, nil)
		if !errors.Is(err, trainer.ErrProgram) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: %v, want ErrProgram with %q", c.extra, c.method, err, c.want)
		}
	}
}

// A quantized base read from a codes-only checkpoint (written for
// inference) is fine-tuned as it computes: its quantized layer keeps the
// file's codes and scales, and the fine-tune's base_accuracy is the
// accuracy of the model saved.
func TestFineTuneQuantizedCheckpointBase(t *testing.T) {
	ctx := context.Background()
	base := program(t, quantBase(4)).(trainer.ModelProgram)
	b, err := base.TrainedModel(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := trainer.ProgramTree(b.Program)
	if err != nil {
		t.Fatal(err)
	}
	ckpt, err := trainer.NewCheckpoint(tree, b.Net, b.Metrics, "")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "base.safetensors")
	if err := checkpoint.WriteFile(path, ckpt); err != nil {
		t.Fatal(err)
	}
	ft := strings.Replace(tuneOf(quantBase(4), "{_type: trainer.LoRA, rank: 2, alpha: 4}", 0, 9), "base:\n"+indentBy(quantBase(4), 2), "base: {_type: trainer.Checkpoint, path: "+path+"}", 1)
	got, err := program(t, ft).(trainer.ModelProgram).TrainedModel(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Metrics["base_accuracy"] != b.Metrics["test_accuracy"] {
		t.Errorf("base_accuracy %v, the saved model's test_accuracy %v", got.Metrics["base_accuracy"], b.Metrics["test_accuracy"])
	}
	bq, tq := nn.QuantLayers(b.Net), nn.QuantLayers(got.Net)
	if len(tq) != 1 || string(int8Bytes(bq[0].Codes())) != string(int8Bytes(tq[0].Codes())) || bq[0].Scales()[0] != tq[0].Scales()[0] {
		t.Error("the fine-tune does not compute with the checkpoint's codes and scales")
	}
}
