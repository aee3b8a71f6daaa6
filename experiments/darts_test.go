package experiments_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/experiments"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/trainer"
)

// dartsConfig is a darts study over a small Sequential space on the
// synthetic data: a width, a layer (Dense or Identity) and the model's
// activation are relaxed; the learning rate is held.
const dartsConfig = `
study: darts-test
space:
  _type: trainer.Classifier
  data: {_type: trainer.Synthetic, train: 1000, validation: 300, test: 300, features: 16, classes: 4}
  model:
    _type: trainer.Sequential
    activation: !oneof [relu, gelu, tanh]
    layers:
      - {_type: trainer.Dense, units: !oneof [8, 16, 32]}
      - {_type: trainer.Activation}
      - !oneof [{_type: trainer.Dense, units: 16}, {_type: trainer.Identity}]
      - {_type: trainer.Activation}
      - {_type: trainer.Dense, units: 4}
  optimizer: {_type: trainer.AdamW, lr: 0.01}
  epochs: 2
  batch: 50
algorithm: {name: darts, epochs: %d, steps_per_epoch: 10, learning_rate: 0.05, top_k: 3, checkpoint: %q}
objective: {builtin: trainer.classify}
budget: {trials: 5}
seed: 1
`

func dartsJob(t *testing.T, epochs int, checkpoint string) *search.Job {
	t.Helper()
	src := fmt.Sprintf(dartsConfig, epochs, checkpoint)
	cfg, err := search.ParseConfig(newRegistry(t), "darts.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	job, err := cfg.Job("darts.yaml", experiments.Builtins())
	if err != nil {
		t.Fatal(err)
	}
	return job
}

// The supernet phase prints a line per epoch and checkpoints; the study
// then trains the derived programs, the argmax first, as ordinary trials.
func TestDartsStudy(t *testing.T) {
	ck := filepath.Join(t.TempDir(), "supernet.json")
	job := dartsJob(t, 3, ck)
	var out bytes.Buffer
	if err := experiments.RunDarts(context.Background(), job, logTo(&out, nil)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "darts: epoch 1/3: train loss ") || !strings.Contains(lines[2], ", val accuracy 0.") || !strings.Contains(lines[2], ", argmax [") {
		t.Fatalf("progress:\n%s", out.String())
	}
	if _, err := os.Stat(ck); err != nil {
		t.Fatalf("no checkpoint: %v", err)
	}
	d := job.Algorithm.(*algorithms.Darts)
	argmax, err := d.Argmax()
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
	if len(trials) != 3 || res.Completed != 3 {
		t.Fatalf("%d trials, %d completed; want the 3 derived programs", len(trials), res.Completed)
	}
	spec := job.Space.Spec()
	seen := map[string]bool{}
	for _, tr := range trials {
		if !(tr.Metrics["val_accuracy"] > 0.25) {
			t.Errorf("trial %d: metrics %v (%s)", tr.Number, tr.Metrics, tr.Error)
		}
		seen[tr.DNA.String()] = true
	}
	if !trials[0].DNA.Equal(argmax) || len(seen) != 3 {
		t.Fatalf("trials %s, %s, %s; want the argmax %s first, all distinct", spec.Format(trials[0].DNA), spec.Format(trials[1].DNA), spec.Format(trials[2].DNA), spec.Format(argmax))
	}
}

// logTo returns a logf that writes lines to b and calls after(line).
func logTo(b *bytes.Buffer, after func(string)) func(string, ...any) {
	return func(format string, args ...any) {
		line := fmt.Sprintf(format, args...)
		b.WriteString(line + "\n")
		if after != nil {
			after(line)
		}
	}
}

// A phase interrupted after an epoch resumes from its checkpoint at the
// next epoch; a finished phase is not repeated.
func TestDartsResume(t *testing.T) {
	ck := filepath.Join(t.TempDir(), "supernet.json")
	ctx, cancel := context.WithCancel(context.Background())
	var first bytes.Buffer
	stop := func(line string) {
		if strings.Contains(line, "epoch 2/4") {
			cancel()
		}
	}
	if err := experiments.RunDarts(ctx, dartsJob(t, 4, ck), logTo(&first, stop)); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted phase: %v, want context.Canceled", err)
	}
	var out bytes.Buffer
	job := dartsJob(t, 4, ck)
	if err := experiments.RunDarts(context.Background(), job, logTo(&out, nil)); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "resumed from "+ck+" after epoch 2\n") || strings.Contains(got, "epoch 2/4") || !strings.Contains(got, "epoch 3/4") || !strings.Contains(got, "epoch 4/4") {
		t.Fatalf("resumed phase:\n%s", got)
	}
	out.Reset()
	again := dartsJob(t, 4, ck)
	if err := experiments.RunDarts(context.Background(), again, logTo(&out, nil)); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "darts: resumed from "+ck+" after epoch 4\n" {
		t.Fatalf("finished phase ran again:\n%s", got)
	}
	a, _ := job.Algorithm.(*algorithms.Darts).Argmax()
	b, _ := again.Algorithm.(*algorithms.Darts).Argmax()
	if !a.Equal(b) {
		t.Fatalf("argmax after resuming %v, before %v", b, a)
	}
}

