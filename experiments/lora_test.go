package experiments_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/experiments"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/c2602f9e/goglove/trainer/data"
)

func TestLoRARuns(t *testing.T) {
	o := experiments.LoRAOptions{}
	runs := o.Runs()
	if len(runs) != 14 {
		t.Fatalf("%d runs, want null, full and 6 ranks × 2 scalings = 14", len(runs))
	}
	var names []string
	for _, r := range runs[:6] {
		names = append(names, r.String())
	}
	if got, want := strings.Join(names, "; "), "null; full; lora r=1 α=2; lora r=1 rsLoRA α=8; lora r=2 α=4; lora r=2 rsLoRA α=8"; got != want {
		t.Errorf("runs %s, want %s", got, want)
	}
	for _, r := range runs[2:] {
		want := 2.0
		if r.RSLoRA {
			want = trainer.LoRA{Rank: r.Rank, Alpha: 8, RSLoRA: true}.Gamma()
		}
		if r.Gamma() != want {
			t.Errorf("%s: γ %v, want %v", r, r.Gamma(), want)
		}
	}
	if g := runs[len(runs)-1].Gamma(); g != 1 {
		t.Errorf("rsLoRA r=64 α=8: γ %v, want 1", g)
	}
	seq := o.SequenceRuns()
	if len(seq) != 3 || seq[1].Rank != 1 || seq[2].Rank != 64 || !seq[2].RSLoRA {
		t.Errorf("sequence runs %v", seq)
	}
	// Every program is inside the schema: the cache keys it.
	pre := o.Pretrain()
	for _, r := range seq {
		sq := o.SequenceProgram(r, pre)
		text, err := trainer.Canonical(sq)
		if err != nil {
			t.Fatalf("sequence %s: %v", r, err)
		}
		if len(sq.Tasks) != 6 || !strings.Contains(string(text), "transform: [invert]") {
			t.Errorf("sequence %s: %d tasks:\n%s", r, len(sq.Tasks), text)
		}
	}
	if _, err := trainer.Canonical(pre); err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		f := o.FineTune(r, pre, trainer.FashionMNIST{Transform: []string{"rot90"}, Standardize: true})
		text, err := trainer.Canonical(f)
		if err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		for _, want := range []string{"he_normal", "standardize: true", "_type: trainer.FineTune"} {
			if !strings.Contains(string(text), want) {
				t.Errorf("%s: the program does not say %q:\n%s", r, want, text)
			}
		}
	}
}

func TestLoRAOptionsCheck(t *testing.T) {
	for _, tc := range []struct {
		o    experiments.LoRAOptions
		want string
	}{
		{experiments.LoRAOptions{Ranks: []int{1, 300}}, "experiments: lora: ranks[1]: 300 is out of range; want 1 to the hidden width 256"},
		{experiments.LoRAOptions{Sequence: []string{"rot90", "transpose"}}, `experiments: lora: sequence[1]: "transpose" is not a task`},
		{experiments.LoRAOptions{Quick: true, HighRank: 64}, "experiments: lora: high_rank: 64 is out of range; want 1 to the hidden width 32"},
		{experiments.LoRAOptions{Epochs: -1}, "experiments: lora: epochs: -1 is out of range"},
		{experiments.LoRAOptions{Seed: -1}, "experiments: lora: seed: -1 is out of range"},
	} {
		if err := tc.o.Check(); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Check(%+v) = %v, want %s", tc.o, err, tc.want)
		}
	}
	if err := (experiments.LoRAOptions{}).Check(); err != nil {
		t.Errorf("the protocol: %v", err)
	}
}

