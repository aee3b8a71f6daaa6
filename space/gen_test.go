package space

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

// A generator of random spaces for the property tests, seeded so that a
// failure names the seed that reproduces it.
//
// The spaces it makes are injective: distinct DNA decode to distinct
// programs. Every literal candidate is a string unique in the whole tree,
// every compound candidate (a dict, a list, an object) carries such a
// string, and a choice has at most one candidate that is a bare
// hyper-value, so the candidates of a choice produce disjoint sets of
// values.

// genNode is the registered struct type the generator puts in trees.
// Count and Rate are typed, bounded fields that hyper-values must conform
// to (Rate may hold an Int hyper-value or int candidates: ints in a float
// field); Value holds anything.
type genNode struct {
	Name  string  `sym:",required"`
	Value any     `default:"null"`
	Count int     `min:"-10" max:"10"`
	Rate  float64 `min:"-100" max:"100"`
}

// genRegistry returns a registry with the hyper-value tags and genNode.
func genRegistry(tb testing.TB) *symbolic.Registry {
	tb.Helper()
	r := symbolic.NewRegistry()
	if err := Register(r); err != nil {
		tb.Fatal(err)
	}
	if err := symbolic.Register[genNode](r, "gen.Node", "a node of a generated space"); err != nil {
		tb.Fatal(err)
	}
	return r
}

// genOptions shapes the spaces a spaceGen makes.
type genOptions struct {
	// Float allows Float decisions (continuous spaces).
	Float bool
	// Objects puts gen.Node objects in trees.
	Objects bool
	// NestedInMany allows hyper-values inside the candidates of ManyOf and
	// Permutation.
	NestedInMany bool
	// MaxPoints bounds the number of hyper-values (0: 6).
	MaxPoints int
	// MaxDepth bounds the nesting (0: 4).
	MaxDepth int
	// Hints, when not empty, are given at random to hyper-values.
	Hints []string
}

// spaceGen makes random trees with hyper-values in them.
type spaceGen struct {
	rng    *rand.Rand
	reg    *symbolic.Registry
	node   *symbolic.Type
	opts   genOptions
	ids    int // the last unique literal
	names  int // the last name given
	points int // hyper-values made so far
}

func newSpaceGen(tb testing.TB, seed uint64, opts genOptions) *spaceGen {
	tb.Helper()
	if opts.MaxPoints == 0 {
		opts.MaxPoints = 6
	}
	if opts.MaxDepth == 0 {
		opts.MaxDepth = 4
	}
	r := genRegistry(tb)
	node, ok := r.Lookup("gen.Node")
	if !ok {
		tb.Fatal("gen.Node not registered")
	}
	return &spaceGen{rng: rand.New(rand.NewPCG(seed, 0x5eed)), reg: r, node: node, opts: opts}
}

// uid returns a string no other literal of the tree has.
func (g *spaceGen) uid() symbolic.String {
	g.ids++
	return symbolic.String("v" + strconv.Itoa(g.ids))
}

func (g *spaceGen) full() bool { return g.points >= g.opts.MaxPoints }

// tree returns a whole space: usually a dict or a list, sometimes a bare
// hyper-value at the root.
func (g *spaceGen) tree() symbolic.Value {
	g.points = 0
	if g.rng.IntN(10) == 0 {
		return g.hyper(1)
	}
	return g.container(0)
}

// value returns a value at the given depth: a literal, a container or a
// hyper-value.
func (g *spaceGen) value(depth int) symbolic.Value {
	if depth >= g.opts.MaxDepth || g.full() {
		return g.literal()
	}
	switch g.rng.IntN(6) {
	case 0:
		return g.literal()
	case 1:
		return g.container(depth)
	default:
		return g.hyper(depth)
	}
}

func (g *spaceGen) literal() symbolic.Value {
	switch g.rng.IntN(5) {
	case 0:
		return symbolic.Int(g.rng.IntN(100))
	case 1:
		return symbolic.Bool(g.rng.IntN(2) == 0)
	case 2:
		return symbolic.Float(float64(g.rng.IntN(8)) / 4)
	case 3:
		return symbolic.Null{}
	}
	return g.uid()
}

// container returns a dict, a list or (with Objects) a gen.Node.
func (g *spaceGen) container(depth int) symbolic.Value {
	n := 1 + g.rng.IntN(3)
	switch k := g.rng.IntN(5); {
	case k == 0:
		l := symbolic.NewList()
		for range n {
			l.Append(g.value(depth + 1))
		}
		return l
	case k == 1 && g.opts.Objects:
		return g.object(depth, nil)
	default:
		d := symbolic.NewDict(n)
		for i := range n {
			d.Set("k"+strconv.Itoa(i), g.value(depth+1))
		}
		return d
	}
}

