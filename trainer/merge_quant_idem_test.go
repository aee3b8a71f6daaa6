package trainer_test

import (
	"context"
	"strings"
	"testing"
)

// Merging a quantized model with itself gives the model back: the shadow
// weights average to themselves and quantize to the same codes and
// scales, so the merged network's test figures are the model's own, loss
// included (requantizing the dequantized weights instead would shrink a
// ternary β and change the loss).
func TestMergeQuantizedModelWithItself(t *testing.T) {
	ctx := context.Background()
	for _, q := range []string{"{_type: trainer.Ternary, scale: absmean}", "{_type: trainer.Int8}"} {
		for _, align := range []string{"{_type: trainer.NoAlignment}", "{_type: trainer.WeightMatching}"} {
			m := strings.Replace(mergeModel(1), "hidden: [32, 32]}", "hidden: [32, 32], quant: "+q+"}", 1)
			merged, err := program(t, "_type: trainer.Merge\nalign: "+align+"\nmodels:"+m+m).Run(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			own, err := program(t, "_type: trainer.Evaluation\nmodel:"+strings.Replace(m, "  - ", "    ", 1)).Run(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if merged["test_loss"] != own["test_loss"] || merged["test_accuracy"] != own["test_accuracy"] {
				t.Errorf("%s, %s: merged with itself %v %v, the model %v %v", q, align,
					merged["test_accuracy"], merged["test_loss"], own["test_accuracy"], own["test_loss"])
			}
		}
	}
}
