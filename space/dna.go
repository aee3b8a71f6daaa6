package space

import (
	"encoding/json"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/c2602f9e/goglove/symbolic"
)

// DNA is a tree of decisions matching a DNASpec. The root's Children hold
// one DNA per top-level decision point. For a OneOf, Value is the chosen
// candidate's index and Children the decisions inside that candidate. For
// a ManyOf or a Permutation, Children holds one DNA per chosen candidate,
// in program order, each like a OneOf's. For a Float or an Int, Value is
// the value.
//
// A DNA is a plain value: copy it with Clone before changing a shared one.
type DNA struct {
	Value    float64
	Children []DNA
}

// Clone returns a deep copy of d.
func (d DNA) Clone() DNA {
	c := DNA{Value: d.Value}
	if d.Children != nil {
		c.Children = make([]DNA, len(d.Children))
		for i, ch := range d.Children {
			c.Children[i] = ch.Clone()
		}
	}
	return c
}

// Equal reports whether d and e are the same decisions.
func (d DNA) Equal(e DNA) bool {
	if d.Value != e.Value || len(d.Children) != len(e.Children) {
		return false
	}
	for i := range d.Children {
		if !d.Children[i].Equal(e.Children[i]) {
			return false
		}
	}
	return true
}

// Numbers returns the numbers form of d: one entry per active decision,
// depth first. A OneOf contributes its index followed by the entries of
// the decisions inside the chosen candidate; a ManyOf or Permutation its
// indices in program order, each followed likewise; a Float or Int its
// value. d must be valid for s.
func (s *DNASpec) Numbers(d DNA) []float64 {
	out := make([]float64, 0, 2*len(s.Points))
	return appendNumbers(out, s.Points, d.Children)
}

func appendNumbers(out []float64, points []*DecisionPoint, ds []DNA) []float64 {
	for i, p := range points {
		if i >= len(ds) {
			break
		}
		d := ds[i]
		switch p.Kind {
		case KindOneOf:
			out = append(out, d.Value)
			out = appendCandidate(out, p, d)
		case KindManyOf, KindPermutation:
			for _, slot := range d.Children {
				out = append(out, slot.Value)
				out = appendCandidate(out, p, slot)
			}
		default:
			out = append(out, d.Value)
		}
	}
	return out
}

func appendCandidate(out []float64, p *DecisionPoint, d DNA) []float64 {
	i := int(d.Value)
	if i < 0 || i >= len(p.Candidates) {
		return out
	}
	return appendNumbers(out, p.Candidates[i].Points, d.Children)
}

// Format returns the numbers form as JSON text, e.g. [0, 1, 0.5]. Indices
// and Int values are written as integers, Float values always with a
// decimal point or an exponent.
func (s *DNASpec) Format(d DNA) string {
	var b strings.Builder
	b.WriteByte('[')
	s.formatPoints(&b, s.Points, d.Children, true)
	b.WriteByte(']')
	return b.String()
}

func (s *DNASpec) formatPoints(b *strings.Builder, points []*DecisionPoint, ds []DNA, first bool) bool {
	sep := func() {
		if !first {
			b.WriteString(", ")
		}
		first = false
	}
	for i, p := range points {
		if i >= len(ds) {
			break
		}
		d := ds[i]
		switch p.Kind {
		case KindOneOf:
			sep()
			b.WriteString(strconv.FormatInt(int64(d.Value), 10))
			if c := candidateOf(p, d); c != nil {
				first = s.formatPoints(b, c.Points, d.Children, first)
			}
		case KindManyOf, KindPermutation:
			for _, slot := range d.Children {
				sep()
				b.WriteString(strconv.FormatInt(int64(slot.Value), 10))
				if c := candidateOf(p, slot); c != nil {
					first = s.formatPoints(b, c.Points, slot.Children, first)
				}
			}
		case KindInt:
			sep()
			b.WriteString(strconv.FormatInt(int64(d.Value), 10))
		default:
			sep()
			b.WriteString(symbolic.Float(d.Value).String())
		}
	}
	return first
}

