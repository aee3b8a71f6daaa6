package trainer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// indentBy indents every line of s by n spaces.
func indentBy(s string, n int) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}

// quantBase is the YAML of a base with a quantized middle layer (fp32
// first and output layers), from seed.
func quantBase(seed int) string {
	return fmt.Sprintf(`_type: trainer.Classifier
data: {_type: trainer.Synthetic, train: 600, validation: 0, test: 200, features: 12, classes: 3}
model: {_type: trainer.MLP, hidden: [16, 16], quant: {_type: trainer.Ternary, scale: absmean}, fp32_first: true, fp32_last: true}
optimizer: {_type: trainer.AdamW, lr: 0.01}
epochs: 3
seed: %d`, seed)
}

// tuneOf is the YAML of a fine-tune of base (YAML) on a task of the
// base's classes, keeping its head.
func tuneOf(base, method string, seed, task int) string {
	return fmt.Sprintf(`_type: trainer.FineTune
base:
%s
task: {_type: trainer.Synthetic, train: 600, validation: 0, test: 200, features: 12, classes: 3, seed: %d}
head: keep
method: %s
optimizer: {_type: trainer.AdamW, lr: 0.003}
epochs: 2
batch: 64
seed: %d
lambdas: []`, indentBy(base, 2), task, method, seed)
}

// Fine-tunes of one quantized base merge by their task vectors: task
// arithmetic at scale 0 is the base itself (its figures, bit for bit),
// and TIES leaves the frozen quantized layer as the base computes it;
// fine-tunes of two different bases merge with weight matching, which
// brings them closer.
func TestMergeFineTunesOfQuantizedBases(t *testing.T) {
	ctx := context.Background()
	data := "data: {_type: trainer.Synthetic, train: 600, validation: 0, test: 200, features: 12, classes: 3}\n"
	shared := func(combine string) trainer.ModelProgram {
		b := quantBase(4)
		src := "_type: trainer.Merge\n" + data + "combine: " + combine + "\nbase:\n" + indentBy(b, 2) + "\nmodels:\n" +
			"  - " + strings.TrimSpace(indentBy(tuneOf(b, "{_type: trainer.LoRA, rank: 4, alpha: 8}", 1, 9), 4)) + "\n" +
			"  - " + strings.TrimSpace(indentBy(tuneOf(b, "{_type: trainer.Full}", 2, 10), 4)) + "\n"
		return program(t, src).(trainer.ModelProgram)
	}
	base, err := program(t, quantBase(4)).(trainer.ModelProgram).TrainedModel(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	own, err := program(t, "_type: trainer.Evaluation\nmodel:\n"+indentBy(quantBase(4), 2)).Run(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	zero, err := shared("{_type: trainer.TaskArithmetic, scale: 0}").TrainedModel(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if zero.Metrics["test_accuracy"] != own["test_accuracy"] || zero.Metrics["test_loss"] != own["test_loss"] {
		t.Errorf("task arithmetic at scale 0: %v %v, the base %v %v", zero.Metrics["test_accuracy"], zero.Metrics["test_loss"], own["test_accuracy"], own["test_loss"])
	}
	for _, c := range []string{"{_type: trainer.TaskArithmetic, scale: 1}", "{_type: trainer.TIES, density: 0.5}"} {
		m, err := shared(c).TrainedModel(ctx, nil)
		if err != nil {
			t.Fatal(c, err)
		}
		bq, mq := nn.QuantLayers(base.Net), nn.QuantLayers(m.Net)
		if len(bq) != 1 || len(mq) != 1 || string(int8Bytes(bq[0].Codes())) != string(int8Bytes(mq[0].Codes())) || bq[0].Scales()[0] != mq[0].Scales()[0] {
			t.Errorf("%s: the merged quantized layer is not the base's", c)
		}
		if m.Metrics["test_accuracy"] < 0.4 {
			t.Errorf("%s: metrics %v", c, m.Metrics)
		}
	}
	different := "_type: trainer.Merge\n" + data + "align: {_type: trainer.WeightMatching}\nmodels:\n" +
		"  - " + strings.TrimSpace(indentBy(tuneOf(quantBase(4), "{_type: trainer.LoRA, rank: 2, alpha: 4}", 0, 9), 4)) + "\n" +
		"  - " + strings.TrimSpace(indentBy(tuneOf(quantBase(5), "{_type: trainer.Full}", 0, 9), 4)) + "\n"
	m, err := program(t, different).Run(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !(m["l2_ratio"] < 1) || m["models"] != 2 {
		t.Errorf("fine-tunes of two bases, weight matching: %v", m)
	}
}
