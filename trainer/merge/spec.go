package merge

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// Axis is one axis of one parameter: dimension Dim (0 for the rows, 1 for
// the columns of a matrix; 0 for a vector) of the parameter named Param
// in the network ("layers[0].w", "layers[2].body.layers[1].gain").
type Axis struct {
	Param string
	Dim   int
}

// Group is a set of parameter axes that one permutation of hidden units
// moves together: the output columns and the bias of a dense layer, the
// input rows of the dense layer after it, the gain and bias of a
// LayerNorm between them, and, in a residual network, every axis of the
// residual stream.
type Group struct {
	// Name is the key path of the layer that opened the group, the dense
	// layer whose outputs the group's units are ("layers[0]").
	Name string
	// Size is the number of hidden units.
	Size int
	// Axes are the parameter axes the group permutes, in network order.
	Axes []Axis
	// Taps are the key paths of the layers whose outputs are the group's
	// hidden activations (the last layer of each run of layers on the
	// group's axis: the activation after a dense layer, a residual
	// block's output), where activation matching measures them.
	Taps []string
}

// Spec is the permutation symmetry of a network: the groups of parameter
// axes whose hidden units can be permuted together without changing the
// function the network computes. The input features and the logits are
// never permuted. A Spec is immutable once made and safe for concurrent
// use.
type Spec struct {
	Groups []Group

	// axes maps a parameter name to the group of each of its dimensions
	// (-1 for an axis no group permutes).
	axes map[string][]int
	// shapes holds every parameter's shape, to check other networks.
	shapes map[string][]int
	order  []string // parameter names in network order
}

// GroupOf returns the index of the group permuting dimension dim of the
// parameter param, or -1 when none does (the input rows of the first
// layer, the logits).
func (s *Spec) GroupOf(param string, dim int) int {
	g, ok := s.axes[param]
	if !ok || dim < 0 || dim >= len(g) {
		return -1
	}
	return g[dim]
}

// Params returns the names of the network's parameters in network order.
func (s *Spec) Params() []string { return append([]string(nil), s.order...) }

// SpecOf derives the permutation spec of net. It knows nn.Dense and
// nn.QuantDense (with or without a bias), nn.LayerNorm (with its gain and bias, or neither), the
// element-wise layers (nn.ReLU, nn.GELU, nn.Tanh, nn.Identity,
// nn.Dropout) and nn.Residual, whose body's output joins the axis of its
// input. Any other layer is an error wrapping ErrUnsupported that names
// it.
func SpecOf(net *nn.Sequential) (*Spec, error) {
	if net == nil {
		return nil, fmt.Errorf("%w: nil network", ErrUnsupported)
	}
	b := &specBuilder{spec: &Spec{axes: map[string][]int{}, shapes: map[string][]int{}}}
	out, err := b.walk(net, "", -1)
	if err != nil {
		return nil, err
	}
	b.fix(out) // the logits
	return b.finish(), nil
}

// specBuilder builds a Spec; groups are dropped (nil) as they are fixed
// or merged and compacted at the end.
type specBuilder struct {
	spec   *Spec
	groups []*Group
	run    string // the key path of the last layer on the current axis
}

func (b *specBuilder) param(name string, p *nn.Param) {
	b.spec.shapes[name] = append([]int(nil), p.Value.Shape...)
	b.spec.axes[name] = make([]int, len(p.Value.Shape))
	for i := range b.spec.axes[name] {
		b.spec.axes[name][i] = -1
	}
	b.spec.order = append(b.spec.order, name)
}

func (b *specBuilder) add(g int, name string, dim int) {
	if g >= 0 {
		b.groups[g].Axes = append(b.groups[g].Axes, Axis{name, dim})
	}
}

// tap ends the current run of layers on axis g at the layer b.run.
func (b *specBuilder) tap(g int) {
	if g >= 0 && b.run != "" {
		b.groups[g].Taps = append(b.groups[g].Taps, b.run)
	}
	b.run = ""
}

