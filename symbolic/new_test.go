package symbolic

import (
	"errors"
	"testing"
)

// TestNewMatchesDecode checks the defaults rule: a Go value started with
// New and given some fields converts (FromGo) to the tree that decoding a
// file giving only those fields builds.
func TestNewMatchesDecode(t *testing.T) {
	r := newTestRegistry()
	cases := []struct {
		name string
		goV  func(t *testing.T) any
		yaml string
	}{
		{"sgd defaults", func(t *testing.T) any { return MustNew[testSGD](r) }, "_type: test.SGD"},
		{"sgd one field", func(t *testing.T) any {
			s := MustNew[testSGD](r)
			s.LR = 0.5
			return s
		}, "{_type: test.SGD, lr: 0.5}"},
		{"explicit zero kept", func(t *testing.T) any {
			s := MustNew[testSGD](r)
			s.Momentum = 0
			return s
		}, "{_type: test.SGD, momentum: 0.0}"},
		{"pointer", func(t *testing.T) any {
			s := MustNew[*testSGD](r)
			s.Momentum = 0.5
			return s
		}, "{_type: test.SGD, momentum: 0.5}"},
		{"mlp list default", func(t *testing.T) any { return MustNew[testMLP](r) }, "_type: test.MLP"},
		{"classifier required and nested", func(t *testing.T) any {
			c := MustNew[testClassifier](r)
			c.Name = "c"
			c.Model = MustNew[testMLP](r)
			return c
		}, "{_type: test.Classifier, name: c, model: {_type: test.MLP}}"},
		{"hooked type", func(t *testing.T) any {
			s := MustNew[testSchedule](r)
			s.Warmup = 10
			return s
		}, "{_type: test.Schedule, warmup: 10}"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.FromGo(tc.goV(t))
			if err != nil {
				t.Fatal(err)
			}
			want, err := r.DecodeYAML([]byte(tc.yaml), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !Equal(got, want) {
				t.Errorf("FromGo(New…) = %v, decoding %q = %v", got, tc.yaml, want)
			}
		})
	}
}

func TestNewFields(t *testing.T) {
	r := newTestRegistry()
	c := MustNew[testClassifier](r)
	if c.Epochs != 5 || c.Batch != 500 || c.Seed != 0 || c.Name != "" || c.Model != nil || c.Optimizer != nil || c.Schedule != nil {
		t.Errorf("New[testClassifier] = %+v, want defaults with required fields zero", c)
	}
	if c.Tags == nil || len(c.Tags) != 0 {
		t.Errorf("Tags = %#v, want an empty map", c.Tags)
	}
	s := MustNew[testSchedule](r)
	if s.Total != 100 || s.decay != 0 {
		t.Errorf("New[testSchedule] = %+v, want total 100 and the hook not run (decay 0)", s)
	}
	// Values share nothing: changing one does not change the next.
	m := MustNew[testMLP](r)
	m.Hidden[0] = 1
	if again := MustNew[testMLP](r); again.Hidden[0] != 256 {
		t.Errorf("New[testMLP] after a change to an earlier value: hidden = %v", again.Hidden)
	}
}

func TestNewErrors(t *testing.T) {
	r := newTestRegistry()
	type unregistered struct{ X int }
	for name, f := range map[string]func() error{
		"unregistered struct": func() error { _, err := New[unregistered](r); return err },
		"not a struct":        func() error { _, err := New[int](r); return err },
		"interface":           func() error { _, err := New[testModel](r); return err },
		"nil registry":        func() error { _, err := New[testSGD](nil); return err },
	} {
		t.Run(name, func(t *testing.T) {
			err := f()
			if !errors.Is(err, ErrUnsupported) {
				t.Fatalf("err = %v, want ErrUnsupported", err)
			}
		})
	}
	t.Run("must panics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("MustNew of an unregistered type did not panic")
			}
		}()
		MustNew[unregistered](r)
	})
}
