package experiments_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/experiments"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/trainer"
)

// loadDartsFineTune builds the job of the darts-lora-rank example with
// src's text (the file's when src is "").
func loadDartsFineTune(t *testing.T, src string) *search.Job {
	t.Helper()
	file := filepath.Join("configs", "darts-lora-rank.yaml")
	if src == "" {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		src = string(b)
	}
	cfg, err := search.ParseConfig(newRegistry(t), file, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	job, err := cfg.Job(file, experiments.Builtins())
	if err != nil {
		t.Fatal(err)
	}
	return job
}

// The example config's LoRA rank is searched by darts end to end: the
// supernet phase logs an epoch a line and checkpoints, then the derived
// programs decode to FineTunes of distinct candidate ranks, the argmax
// first, and train as ordinary trials.
func TestDartsFineTuneRank(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("configs", "darts-lora-rank.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ck := filepath.Join(t.TempDir(), "rank.json")
	src := strings.Replace(string(b), "top_k: 3}", "top_k: 3, checkpoint: "+ck+"}", 1)
	job := loadDartsFineTune(t, src)
	var out bytes.Buffer
	if err := experiments.RunDarts(context.Background(), job, logTo(&out, nil)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[2], "darts: epoch 3/3: train loss ") || !strings.Contains(lines[2], ", argmax [") {
		t.Fatalf("progress:\n%s", out.String())
	}
	if _, err := os.Stat(ck); err != nil {
		t.Fatalf("no checkpoint: %v", err)
	}
	argmax, err := job.Algorithm.(*algorithms.Darts).Argmax()
	if err != nil {
		t.Fatal(err)
	}
	st := search.NewMemStore()
	res, err := job.Run(context.Background(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	trials, err := st.Trials(context.Background(), res.Study)
	if err != nil {
		t.Fatal(err)
	}
	if len(trials) != 3 || res.Completed != 3 || !trials[0].DNA.Equal(argmax) {
		t.Fatalf("%d trials, %d completed; want the 3 derived programs, the argmax first", len(trials), res.Completed)
	}
	ranks := map[int]bool{}
	for _, tr := range trials {
		prog, err := job.Space.Decode(tr.DNA)
		if err != nil {
			t.Fatal(err)
		}
		p, err := trainer.AsProgram(prog)
		if err != nil {
			t.Fatal(err)
		}
		f, ok := p.(trainer.FineTune)
		if !ok {
			t.Fatalf("trial %d: program %T, want a trainer.FineTune", tr.Number, p)
		}
		l, ok := f.Method.(trainer.LoRA)
		if !ok {
			t.Fatalf("trial %d: method %T", tr.Number, f.Method)
		}
		if l.Rank != 1 && l.Rank != 2 && l.Rank != 4 {
			t.Errorf("trial %d: rank %d, want a candidate", tr.Number, l.Rank)
		}
		if f.Optimizer.LearningRate() != 0.003 {
			t.Errorf("trial %d: lr %v, want the held 0.003", tr.Number, f.Optimizer.LearningRate())
		}
		ranks[l.Rank] = true
		if !(tr.Metrics[trainer.MetricTargetAccuracy] > 0.25) {
			t.Errorf("trial %d: metrics %v (%s)", tr.Number, tr.Metrics, tr.Error)
		}
	}
	if len(ranks) != 3 {
		t.Fatalf("ranks %v, want the three candidates", ranks)
	}
}

// A fine-tune space without a rank oneof, with the rank inside a choice
// of methods, or whose task has no validation split, is refused with the key path.
func TestDartsFineTuneUnrelaxable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("configs", "darts-lora-rank.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to, want string }{
		{"rank: !oneof [1, 2, 4]", "rank: 2", "experiments: darts: space.method.rank: no decision to relax"},
		{"method: {_type: trainer.LoRA, rank: !oneof [1, 2, 4], alpha: 4.0}", "method: !oneof [{_type: trainer.Full}, {_type: trainer.LoRA, rank: !oneof [1, 2, 4], alpha: 4.0}]", "experiments: darts: space.method[1].rank: cannot relax a rank inside a choice of methods"},
		{"train: 400, validation: 200", "train: 400, validation: 0", "experiments: darts: space: trainer: invalid program: task:"},
	} {
		job := loadDartsFineTune(t, strings.Replace(string(b), c.from, c.to, 1))
		err := experiments.RunDarts(context.Background(), job, nil)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.to, err, c.want)
		}
	}
}

// With the trained-model cache on, the supernet phase trains the base
// once and stores it, so that every derived trial takes it from the
// cache; an interrupted phase resumes from its checkpoint.
func TestDartsFineTuneCacheResume(t *testing.T) {
	t.Setenv("GOGLOVE_CACHE", t.TempDir())
	b, err := os.ReadFile(filepath.Join("configs", "darts-lora-rank.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ck := filepath.Join(t.TempDir(), "rank.json")
	src := strings.Replace(string(b), "top_k: 3}", "top_k: 3, checkpoint: "+ck+"}", 1)
	ctx, cancel := context.WithCancel(context.Background())
	var first bytes.Buffer
	stop := func(line string) {
		if strings.Contains(line, "epoch 2/3") {
			cancel()
		}
	}
	if err := experiments.RunDarts(ctx, loadDartsFineTune(t, src), logTo(&first, stop)); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted phase: %v, want context.Canceled", err)
	}
	job := loadDartsFineTune(t, src)
	var out bytes.Buffer
	if err := experiments.RunDarts(context.Background(), job, logTo(&out, nil)); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "darts: resumed from "+ck+" after epoch 2\n") || !strings.Contains(got, "epoch 3/3") || strings.Contains(got, "epoch 2/3") {
		t.Fatalf("resumed phase:\n%s", got)
	}
	st := search.NewMemStore()
	res, err := job.Run(context.Background(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	trials, err := st.Trials(context.Background(), res.Study)
	if err != nil {
		t.Fatal(err)
	}
	if len(trials) != 3 {
		t.Fatalf("%d trials, want 3", len(trials))
	}
	for _, tr := range trials {
		if tr.Metrics[trainer.MetricBaseCached] != 1 {
			t.Errorf("trial %d: base_cached %v, want the base the supernet phase stored", tr.Number, tr.Metrics[trainer.MetricBaseCached])
		}
	}
}
