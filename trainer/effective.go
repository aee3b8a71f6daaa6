package trainer

import (
	"maps"
	"reflect"
	"sync"

	"github.com/c2602f9e/goglove/symbolic"
)

// Inheritance is a layer field left empty in a program or a search space,
// with the model-level value it takes.
type Inheritance struct {
	// Path is the layer field's key path, "model.layers[0].init". Inside
	// a candidate of a choice the candidate's index follows the choice's
	// path, as in the IDs of decision points: model.layers[1][0].init is
	// layer 0 of candidate 1 of the choice at model.layers.
	Path symbolic.KeyPath
	// Value is the model's value: a string, or the hyper-value that
	// searches it (a !oneof over activations).
	Value symbolic.Value
	// From is the key path of the Sequential's field, "model.init".
	From symbolic.KeyPath
}

// candidater is a hyper-value with candidates, such as the choices of
// package space; its candidate i sits at the hyper-value's path plus [i].
type candidater interface {
	symbolic.Tagged
	Candidates() []symbolic.Value
}

// scope maps the key of each model-level default to where its value comes
// from, for the layers of one Sequential.
type scope map[string]Inheritance

var sequentialType = reflect.TypeFor[Sequential]()

// Inherited lists, in walk order, the layer fields of every Sequential in
// tree (a program or a search space, decoded or from Go) that are left
// empty and so take a model-level value, with that value: the
// Sequential's field of the same name, or its declared default when that
// field is left empty too. It looks into the candidates of choices (a
// layer, or a whole layer list, chosen by a !oneof) and into Residual
// bodies; a layer field that is a choice with an empty candidate inherits
// in that candidate. The model's quant is listed only when the model names
// one; then the layer that fp32_first or fp32_last keeps in fp32 takes
// trainer.FP32 from that flag.
func Inherited(tree symbolic.Value) []Inheritance {
	var out []Inheritance
	inherited(symbolic.KeyPath{}, tree, nil, &out)
	return out
}

// inherited walks v at path; sc is the scope of the Sequential whose
// layers hold v, nil outside any.
func inherited(path symbolic.KeyPath, v symbolic.Value, sc scope, out *[]Inheritance) {
	switch x := v.(type) {
	case *symbolic.Object:
		if x.Type().GoType() == sequentialType {
			inner := modelScope(path, x)
			first, last := keptScope(path, x, inner, "fp32_first"), keptScope(path, x, inner, "fp32_last")
			for name, f := range x.All() {
				if name == "layers" {
					layerList(path.Key(name), f, inner, first, last, out)
				} else {
					inherited(path.Key(name), f, sc, out)
				}
			}
			return
		}
		for name, f := range x.All() {
			if from, ok := sc[name]; ok {
				takes(path.Key(name), f, from, out)
				continue
			}
			inherited(path.Key(name), f, sc, out)
		}
	case *symbolic.List:
		for i, item := range x.All() {
			inherited(path.Index(i), item, sc, out)
		}
	case *symbolic.Dict:
		for k, item := range x.All() {
			inherited(path.Key(k), item, sc, out)
		}
	case candidater:
		for i, c := range x.Candidates() {
			inherited(path.Index(i), c, sc, out)
		}
	}
}

// takes records the layer field at path, of value v, if it is left empty;
// a choice's empty candidates are recorded one by one.
func takes(path symbolic.KeyPath, v symbolic.Value, from Inheritance, out *[]Inheritance) {
	switch x := v.(type) {
	case symbolic.Null:
		*out = append(*out, Inheritance{Path: path, Value: from.Value, From: from.From})
	case candidater:
		for i, c := range x.Candidates() {
			takes(path.Index(i), c, from, out)
		}
	}
}

// modelScope returns the model-level values of the Sequential seq at path.
// A program default (quant) left empty in the model is not in the scope:
// nothing inherits it, so a model that names no quantizer lists no quant
// fields, as before quantizers existed.
func modelScope(path symbolic.KeyPath, seq *symbolic.Object) scope {
	sc := make(scope, len(defaultFields))
	for _, f := range defaultFields {
		v, _ := seq.Get(f.key)
		if v == nil || v.Kind() == symbolic.KindNull {
			if f.program != nil {
				continue
			}
			v = symbolic.String(f.value)
		}
		sc[f.key] = Inheritance{Value: v, From: path.Key(f.key)}
	}
	return sc
}

// keptScope returns the scope of the layer that the Sequential seq's flag
// (fp32_first or fp32_last) keeps in fp32: sc with quant taken from the
// flag as trainer.FP32. It returns nil when the flag is not true or the
// model names no quant.
func keptScope(path symbolic.KeyPath, seq *symbolic.Object, sc scope, flag string) scope {
	v, _ := seq.Get(flag)
	if b, ok := v.(symbolic.Bool); !ok || !bool(b) {
		return nil
	}
	if _, ok := sc["quant"]; !ok {
		return nil
	}
	fp32, err := fp32Value()
	if err != nil {
		return nil
	}
	kept := maps.Clone(sc)
	kept["quant"] = Inheritance{Value: fp32, From: path.Key(flag)}
	return kept
}

// layerList walks a Sequential's layers v at path in scope sc, its first
// and last layer in the scopes first and last when they are not nil; a
// choice among lists applies them to each candidate list.
func layerList(path symbolic.KeyPath, v symbolic.Value, sc, first, last scope, out *[]Inheritance) {
	if first == nil && last == nil {
		inherited(path, v, sc, out)
		return
	}
	switch x := v.(type) {
	case *symbolic.List:
		n := x.Len()
		for i, item := range x.All() {
			s := sc
			if i == 0 && first != nil {
				s = first
			}
			if i == n-1 && last != nil {
				s = last
			}
			inherited(path.Index(i), item, s, out)
		}
	case candidater:
		for i, c := range x.Candidates() {
			layerList(path.Index(i), c, sc, first, last, out)
		}
	default:
		inherited(path, v, sc, out)
	}
}

// fp32Value returns the tree of trainer.FP32, made once.
var fp32Value = sync.OnceValues(func() (symbolic.Value, error) {
	reg := symbolic.NewRegistry()
	if err := Register(reg); err != nil {
		return nil, err
	}
	return reg.FromGo(FP32{})
})