// walk adds the layers of seq (whose parameters are named prefix+"layers[i]…")
// taking inputs on axis in (a group, or -1 for a fixed axis) and returns
// the axis of its output.
func (b *specBuilder) walk(seq *nn.Sequential, prefix string, in int) (int, error) {
	cur := in
	for i, l := range seq.Layers {
		key := fmt.Sprintf("%slayers[%d]", prefix, i)
		switch l := l.(type) {
		case *nn.Dense:
			cur = b.dense(key, cur, l.Out, l.Params())
		case *nn.QuantDense:
			cur = b.dense(key, cur, l.Out, l.Params())
		case *nn.LayerNorm:
			for _, p := range l.Params() {
				name := key + "." + p.Name
				b.param(name, p)
				b.add(cur, name, 0)
			}
		case *nn.ReLU, *nn.GELU, *nn.Tanh, nn.Identity, *nn.Identity, *nn.Dropout:
		case *nn.Residual:
			b.tap(cur)
			out, err := b.walk(l.Body, key+".body.", cur)
			if err != nil {
				return -1, err
			}
			b.tap(out)
			b.join(out, cur)
		default:
			return -1, fmt.Errorf("%w: %s: %T has no permutation rule", ErrUnsupported, key, l)
		}
		b.run = key
	}
	b.tap(cur)
	return cur, nil
}

// dense adds a dense layer (its parameters w and, if present, b) taking
// inputs on axis cur, and returns the axis of its out outputs, a new
// group.
func (b *specBuilder) dense(key string, cur, out int, params []*nn.Param) int {
	b.tap(cur)
	g := len(b.groups)
	b.groups = append(b.groups, &Group{Name: key, Size: out})
	for _, p := range params {
		name := key + "." + p.Name
		b.param(name, p)
		if p.Name == "w" {
			b.add(cur, name, 0)
			b.add(g, name, 1)
		} else {
			b.add(g, name, 0)
		}
	}
	return g
}

// join merges group g into group into (the residual stream); into = -1
// fixes g's axes.
func (b *specBuilder) join(g, into int) {
	if g == into {
		return
	}
	if into < 0 {
		b.fix(g)
		return
	}
	b.groups[into].Axes = append(b.groups[into].Axes, b.groups[g].Axes...)
	b.groups[into].Taps = append(b.groups[into].Taps, b.groups[g].Taps...)
	b.groups[g] = nil
}

// fix drops group g: its axes are not permuted.
func (b *specBuilder) fix(g int) {
	if g >= 0 {
		b.groups[g] = nil
	}
}

func (b *specBuilder) finish() *Spec {
	s := b.spec
	for _, g := range b.groups {
		if g == nil {
			continue
		}
		idx := len(s.Groups)
		s.Groups = append(s.Groups, *g)
		for _, a := range g.Axes {
			s.axes[a.Param][a.Dim] = idx
		}
	}
	return s
}

// Check reports whether net has the parameters of the network s was
// derived from, with the same shapes; an error wraps ErrMismatch and
// names the first parameter at fault.
func (s *Spec) Check(net *nn.Sequential) error {
	ps := net.Params()
	if len(ps) != len(s.order) {
		return fmt.Errorf("%w: %d parameters, want %d", ErrMismatch, len(ps), len(s.order))
	}
	for i, p := range ps {
		if p.Name != s.order[i] {
			return fmt.Errorf("%w: parameter %d is %s, want %s", ErrMismatch, i, p.Name, s.order[i])
		}
		want := s.shapes[p.Name]
		if len(want) != len(p.Value.Shape) {
			return fmt.Errorf("%w: %s: shape %v, want %v", ErrMismatch, p.Name, p.Value.Shape, want)
		}
		for d := range want {
			if want[d] != p.Value.Shape[d] {
				return fmt.Errorf("%w: %s: shape %v, want %v", ErrMismatch, p.Name, p.Value.Shape, want)
			}
		}
	}
	return nil
}
