package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pipelineSearch is the config that searches a whole pipeline: bases
// (their quantizer), fine-tunes (method, LoRA rank) and their merge
// (alignment, combination).
var pipelineSearch = filepath.Join("..", "..", "experiments", "configs", "pipeline.yaml")

// The config loads: its space is the three quantizer branches, each with
// the two fine-tunes' methods and ranks and the merge's alignment and
// combination; its study can be created and its samples are merges.
func TestPipelineSearchConfig(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), "space", "inspect", pipelineSearch)
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "space: oneof of 3\n") || !strings.Contains(stdout, "\nsize: 384\n") {
		t.Errorf("space inspect: code %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	for _, want := range []string{"space[2].models[1].method[1].rank: oneof of 3", "space[0].align: oneof of 4", "space[1].combine: oneof of 2"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("space inspect does not show %q", want)
		}
	}
	code, stdout, stderr = runCLI(t, t.Context(), "search", pipelineSearch, "--store", "mem://", "--create")
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "study pipeline is ready") {
		t.Errorf("search --create: code %d, stderr %q, stdout %q", code, stderr, stdout)
	}
	code, stdout, stderr = runCLI(t, t.Context(), "space", "sample", pipelineSearch, "--n", "3", "--seed", "1")
	if code != 0 || stderr != "" || strings.Count(stdout, "_type: trainer.Merge") != 3 || strings.Count(stdout, "_type: trainer.FineTune") != 6 {
		t.Errorf("space sample: code %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
}

// quickPipeline writes the config with Fashion-MNIST replaced by small
// synthetic data (the same for every base, another for the task) and
// returns its path.
func quickPipeline(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(pipelineSearch)
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	for _, r := range []struct{ from, to string }{
		{"{_type: trainer.FashionMNIST, validation: 0, standardize: true}", "{_type: trainer.Synthetic, train: 300, validation: 0, test: 100, features: 12, classes: 10}"},
		{"{_type: trainer.FashionMNIST, validation: 0, transform: [hflip], standardize: true}", "{_type: trainer.Synthetic, train: 300, validation: 0, test: 100, features: 12, classes: 10, seed: 5}"},
	} {
		if !strings.Contains(src, r.from) {
			t.Fatalf("%s no longer has %s", pipelineSearch, r.from)
		}
		src = strings.ReplaceAll(src, r.from, r.to)
	}
	path := filepath.Join(t.TempDir(), "pipeline.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// searchNotices runs a search and returns its exit code, stderr and the
// objective's notices (which go to the process's standard error).
func searchNotices(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	notices := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		notices <- string(b)
	}()
	code, _, stderr := runCLI(t, t.Context(), args...)
	os.Stderr = saved
	w.Close()
	return code, stderr, <-notices
}

// A short search of the pipeline on small data trains each base and each
// fine-tune at most once: a trial that repeats one takes it from the
// cache, as its lines say; and a second search over the same cache (a new
// study proposing the same trials) trains nothing at all.
func TestPipelineSearchRun(t *testing.T) {
	cfg := quickPipeline(t)
	t.Setenv("GOGLOVE_CACHE", t.TempDir())
	const trials = 10
	code, stderr, first := searchNotices(t, "search", cfg, "--store", "mem://", "--trials", fmt.Sprint(trials), "--workers", "1")
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	basesTrained := strings.Count(first, "the base model was trained now")
	tunesTrained := strings.Count(first, "was trained now (and cached)")
	hits := strings.Count(first, "was taken from the trained-model cache")
	// Two merged models a trial; 3 quantizers × 2 seeds bases.
	if strings.Count(first, "merge: models[") != 2*trials {
		t.Errorf("%d merge lines, want %d:\n%s", strings.Count(first, "merge: models["), 2*trials, first)
	}
	if basesTrained == 0 || basesTrained > 6 || hits == 0 || tunesTrained >= 2*trials {
		t.Errorf("bases trained %d (at most 6 differ), fine-tunes trained %d of %d, cache hits %d:\n%s", basesTrained, tunesTrained, 2*trials, hits, first)
	}
	code, stderr, second := searchNotices(t, "search", cfg, "--store", "mem://", "--trials", fmt.Sprint(trials), "--workers", "1")
	if code != 0 {
		t.Fatalf("second search: exit code %d, stderr %q", code, stderr)
	}
	if n := strings.Count(second, "trained now"); n != 0 || strings.Count(second, "merge: models[") != 2*trials {
		t.Errorf("the second search over a warm cache trained %d sub-programs:\n%s", n, second)
	}
}
