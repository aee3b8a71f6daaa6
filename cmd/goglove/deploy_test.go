package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/c2602f9e/goglove/search"
)

// TestDeployExample keeps the Kubernetes example of deploy/ in step with
// the command line: its study config decodes into a job, its containers'
// arguments are verbs and flags goglove accepts, and the Job's failure
// settings fit the reclaim logic. (kubectl apply --dry-run=client needs a
// cluster's API; .ci/run builds the example with kubectl kustomize when
// kubectl is installed.)
func TestDeployExample(t *testing.T) {
	dir := filepath.Join("..", "..", "deploy")
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in %s: %v", dir, err)
	}
	var docs []map[string]any
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var d map[string]any
			if err := dec.Decode(&d); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if d["kind"] != nil {
				docs = append(docs, d)
			}
		}
	}
	find := func(kind, name string) map[string]any {
		for _, d := range docs {
			if d["kind"] == kind && get(d, "metadata", "name") == name {
				return d
			}
		}
		t.Fatalf("no %s %s in deploy/", kind, name)
		return nil
	}
	cfg, _ := get(find("ConfigMap", "goglove-study"), "data", "study.yaml").(string)
	c, err := search.ParseConfig(newRegistry(), "deploy/study.yaml", []byte(cfg))
	if err != nil {
		t.Fatalf("the example's study config: %v", err)
	}
	if _, err := c.Job("deploy/study.yaml", newBuiltins()); err != nil {
		t.Fatalf("the example's study config: %v", err)
	}
	for _, job := range []string{"goglove-create-study", "goglove-workers"} {
		spec := find("Job", job)
		containers, _ := get(spec, "spec", "template", "spec", "containers").([]any)
		if len(containers) != 1 {
			t.Fatalf("Job %s: %d containers", job, len(containers))
		}
		var args []string
		for _, a := range get(containers[0], "args").([]any) {
			s := a.(string)
			switch {
			case s == "/config/study.yaml":
				s = "x.yaml"
			case strings.HasPrefix(s, "$("):
				s = "name"
			}
			args = append(args, s)
		}
		// Parse the arguments with the real command line, stopping
		// before the verb runs.
		root := newRootCmd()
		cmd, rest, err := root.Find(args)
		if err != nil || cmd == root {
			t.Fatalf("Job %s: args %v are not a goglove verb: %v", job, args, err)
		}
		if err := cmd.ParseFlags(rest); err != nil {
			t.Errorf("Job %s: args %v: %v", job, args, err)
		}
		if cmd.Name() == "worker" {
			if study, _ := cmd.Flags().GetString("study"); study != c.Study {
				t.Errorf("the workers join study %q, the config makes %q", study, c.Study)
			}
			if get(spec, "spec", "template", "spec", "restartPolicy") != "Never" {
				t.Errorf("workers: restartPolicy must be Never (a replaced pod is a new worker; podFailurePolicy needs it)")
			}
			rules, _ := get(spec, "spec", "podFailurePolicy", "rules").([]any)
			failsOn2 := false
			for _, r := range rules {
				values, _ := get(r, "onExitCodes", "values").([]any)
				failsOn2 = failsOn2 || get(r, "action") == "FailJob" && slices.Contains(values, any(exitBadInput))
			}
			if !failsOn2 {
				t.Errorf("workers: podFailurePolicy must fail the Job on exit code 2 (bad input): %v", rules)
			}
		}
	}
}

// get walks nested maps by keys.
func get(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