// The example config builds a darts job with its options.
func TestDartsSearchConfig(t *testing.T) {
	file := filepath.Join("configs", "darts-search.yaml")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := search.ParseConfig(newRegistry(t), file, src)
	if err != nil {
		t.Fatal(err)
	}
	job, err := cfg.Job(file, experiments.Builtins())
	if err != nil {
		t.Fatal(err)
	}
	d, ok := job.Algorithm.(*algorithms.Darts)
	if !ok || d.Epochs != 6 || d.StepsPerEpoch != 100 || d.TopK != 3 || d.Checkpoint != "darts-search.supernet.json" || job.Options.Trials != 3 {
		t.Fatalf("algorithm %#v, %d trials", job.Algorithm, job.Options.Trials)
	}
	if got := job.Space.Spec().String(); !strings.Contains(got, "model.layers[0].units: oneof of 3") || !strings.Contains(got, "model.activation: oneof of 3") {
		t.Fatalf("space:\n%s", got)
	}
}

// A model-level decision other than the activation is refused with its
// key path.
func TestDartsUnrelaxable(t *testing.T) {
	src := strings.Replace(fmt.Sprintf(dartsConfig, 1, ""), "    activation: !oneof", "    init: !oneof [he_uniform, glorot_uniform]\n    activation: !oneof", 1)
	cfg, err := search.ParseConfig(newRegistry(t), "darts.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	job, err := cfg.Job("darts.yaml", experiments.Builtins())
	if err != nil {
		t.Fatal(err)
	}
	err = experiments.RunDarts(context.Background(), job, nil)
	if want := "experiments: darts: space.model.init: cannot relax it"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %v, want %q", err, want)
	}
}