// object returns a gen.Node named id (a new unique name when id is nil)
// whose fields may hold hyper-values that conform to them.
func (g *spaceGen) object(depth int, id symbolic.Value) symbolic.Value {
	if id == nil {
		id = g.uid()
	}
	fields := []symbolic.Value{id, g.value(depth + 1), symbolic.Int(0), symbolic.Float(0)}
	if !g.full() && g.rng.IntN(2) == 0 {
		lo := g.rng.IntN(10) - 5
		switch g.rng.IntN(2) {
		case 0:
			fields[2] = g.finish(Int(lo, lo+g.rng.IntN(5)))
		default:
			n := 1 + g.rng.IntN(3)
			cands := make([]any, n)
			for i := range cands {
				cands[i] = symbolic.Int(lo + i) // distinct, within [-10, 10]
			}
			fields[2] = g.finish(OneOf(cands...))
		}
	}
	if !g.full() && g.rng.IntN(2) == 0 {
		lo := g.rng.IntN(20) - 10
		switch k := g.rng.IntN(3); {
		case k == 0 && g.opts.Float:
			fields[3] = g.finish(Float(float64(lo), float64(lo)+float64(g.rng.IntN(50))/4))
		case k == 1:
			fields[3] = g.finish(Int(lo, lo+g.rng.IntN(4))) // an Int in a float field
		default:
			cands := make([]any, 1+g.rng.IntN(3))
			for i := range cands {
				cands[i] = symbolic.Int(lo + 2*i) // ints in a float field
			}
			fields[3] = g.finish(OneOf(cands...))
		}
	}
	o, err := g.node.NewFromFields(fields)
	if err != nil {
		panic("gen.Node: " + err.Error())
	}
	return o
}

// finish counts a hyper-value and maybe names it and gives it hints.
func (g *spaceGen) finish(h Hyper) symbolic.Value {
	g.points++
	name := ""
	if g.rng.IntN(4) == 0 {
		g.names++
		name = "n" + strconv.Itoa(g.names)
	}
	var hints []string
	if len(g.opts.Hints) > 0 && g.rng.IntN(2) == 0 {
		hints = []string{g.opts.Hints[g.rng.IntN(len(g.opts.Hints))]}
	}
	switch x := h.(type) {
	case *Choice:
		if name != "" {
			x = x.Named(name)
		}
		if hints != nil {
			x = x.WithHints(hints...)
		}
		return x
	case *Numeric:
		if name != "" {
			x = x.Named(name)
		}
		if hints != nil {
			x = x.WithHints(hints...)
		}
		return x
	}
	panic("unknown hyper-value")
}

// hyper returns a random hyper-value.
func (g *spaceGen) hyper(depth int) symbolic.Value {
	g.points++ // reserve this one, so candidates see the budget shrink
	defer func() { g.points-- }()
	kinds := []Kind{KindOneOf, KindOneOf, KindOneOf, KindManyOf, KindManyOf, KindPermutation, KindInt}
	if g.opts.Float {
		kinds = append(kinds, KindFloat)
	}
	switch k := kinds[g.rng.IntN(len(kinds))]; k {
	case KindInt:
		lo := g.rng.IntN(20) - 10
		return g.finish(Int(lo, lo+g.rng.IntN(5)))
	case KindFloat:
		if g.rng.IntN(2) == 0 {
			lo := float64(1+g.rng.IntN(10)) / 1000
			return g.finish(Float(lo, lo*float64(1+g.rng.IntN(1000))).Log())
		}
		lo := float64(g.rng.IntN(20)-10) / 2
		return g.finish(Float(lo, lo+float64(g.rng.IntN(20))/4))
	case KindOneOf:
		return g.finish(OneOf(g.candidates(depth, 1+g.rng.IntN(4), true)...))
	case KindPermutation:
		return g.finish(Permutation(g.candidates(depth, 1+g.rng.IntN(4), g.opts.NestedInMany)...))
	default:
		n := 1 + g.rng.IntN(4)
		distinct, sorted := g.rng.IntN(2) == 0, g.rng.IntN(2) == 0
		k := 1 + g.rng.IntN(3)
		if distinct {
			k = 1 + g.rng.IntN(n)
		}
		c := ManyOf(k, g.candidates(depth, n, g.opts.NestedInMany)...).Distinct(distinct).Sorted(sorted)
		return g.finish(c)
	}
}

// candidates returns n candidates, literal or (when nested) holding
// hyper-values, pairwise producing disjoint values.
func (g *spaceGen) candidates(depth, n int, nested bool) []any {
	out := make([]any, n)
	bare := false
	for i := range out {
		if !nested || g.full() || depth >= g.opts.MaxDepth || g.rng.IntN(3) == 0 {
			out[i] = g.uid()
			continue
		}
		switch k := g.rng.IntN(4); {
		case k == 0 && !bare:
			bare = true
			out[i] = g.hyper(depth + 1)
		case k == 1:
			out[i] = symbolic.NewList(g.uid(), g.value(depth+1))
		case k == 2 && g.opts.Objects:
			out[i] = g.object(depth+1, g.uid())
		default:
			d := symbolic.NewDict(2)
			d.Set("id", g.uid())
			d.Set("x", g.value(depth+1))
			out[i] = d
		}
	}
	return out
}

// genSpace returns the space the generator makes for seed, and its tree.
func genSpace(tb testing.TB, seed uint64, opts genOptions) (*Space, symbolic.Value) {
	tb.Helper()
	g := newSpaceGen(tb, seed, opts)
	tree := g.tree()
	s, err := New(tree)
	if err != nil {
		tb.Fatalf("seed %d: New(%v): %v", seed, tree, err)
	}
	return s, tree
}

// propSeeds returns how many random spaces a property test tries: fewer
// with -short.
func propSeeds() uint64 {
	if testing.Short() {
		return 150
	}
	return 1500
}
