package space

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/c2602f9e/goglove/symbolic"
)

// Decider is the handle a define-by-run function receives: the typed
// helpers Choose, ChooseFunc, ChooseK, Permute, FloatIn and IntIn make
// their decisions through it. While Trace builds the spec, it records the
// decisions; while a DNA is decoded, it replays them. A Decider is used by
// one goroutine, for one run of the function.
//
// The zero Decider is usable: it makes every decision as tracing does
// (the first candidate, the lower bound), so fn(new(space.Decider))
// returns the first program of the space fn defines; Err reports what
// went wrong. Trace and Decode make their own Deciders.
//
// Names identify decisions within their scope (the whole function, or one
// candidate function of ChooseFunc): calling a helper again with the same
// name and the same definition returns the same decision (a shared
// choice); with another definition it is an error.
type Decider struct {
	tracing bool
	scope   *scope
	err     error
}

// scope holds the decisions of the function, or of one candidate function.
type scope struct {
	prefix symbolic.KeyPath // ID prefix
	points []*DecisionPoint // tracing: found so far; replaying: expected
	dna    []DNA            // replaying: the decisions
	pos    int
	named  map[string]*named
	owner  *Candidate
}

type named struct {
	point *DecisionPoint
	def   any // the definition, to detect a name reused for another decision
	value any // the decision's result, returned again for a shared decision
}

// Err returns the first error a helper met, such as a name used again for
// another decision; after one, the helpers return zero values. Trace and
// Decode return it themselves.
func (h *Decider) Err() error { return h.err }

func (h *Decider) fail(err error) {
	if h.err == nil {
		h.err = err
	}
}

func traceError(id, msg string) error {
	return &Error{Msg: "decision " + strconv.Quote(id) + ": " + msg, Err: ErrTrace}
}

// decide makes or replays the decision named name, defined by def (a
// point template), and returns its DNA. ok is false after an error.
func (h *Decider) decide(name string, def *DecisionPoint, defKey any) (d DNA, shared *named, ok bool) {
	if h.err != nil {
		return DNA{}, nil, false
	}
	if h.scope == nil { // the zero Decider traces
		h.tracing, h.scope = true, &scope{named: map[string]*named{}}
	}
	sc := h.scope
	id := sc.prefix.Key(name).String()
	def.ID, def.Name = id, name
	if n, seen := sc.named[name]; seen {
		if !reflect.DeepEqual(n.def, defKey) {
			h.fail(traceError(id, "used again with another definition ("+def.String()+" after "+n.point.String()+"); give each decision its own name"))
			return DNA{}, nil, false
		}
		return DNA{}, n, true
	}
	if h.tracing {
		def.parent = sc.owner
		sc.points = append(sc.points, def)
		d = firstDNA(def)
	} else {
		if sc.pos >= len(sc.points) {
			h.fail(traceError(id, "made when decoding but not when tracing: a decision that depends on another one must be made inside a ChooseFunc candidate"))
			return DNA{}, nil, false
		}
		want := sc.points[sc.pos]
		if want.Name != name || want.Kind != def.Kind {
			h.fail(traceError(id, "made where tracing saw "+strconv.Quote(want.ID)+": the function's decisions change with the DNA; make dependent decisions inside a ChooseFunc candidate"))
			return DNA{}, nil, false
		}
		def = want
		d = sc.dna[sc.pos]
		sc.pos++
	}
	n := &named{point: def, def: defKey}
	sc.named[name] = n
	return d, n, true
}

// firstDNA is the decision tracing takes: the first candidates, the
// lower bound.
func firstDNA(p *DecisionPoint) DNA {
	switch p.Kind {
	case KindManyOf, KindPermutation:
		d := DNA{Children: make([]DNA, p.K)}
		for j := range d.Children {
			if p.Distinct {
				d.Children[j].Value = float64(j)
			}
		}
		return d
	}
	return DNA{Value: p.Min}
}

func choicePoint(kind Kind, n, k int) *DecisionPoint {
	p := &DecisionPoint{Kind: kind, K: k, Candidates: make([]*Candidate, n), Distinct: kind == KindPermutation || kind == KindManyOf}
	for i := range p.Candidates {
		p.Candidates[i] = &Candidate{Value: symbolic.Int(i), owner: p}
	}
	return p
}

// candidateValues sets the candidates' symbolic values, for display.
func candidateValues[V any](p *DecisionPoint, candidates []V) {
	var r *symbolic.Registry
	for i, c := range candidates {
		if v, err := r.FromGo(c); err == nil {
			p.Candidates[i].Value = v
		} else {
			p.Candidates[i].Value = symbolic.String(fmt.Sprint(c))
		}
	}
	p.Hyper = &Choice{k: p.Kind, n: p.K, distinct: p.Distinct, candidates: candidateList(p)}
	p.Hyper.(*Choice).content = p.Hyper.(*Choice).makeContent()
}

func candidateList(p *DecisionPoint) []symbolic.Value {
	out := make([]symbolic.Value, len(p.Candidates))
	for i, c := range p.Candidates {
		out[i] = c.Value
	}
	return out
}