// The variants run through the same study path: second order (the
// trainer's finite-difference Hessian-vector step) and Gumbel-softmax
// with annealing, chosen by the algorithm section only.
func TestDartsVariants(t *testing.T) {
	for _, opts := range []string{"second_order: true", "gumbel: true, temperature: 2, final_temperature: 0.5"} {
		t.Run(opts, func(t *testing.T) {
			src := strings.Replace(fmt.Sprintf(dartsConfig, 2, ""), "top_k: 3", "top_k: 2, "+opts, 1)
			cfg, err := search.ParseConfig(newRegistry(t), "darts.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			job, err := cfg.Job("darts.yaml", experiments.Builtins())
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := experiments.RunDarts(context.Background(), job, logTo(&out, nil)); err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(out.String(), "darts: epoch "); n != 2 {
				t.Fatalf("%d epochs:\n%s", n, out.String())
			}
			res, err := job.Run(context.Background(), search.NewMemStore(), nil)
			if err != nil || res.Completed != 2 {
				t.Fatalf("%v completed, %v", res, err)
			}
		})
	}
}

// The logits over the epochs are drawn after the phase, a line per
// candidate, the epochs before a resumption included.
func TestDartsPlot(t *testing.T) {
	dir := t.TempDir()
	ck, plot := filepath.Join(dir, "supernet.json"), filepath.Join(dir, "logits.svg")
	job := func() *search.Job {
		src := strings.Replace(fmt.Sprintf(dartsConfig, 3, ck), "top_k: 3", fmt.Sprintf("top_k: 3, plot: %q", plot), 1)
		cfg, err := search.ParseConfig(newRegistry(t), "darts.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		j, err := cfg.Job("darts.yaml", experiments.Builtins())
		if err != nil {
			t.Fatal(err)
		}
		return j
	}
	ctx, cancel := context.WithCancel(context.Background())
	var log bytes.Buffer
	stop := func(line string) {
		if strings.Contains(line, "epoch 1/3") {
			cancel()
		}
	}
	if err := experiments.RunDarts(ctx, job(), logTo(&log, stop)); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted phase: %v", err)
	}
	if _, err := os.Stat(plot); err == nil {
		t.Fatal("an interrupted phase drew its plot")
	}
	j := job()
	if err := experiments.RunDarts(context.Background(), j, nil); err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(plot)
	if err != nil || !bytes.Contains(svg, []byte("<svg")) || !bytes.Contains(svg, []byte("model.activation=gelu")) {
		t.Fatalf("plot: %v, %.200s", err, svg)
	}
	b, err := os.ReadFile(ck)
	if err != nil {
		t.Fatal(err)
	}
	var saved struct{ Logits [][][]float64 }
	if err := json.Unmarshal(b, &saved); err != nil || len(saved.Logits) != 3 {
		t.Fatalf("checkpoint logits of %d epochs (%v), want 3", len(saved.Logits), err)
	}
	d := j.Algorithm.(*algorithms.Darts)
	chart := experiments.DartsLogitsChart(j.Space.Spec(), d.Decisions(), saved.Logits)
	series := chart.Panels[0].Series
	if len(series) != 8 || series[0].Name != "model.activation=relu" || series[6].Name != "model.layers[2]=Dense" || series[7].Name != "model.layers[2]=Identity" {
		t.Fatalf("series %+v", series)
	}
	for _, s := range series {
		if len(s.Points) != 3 {
			t.Fatalf("series %s has %d points, want 3", s.Name, len(s.Points))
		}
	}
	if last := saved.Logits[2]; !reflect.DeepEqual(last, d.Logits()) {
		t.Fatalf("last logits %v, the algorithm's %v", last, d.Logits())
	}
}

// Every derived DNA, down to the least probable, decodes to a valid
// program of the unchanged space, a Classifier whose Sequential names
// no trainer.Mixed.
func TestDartsDerivedDNADecodes(t *testing.T) {
	job := dartsJob(t, 1, "")
	if err := experiments.RunDarts(context.Background(), job, nil); err != nil {
		t.Fatal(err)
	}
	d := job.Algorithm.(*algorithms.Darts)
	all, err := d.MostProbable(100)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 18 { // 3 activations × 3 widths × 2 layers
		t.Fatalf("%d derived programs, want the space's 18", len(all))
	}
	for _, dna := range all {
		prog, err := job.Space.Decode(dna)
		if err != nil {
			t.Fatalf("%v: %v", dna, err)
		}
		c, err := experiments.Classifier(prog)
		if err != nil {
			t.Fatalf("%v: %v", dna, err)
		}
		seq := c.Model.(trainer.Sequential)
		for i, l := range seq.Layers {
			if _, mixed := l.(trainer.Mixed); mixed {
				t.Fatalf("%v: layer %d is a trainer.Mixed", dna, i)
			}
		}
		if _, err := seq.Network(16, 4, 1); err != nil {
			t.Fatalf("%v: %v", dna, err)
		}
	}
}
