package space

import (
	"math/big"

	"github.com/c2602f9e/goglove/symbolic"
)

// Space is a symbolic tree with hyper-values in it, compiled: its DNASpec
// and a decoding plan. A Space is immutable and safe for concurrent use.
type Space struct {
	tree   symbolic.Value
	spec   *DNASpec
	plan   *plan
	where  func(*DecisionPoint) bool // nil: every point is decided
	parent *Space                    // the unfiltered space of a Filter view
}

// plan mirrors the parts of a tree that hold hyper-values, so decoding
// visits only them and clones the rest.
type plan struct {
	src      symbolic.Value
	point    *DecisionPoint // set for a hyper-value
	children []*plan        // for containers holding hyper-values; nil entries are literal
}

// New compiles a space from a symbolic tree holding hyper-values (a tree
// without any is a space of one program). The tree is copied; hyper-values
// are checked (no candidates, min > max, …) and errors name the key path.
func New(tree symbolic.Value) (*Space, error) {
	t := symbolic.Clone(tree)
	c := compiler{spec: &DNASpec{byID: map[string]*DecisionPoint{}}}
	p, points, err := c.compile(symbolic.KeyPath{}, t, nil)
	if err != nil {
		return nil, err
	}
	c.spec.Points = points
	c.spec.size = sizeOf(points)
	return &Space{tree: t, spec: c.spec, plan: p}, nil
}

// MustNew is like New but panics on error; for spaces fixed in code.
func MustNew(tree symbolic.Value) *Space {
	s, err := New(tree)
	if err != nil {
		panic(err)
	}
	return s
}

// Spec returns the space's DNASpec.
func (s *Space) Spec() *DNASpec { return s.spec }

// Tree returns the space's tree, hyper-values included. It must not be
// modified; Clone it first.
func (s *Space) Tree() symbolic.Value { return s.tree }

type compiler struct {
	spec *DNASpec
}

// compile returns the plan of v (nil when v holds no hyper-value) and the
// decision points in it, in order. path is v's ID path; parent is the
// candidate holding v, if any.
func (c *compiler) compile(path symbolic.KeyPath, v symbolic.Value, parent *Candidate) (*plan, []*DecisionPoint, error) {
	switch x := v.(type) {
	case Hyper:
		p, err := c.point(path, x, parent)
		if err != nil {
			return nil, nil, err
		}
		return &plan{src: v, point: p}, []*DecisionPoint{p}, nil
	case *symbolic.List:
		return c.container(v, x.Len(), func(i int) (symbolic.KeyPath, symbolic.Value) { return path.Index(i), x.At(i) }, parent)
	case *symbolic.Dict:
		return c.container(v, x.Len(), func(i int) (symbolic.KeyPath, symbolic.Value) {
			k, item := x.At(i)
			return path.Key(k), item
		}, parent)
	case *symbolic.Object:
		return c.container(v, x.Len(), func(i int) (symbolic.KeyPath, symbolic.Value) {
			k, item := x.At(i)
			return path.Key(k), item
		}, parent)
	}
	return nil, nil, nil
}

func (c *compiler) container(v symbolic.Value, n int, at func(int) (symbolic.KeyPath, symbolic.Value), parent *Candidate) (*plan, []*DecisionPoint, error) {
	var children []*plan
	var points []*DecisionPoint
	for i := range n {
		path, item := at(i)
		cp, ps, err := c.compile(path, item, parent)
		if err != nil {
			return nil, nil, err
		}
		if cp != nil {
			if children == nil {
				children = make([]*plan, n)
			}
			children[i] = cp
			points = append(points, ps...)
		}
	}
	if children == nil {
		return nil, nil, nil
	}
	return &plan{src: v, children: children}, points, nil
}

func (c *compiler) point(path symbolic.KeyPath, h Hyper, parent *Candidate) (*DecisionPoint, error) {
	if err := h.validate(path); err != nil {
		return nil, err
	}
	p := &DecisionPoint{ID: path.String(), Name: h.Name(), Hints: h.Hints(), Kind: h.kind(), Hyper: h,
		index: len(c.spec.all), parent: parent}
	c.spec.all = append(c.spec.all, p)
	if _, dup := c.spec.byID[p.ID]; !dup {
		c.spec.byID[p.ID] = p
	}
	switch x := h.(type) {
	case *Choice:
		p.K = x.K()
		p.Distinct = x.k == KindPermutation || x.k == KindManyOf && x.distinct
		p.Sorted = x.k == KindManyOf && x.sorted
		p.Candidates = make([]*Candidate, len(x.candidates))
		for i, cand := range x.candidates {
			cd := &Candidate{Value: cand, owner: p}
			cp, ps, err := c.compile(path.Index(i), cand, cd)
			if err != nil {
				return nil, err
			}
			cd.plan, cd.Points = cp, ps
			p.Candidates[i] = cd
		}
	case *Numeric:
		p.Min, p.Max, p.Scale = x.min, x.max, x.scale
	}
	return p, nil
}

// sizeOf returns the number of programs the points span, or nil when
// some decision is continuous.
func sizeOf(points []*DecisionPoint) *big.Int {
	total := big.NewInt(1)
	for _, p := range points {
		s := pointSize(p)
		if s == nil {
			return nil
		}
		total.Mul(total, s)
	}
	return total
}

func pointSize(p *DecisionPoint) *big.Int {
	switch p.Kind {
	case KindFloat:
		return nil
	case KindInt:
		return big.NewInt(int64(p.Max-p.Min) + 1)
	}
	sizes := make([]*big.Int, len(p.Candidates))
	for i, c := range p.Candidates {
		if sizes[i] = sizeOf(c.Points); sizes[i] == nil {
			return nil
		}
	}
	switch {
	case p.Kind == KindOneOf:
		sum := new(big.Int)
		for _, s := range sizes {
			sum.Add(sum, s)
		}
		return sum
	case p.Kind == KindPermutation:
		// n! orders, times every candidate's own size.
		out := factorial(len(sizes))
		for _, s := range sizes {
			out.Mul(out, s)
		}
		return out
	case p.Distinct:
		// Sorted: the elementary symmetric polynomial e_k of the sizes;
		// unsorted: k! e_k.
		e := symmetric(sizes, p.K, false)
		if !p.Sorted {
			e.Mul(e, factorial(p.K))
		}
		return e
	case p.Sorted:
		// Repeats, sorted: multisets, the complete homogeneous polynomial h_k.
		return symmetric(sizes, p.K, true)
	default:
		// Repeats, unsorted: (Σ sizes)^k.
		sum := new(big.Int)
		for _, s := range sizes {
			sum.Add(sum, s)
		}
		return sum.Exp(sum, big.NewInt(int64(p.K)), nil)
	}
}

// symmetric returns e_k (repeats false) or h_k (repeats true) of xs.
func symmetric(xs []*big.Int, k int, repeats bool) *big.Int {
	acc := make([]*big.Int, k+1)
	for j := range acc {
		acc[j] = new(big.Int)
	}
	acc[0].SetInt64(1)
	t := new(big.Int)
	for _, x := range xs {
		if repeats {
			for j := 1; j <= k; j++ {
				acc[j].Add(acc[j], t.Mul(acc[j-1], x))
			}
		} else {
			for j := k; j >= 1; j-- {
				acc[j].Add(acc[j], t.Mul(acc[j-1], x))
			}
		}
	}
	return acc[k]
}

func factorial(n int) *big.Int {
	out := big.NewInt(1)
	for i := 2; i <= n; i++ {
		out.Mul(out, big.NewInt(int64(i)))
	}
	return out
}