// TestRunLoRAQuick runs the quick mode: the pre-trained base is trained
// once (a second run takes it from the cache), the null baseline has no
// intruders, every LoRA run has an adapter, and the sequences have a
// line per stage whose first stage's first-task figures are its own.
func TestRunLoRAQuick(t *testing.T) {
	if _, err := data.FashionMNIST("", 0); errors.Is(err, data.ErrNotFound) {
		t.Skipf("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): %v", err)
	}
	c, err := cache.Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	env := &trainer.Env{Cache: c}
	o := experiments.LoRAOptions{Quick: true}
	var lines int
	res, err := experiments.RunLoRA(context.Background(), o, env, func(p experiments.LoRAProgress) { lines++ })
	if err != nil {
		t.Fatal(err)
	}
	if res.Pretrain.Cached || !(res.Pretrain.PretrainAccuracy > 0.6) {
		t.Errorf("pre-training: %+v", res.Pretrain)
	}
	if len(res.Runs) != 6 || len(res.Stages) != 6 || lines != 13 {
		t.Fatalf("%d runs, %d stages, %d progress lines; want 6, 6 and 13", len(res.Runs), len(res.Stages), lines)
	}
	null := res.Runs[0]
	if null.Method != "null" || null.Intruders != 0 || null.Task != "original" {
		t.Errorf("null baseline: %+v", null)
	}
	for _, r := range res.Runs {
		if (r.Adapter != nil) != (r.Method == "lora") || len(r.Layers) != 2 || len(r.Lambda) != 2 || len(r.Layers[0].TunedSpectrum) != 32 {
			t.Errorf("%s r=%d: adapter %v, %d layers, %d λ", r.Method, r.Rank, r.Adapter != nil, len(r.Layers), len(r.Lambda))
		}
		if !(r.TargetAccuracy > 0.3) {
			t.Errorf("%s r=%d: target accuracy %v", r.Method, r.Rank, r.TargetAccuracy)
		}
	}
	for _, s := range res.Stages {
		if s.Stage == 1 && s.FirstAccuracy != s.TargetAccuracy {
			t.Errorf("%s stage 1: first-task accuracy %v, target %v", s.Sequence, s.FirstAccuracy, s.TargetAccuracy)
		}
	}
	if n := len(experiments.CheckLoRA(res)); n != 8 {
		t.Errorf("%d claims", n)
	}
	again, err := experiments.RunLoRA(context.Background(), o, env, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Pretrain.Cached || again.Runs[3].TargetAccuracy != res.Runs[3].TargetAccuracy {
		t.Errorf("second run: cached %v, target %v then %v", again.Pretrain.Cached, res.Runs[3].TargetAccuracy, again.Runs[3].TargetAccuracy)
	}
	// The second run read every fine-tune back, with the same figures.
	for i, r := range again.Runs {
		if !r.Cached || res.Runs[i].Cached || r.OrigLoss != res.Runs[i].OrigLoss || r.Intruders != res.Runs[i].Intruders || (r.Adapter != nil) != (res.Runs[i].Adapter != nil) {
			t.Errorf("run %d: cached %v then %v, orig loss %v then %v", i, res.Runs[i].Cached, r.Cached, res.Runs[i].OrigLoss, r.OrigLoss)
		}
	}
	for i, s := range again.Stages {
		if !s.Cached || s.FirstAccuracy != res.Stages[i].FirstAccuracy || s.OrigAccuracy != res.Stages[i].OrigAccuracy {
			t.Errorf("stage %d: cached %v, first %v then %v", i, s.Cached, res.Stages[i].FirstAccuracy, s.FirstAccuracy)
		}
	}
	// Without a cache the same figures.
	none, err := experiments.RunLoRA(context.Background(), o, &trainer.Env{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if none.Runs[5].TargetAccuracy != res.Runs[5].TargetAccuracy || none.Stages[5].FirstAccuracy != res.Stages[5].FirstAccuracy {
		t.Errorf("without a cache: run 5 target %v, stage 5 first %v; with one %v, %v", none.Runs[5].TargetAccuracy, none.Stages[5].FirstAccuracy, res.Runs[5].TargetAccuracy, res.Stages[5].FirstAccuracy)
	}
}
