package symbolic

import (
	"fmt"
)

// Test fixtures shared by the tests of this package: a small child-program
// schema in the shape of goglove's trainer, and a tagged value.

type testModel interface{ params() int }

type testMLP struct {
	Hidden     []int   `min:"1" max:"4096" default:"[256, 256]" doc:"hidden layer widths"`
	Activation string  `enum:"relu,gelu,tanh" default:"relu"`
	Dropout    float64 `min:"0" max:"1"`
}

func (m testMLP) params() int {
	n := 0
	for _, h := range m.Hidden {
		n += h
	}
	return n
}

type testResidual struct {
	Inner  testModel `sym:",required"`
	Blocks int       `min:"1" default:"2"`
}

func (r *testResidual) params() int { return r.Inner.params() * r.Blocks }

type testOptimizer interface{ rate() float64 }

type testSGD struct {
	LR       float64 `sym:"lr" min:"0" default:"0.1"`
	Momentum float64 `min:"0" max:"1" default:"0.9"`
}

func (s testSGD) rate() float64 { return s.LR }

type testAdamW struct {
	LR          float64 `sym:"lr" min:"0" default:"0.001"`
	WeightDecay float64 `min:"0"`
}

func (a testAdamW) rate() float64 { return a.LR }

// testSchedule validates and derives a field in OnBound.
type testSchedule struct {
	Warmup int `min:"0"`
	Total  int `min:"1" default:"100"`

	decay int // derived: Total - Warmup
}

func (s *testSchedule) OnBound() error {
	if s.Warmup > s.Total {
		return fmt.Errorf("warmup %d exceeds total %d", s.Warmup, s.Total)
	}
	s.decay = s.Total - s.Warmup
	return nil
}

type testClassifier struct {
	Model     testModel     `sym:",required"`
	Optimizer testOptimizer `default:"null"`
	Schedule  *testSchedule
	Epochs    int               `min:"1" default:"5"`
	Batch     int               `min:"1" default:"500"`
	Seed      int64             `doc:"random seed"`
	Tags      map[string]string `doc:"free-form labels"`
	Extra     any
	Name      string `sym:",required"`
}

// testTagged is a Tagged value: !choice followed by a non-empty list.
type testTagged struct{ content *List }

func (t *testTagged) Kind() Kind     { return KindTagged }
func (t *testTagged) String() string { return flowString(t) }
func (t *testTagged) Tag() string    { return "!choice" }
func (t *testTagged) Content() Value { return t.content }
func decodeTestTagged(path KeyPath, content Value) (Tagged, error) {
	l, ok := content.(*List)
	if !ok || l.Len() == 0 {
		return nil, &Error{Path: path, Msg: "!choice wants a non-empty list, got " + describe(content), Err: ErrKind}
	}
	return &testTagged{content: l}, nil
}

// newTestRegistry returns a registry holding the fixture types and tag.
func newTestRegistry() *Registry {
	r := NewRegistry()
	MustRegister[testMLP](r, "test.MLP", "a multi-layer perceptron")
	MustRegister[testResidual](r, "test.Residual", "a model wrapped in residual blocks")
	MustRegister[testSGD](r, "test.SGD", "")
	MustRegister[testAdamW](r, "test.AdamW", "")
	MustRegister[testSchedule](r, "test.Schedule", "")
	MustRegister[testClassifier](r, "test.Classifier", "a classifier program")
	if err := r.RegisterTag("!choice", decodeTestTagged); err != nil {
		panic(err)
	}
	return r
}
