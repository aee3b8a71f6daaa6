package trainer

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// Program is a child program the trainer runs to metrics: a
// trainer.Classifier trains a network, a trainer.Evaluation evaluates a
// trained one on other data. Implementations are registered program
// types; a program may hold other programs as fields (an Evaluation's
// model is a Classifier or a Checkpoint), so that a whole pipeline is one
// symbolic tree, and one search space.
type Program interface {
	// Run runs the program and returns its metrics. env carries the
	// run's options; a nil env is the zero Env.
	Run(ctx context.Context, env *Env) (map[string]float64, error)
}

// ModelProgram is a Program whose run leaves a trained network: a
// Classifier trains one (or takes it from the cache), a Checkpoint reads
// one from a file. Stages that start from a trained model (evaluation,
// and in later versions fine-tuning and merging) take their inputs as
// ModelPrograms.
type ModelProgram interface {
	Program
	// TrainedModel returns the trained model.
	TrainedModel(ctx context.Context, env *Env) (*Trained, error)
}

// Trained is a trained network with what produced it.
type Trained struct {
	// Net is the trained network.
	Net *nn.Sequential
	// Program is the Classifier that trained Net.
	Program *Classifier
	// Metrics are the metrics of the run that trained Net (for a cached
	// or saved model, those recorded when it was trained).
	Metrics map[string]float64
	// Features and Classes are Net's input and output widths.
	Features, Classes int
	// Cached reports whether Net came from the trained-model cache.
	Cached bool

	evalBatch int // rows evaluated at a time, as in the run that trained Net
}

// Env carries what a run needs besides the program: where progress and
// intermediate metrics go, and the trained-model cache. The zero Env
// runs without reporting and without a cache.
type Env struct {
	// Reporter, if not nil, receives the intermediate metrics of the
	// program's own training (see TrainOptions.Reporter); sub-programs
	// (a stage's base model) do not report to it.
	Reporter Reporter
	// Progress, if not nil, is told about each training epoch, of the
	// program and of its sub-programs.
	Progress func(Progress)
	// Cache, if not nil, holds trained models by the canonical form of
	// their program, so that no program is trained twice (see
	// Classifier.TrainedModel).
	Cache *cache.Cache
	// Notice, if not nil, is told one-line warnings a user should see (a
	// damaged cache entry retrained, a model that could not be cached).
	Notice func(string)
	// Version is the goglove version written into cached checkpoints.
	Version string
}

// sub returns the Env of a sub-program: the same cache, progress and
// notices, no Reporter.
func (e *Env) sub() *Env {
	s := *e
	s.Reporter = nil
	return &s
}

// notice passes msg to e.Notice, if set.
func (e *Env) notice(format string, args ...any) {
	if e.Notice != nil {
		e.Notice(fmt.Sprintf(format, args...))
	}
}

// orZero returns e, or the zero Env if e is nil.
func (e *Env) orZero() *Env {
	if e == nil {
		return &Env{}
	}
	return e
}

// AsProgram binds a symbolic program tree to a Program. A tree whose root
// is not a registered program type gives an ErrProgram error saying what
// was expected and what it got; a field that does not bind gives the
// symbolic error naming its key path.
func AsProgram(tree symbolic.Value) (Program, error) {
	o, ok := tree.(*symbolic.Object)
	if !ok || !isProgramType(o.Type().GoType()) {
		got := "nothing"
		switch {
		case ok:
			got = o.Type().Name()
		case tree != nil && tree.Kind() != symbolic.KindNull:
			got = "a " + tree.Kind().String()
		}
		return nil, fmt.Errorf("%w: want a trainer program (%s at the top), got %s", ErrProgram, programTypeList(), got)
	}
	return symbolic.To[Program](tree)
}

var (
	programType      = reflect.TypeFor[Program]()
	modelProgramType = reflect.TypeFor[ModelProgram]()
)

// isProgramType reports whether values of t, or pointers to them, are
// Programs.
func isProgramType(t reflect.Type) bool { return implements(t, programType) }

// implements reports whether values of t, or pointers to them, implement
// the interface iface.
func implements(t, iface reflect.Type) bool {
	return t.Implements(iface) || reflect.PointerTo(t).Implements(iface)
}

// ProgramTypes returns the names of the registered trainer types that are
// Programs, sorted: the types a trainer.run trial or goglove train may
// have at the top.
func ProgramTypes() []string { return typesImplementing(programType) }

// ModelProgramTypes returns the names of the registered trainer types that
// are ModelPrograms, sorted: those that leave a trained model.
func ModelProgramTypes() []string { return typesImplementing(modelProgramType) }

// typesImplementing returns the sorted names of the registered trainer
// types that implement iface.
func typesImplementing(iface reflect.Type) []string {
	r, err := trainerRegistry()
	if err != nil {
		return nil
	}
	var names []string
	for _, t := range r.Types() {
		if implements(t.GoType(), iface) {
			names = append(names, t.Name())
		}
	}
	sort.Strings(names)
	return names
}

// ProgramTree returns the symbolic tree of a trainer program built in Go
// (or bound from a tree): every field as the value holds it.
func ProgramTree(p any) (symbolic.Value, error) {
	r, err := trainerRegistry()
	if err != nil {
		return nil, err
	}
	tree, err := r.FromGo(p)
	if err != nil {
		return nil, fmt.Errorf("trainer: program tree: %w", err)
	}
	return tree, nil
}

// programTypeList is ProgramTypes as "_type: a, b or c".
func programTypeList() string {
	names := ProgramTypes()
	switch len(names) {
	case 0:
		return "_type"
	case 1:
		return "_type: " + names[0]
	}
	return "_type: " + strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