func candidateOf(p *DecisionPoint, d DNA) *Candidate {
	i := int(d.Value)
	if i < 0 || i >= len(p.Candidates) || float64(i) != d.Value {
		return nil
	}
	return p.Candidates[i]
}

// ParseNumbers parses the numbers form (a JSON array of numbers, as
// written by Format) into a DNA and validates it.
func (s *DNASpec) ParseNumbers(text string) (DNA, error) {
	bad := func(msg string) (DNA, error) {
		return DNA{}, &Error{Msg: "DNA must be a JSON array of numbers such as [0, 1, 0.5]: " + msg, Err: ErrInvalidDNA}
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return bad("invalid JSON: " + strings.TrimPrefix(err.Error(), "json: "))
	}
	if _, err := dec.Token(); err != io.EOF {
		return bad("unexpected text after the array")
	}
	items, ok := v.([]any)
	if !ok {
		return bad("got " + jsonKind(v))
	}
	fs := make([]float64, len(items))
	for i, item := range items {
		n, ok := item.(json.Number)
		if !ok {
			return bad("entry " + strconv.Itoa(i) + " is " + jsonKind(item))
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil || math.IsInf(f, 0) {
			return bad("entry " + strconv.Itoa(i) + " (" + string(n) + ") is not a finite number")
		}
		fs[i] = f
	}
	return s.FromNumbers(fs)
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "a number"
}

// FromNumbers builds a DNA from its numbers form and validates it.
func (s *DNASpec) FromNumbers(nums []float64) (DNA, error) {
	r := numberReader{nums: nums}
	children, err := r.points(s.Points)
	if err != nil {
		return DNA{}, err
	}
	if r.pos != len(nums) {
		return DNA{}, spaceError(ErrInvalidDNA, symbolic.KeyPath{}, "DNA has "+strconv.Itoa(len(nums))+
			" entries, the space takes "+strconv.Itoa(r.pos)+" for these decisions")
	}
	d := DNA{Children: children}
	if err := s.Validate(d); err != nil {
		return DNA{}, err
	}
	return d, nil
}

type numberReader struct {
	nums []float64
	pos  int
}

func (r *numberReader) next(p *DecisionPoint) (float64, error) {
	if r.pos >= len(r.nums) {
		return 0, &Error{Msg: "DNA is too short: it ends at entry " + strconv.Itoa(r.pos) + ", before decision " + p.ID, Err: ErrInvalidDNA}
	}
	r.pos++
	return r.nums[r.pos-1], nil
}

func (r *numberReader) points(points []*DecisionPoint) ([]DNA, error) {
	if len(points) == 0 {
		return nil, nil
	}
	out := make([]DNA, len(points))
	for i, p := range points {
		switch p.Kind {
		case KindOneOf:
			slot, err := r.slot(p)
			if err != nil {
				return nil, err
			}
			out[i] = slot
		case KindManyOf, KindPermutation:
			out[i].Children = make([]DNA, p.K)
			for j := range p.K {
				slot, err := r.slot(p)
				if err != nil {
					return nil, err
				}
				out[i].Children[j] = slot
			}
		default:
			v, err := r.next(p)
			if err != nil {
				return nil, err
			}
			out[i].Value = v
		}
	}
	return out, nil
}

// slot reads a candidate index and the decisions inside that candidate.
func (r *numberReader) slot(p *DecisionPoint) (DNA, error) {
	at := r.pos
	v, err := r.next(p)
	if err != nil {
		return DNA{}, err
	}
	c := candidateOf(p, DNA{Value: v})
	if c == nil {
		return DNA{}, &Error{Msg: "DNA entry " + strconv.Itoa(at) + " for " + p.ID + " is " + fmtNum(v) +
			", want a candidate index in [0, " + strconv.Itoa(len(p.Candidates)) + ")", Err: ErrInvalidDNA}
	}
	children, err := r.points(c.Points)
	if err != nil {
		return DNA{}, err
	}
	return DNA{Value: v, Children: children}, nil
}