// Choose decides one of the candidates and returns it.
func Choose[V any](h *Decider, name string, candidates ...V) V {
	var zero V
	if len(candidates) == 0 {
		h.fail(traceError(name, "Choose needs at least one candidate"))
		return zero
	}
	p := choicePoint(KindOneOf, len(candidates), 1)
	candidateValues(p, candidates)
	d, n, ok := h.decide(name, p, defKey{"oneof", candidates})
	if !ok {
		return zero
	}
	if n.value == nil {
		n.value = candidates[int(d.Value)]
	}
	return n.value.(V)
}

type defKey struct {
	kind string
	def  any
}

// ChooseK decides k distinct candidates, in any order, and returns them.
func ChooseK[V any](h *Decider, name string, k int, candidates ...V) []V {
	if k < 1 || k > len(candidates) {
		h.fail(traceError(name, "ChooseK needs 1 ≤ k ≤ "+strconv.Itoa(len(candidates))+", got k = "+strconv.Itoa(k)))
		return nil
	}
	return chooseMany(h, name, KindManyOf, k, candidates)
}

// Permute decides an order of the candidates and returns them in it.
func Permute[V any](h *Decider, name string, candidates ...V) []V {
	if len(candidates) == 0 {
		h.fail(traceError(name, "Permute needs at least one candidate"))
		return nil
	}
	return chooseMany(h, name, KindPermutation, len(candidates), candidates)
}

func chooseMany[V any](h *Decider, name string, kind Kind, k int, candidates []V) []V {
	p := choicePoint(kind, len(candidates), k)
	candidateValues(p, candidates)
	d, n, ok := h.decide(name, p, defKey{kind.String() + strconv.Itoa(k), candidates})
	if !ok {
		return nil
	}
	if n.value == nil {
		out := make([]V, len(d.Children))
		for i, slot := range d.Children {
			out[i] = candidates[int(slot.Value)]
		}
		n.value = out
	}
	return append([]V(nil), n.value.([]V)...)
}

// FloatIn decides a float in [min, max], on a linear scale or, with Log,
// a log scale.
func FloatIn(h *Decider, name string, min, max float64, scale ...Scale) float64 {
	hv := Float(min, max)
	if len(scale) > 0 && scale[0] == Log {
		hv = hv.Log()
	}
	return numeric(h, name, hv).(float64)
}

// IntIn decides an integer in [min, max].
func IntIn(h *Decider, name string, min, max int) int {
	return numeric(h, name, Int(min, max)).(int)
}

func numeric(h *Decider, name string, hv *Numeric) any {
	zero := func() any {
		if hv.k == KindInt {
			return 0
		}
		return 0.0
	}
	if err := hv.validate(symbolic.KeyPath{}); err != nil {
		h.fail(traceError(name, err.(*Error).Msg))
		return zero()
	}
	p := &DecisionPoint{Kind: hv.k, Min: hv.min, Max: hv.max, Scale: hv.scale, Hyper: hv}
	d, n, ok := h.decide(name, p, defKey{hv.String(), nil})
	if !ok {
		return zero()
	}
	if n.value == nil {
		if hv.k == KindInt {
			n.value = int(d.Value)
		} else {
			n.value = d.Value
		}
	}
	return n.value
}

// ChooseFunc decides one of the candidate functions and returns what it
// returns. Decisions made inside a candidate belong to it: they exist only
// when it is chosen (conditional decisions), and their IDs are the
// choice's ID, the candidate's index and their name (opt[0].momentum).
// Tracing calls every candidate once.
func ChooseFunc[V any](h *Decider, name string, candidates ...func(*Decider) V) V {
	var zero V
	if len(candidates) == 0 {
		h.fail(traceError(name, "ChooseFunc needs at least one candidate"))
		return zero
	}
	p := choicePoint(KindOneOf, len(candidates), 1)
	for i := range candidates {
		p.Candidates[i].Value = symbolic.String("func#" + strconv.Itoa(i))
	}
	p.Hyper = &Choice{k: KindOneOf, candidates: candidateList(p)}
	p.Hyper.(*Choice).content = p.Hyper.(*Choice).makeContent()
	funcs := make([]uintptr, len(candidates))
	for i, f := range candidates {
		funcs[i] = reflect.ValueOf(f).Pointer()
	}
	d, n, ok := h.decide(name, p, defKey{"func", funcs})
	if !ok {
		return zero
	}
	if n.value != nil {
		return n.value.(V)
	}
	p = n.point
	outer := h.scope
	defer func() { h.scope = outer }()
	id := symbolic.MustParsePath(p.ID)
	if h.tracing {
		var result V
		for i, f := range candidates {
			c := p.Candidates[i]
			h.scope = &scope{prefix: id.Index(i), named: map[string]*named{}, owner: c}
			v := f(h)
			c.Points = h.scope.points
			if i == 0 {
				result = v
			}
		}
		n.value = result
		return result
	}
	i := int(d.Value)
	h.scope = &scope{prefix: id.Index(i), points: p.Candidates[i].Points, dna: d.Children, named: map[string]*named{}}
	v := candidates[i](h)
	if h.err == nil && h.scope.pos != len(h.scope.points) {
		h.fail(traceError(h.scope.points[h.scope.pos].ID, "not made when decoding but made when tracing: the function's decisions change with the DNA"))
	}
	n.value = v
	return v
}
