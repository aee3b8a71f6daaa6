package space

import (
	"fmt"

	"github.com/c2602f9e/goglove/symbolic"
)

// DefineByRun is a space declared by a Go function that makes its
// decisions through typed helpers, traced once to build the DNASpec and
// replayed with a DNA to build a program:
//
//	s, err := space.Trace(func(h *space.Decider) Config {
//		return Config{
//			Act:   space.Choose(h, "act", "relu", "gelu"),
//			Width: space.Choose(h, "width", 64, 128, 256),
//			LR:    space.FloatIn(h, "lr", 1e-4, 1e-1, space.Log),
//		}
//	})
//	cfg, err := s.Decode(dna) // a Config
//
// It is immutable and safe for concurrent use if the function is.
type DefineByRun[T any] struct {
	fn   func(*Decider) T
	spec *DNASpec
}

// Trace builds a define-by-run space from fn. fn must make the same
// decisions whatever they decide, except inside ChooseFunc candidates;
// Trace checks this by replaying fn once with each candidate of every
// top-level choice, and fails with ErrTrace, naming the decision, if the
// decisions change. A panic in fn is returned as an error.
func Trace[T any](fn func(*Decider) T) (*DefineByRun[T], error) {
	h := &Decider{tracing: true, scope: &scope{named: map[string]*named{}}}
	if err := runTraced(h, fn); err != nil {
		return nil, err
	}
	spec := &DNASpec{Points: h.scope.points, byID: map[string]*DecisionPoint{}}
	indexPoints(spec, spec.Points)
	spec.size = sizeOf(spec.Points)
	s := &DefineByRun[T]{fn: fn, spec: spec}
	// Replay every alternative of every top-level choice.
	base := firstDNAs(spec.Points)
	for i, p := range spec.Points {
		if p.Kind != KindOneOf {
			continue
		}
		for j := 1; j < len(p.Candidates); j++ {
			d := DNA{Children: cloneDNAs(base)}
			d.Children[i] = DNA{Value: float64(j), Children: firstDNAs(p.Candidates[j].Points)}
			if _, err := s.Decode(d); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

func runTraced[T any](h *Decider, fn func(*Decider) T) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &Error{Msg: fmt.Sprintf("the define-by-run function panicked: %v", r), Err: ErrTrace}
		}
	}()
	fn(h)
	return h.err
}

func indexPoints(spec *DNASpec, points []*DecisionPoint) {
	for _, p := range points {
		p.index = len(spec.all)
		spec.all = append(spec.all, p)
		if _, dup := spec.byID[p.ID]; !dup {
			spec.byID[p.ID] = p
		}
		for _, c := range p.Candidates {
			indexPoints(spec, c.Points)
		}
	}
}

func firstDNAs(points []*DecisionPoint) []DNA {
	if len(points) == 0 {
		return nil
	}
	out := make([]DNA, len(points))
	for i, p := range points {
		out[i] = firstDNA(p)
		switch p.Kind {
		case KindOneOf:
			out[i].Children = firstDNAs(p.Candidates[0].Points)
		case KindManyOf, KindPermutation:
			for j := range out[i].Children {
				slot := &out[i].Children[j]
				slot.Children = firstDNAs(p.Candidates[int(slot.Value)].Points)
			}
		}
	}
	return out
}

// Spec returns the traced DNASpec.
func (s *DefineByRun[T]) Spec() *DNASpec { return s.spec }

// Decode runs the function with the decisions of d and returns its result.
// A DNA that does not fit the spec is ErrInvalidDNA; a function whose
// decisions differ from the traced ones is ErrTrace.
func (s *DefineByRun[T]) Decode(d DNA) (T, error) {
	var zero T
	if err := s.spec.Validate(d); err != nil {
		return zero, err
	}
	h := &Decider{scope: &scope{points: s.spec.Points, dna: d.Children, named: map[string]*named{}}}
	var out T
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = &Error{Msg: fmt.Sprintf("the define-by-run function panicked: %v", r), Err: ErrTrace}
			}
		}()
		out = s.fn(h)
		return h.err
	}()
	if err != nil {
		return zero, err
	}
	if h.scope.pos != len(h.scope.points) {
		return zero, traceError(h.scope.points[h.scope.pos].ID, "made when tracing but not when decoding "+
			s.spec.Format(d)+": the function's decisions change with the DNA; make dependent decisions inside a ChooseFunc candidate")
	}
	return out, nil
}

// DecodeTree is Decode followed by converting the result to a symbolic
// tree with reg.
func (s *DefineByRun[T]) DecodeTree(reg *symbolic.Registry, d DNA) (symbolic.Value, error) {
	v, err := s.Decode(d)
	if err != nil {
		return nil, err
	}
	return reg.FromGo(v)
}
