package trainer

import (
	"reflect"

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
// in that candidate.
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
			for name, f := range x.All() {
				if name == "layers" {
					inherited(path.Key(name), f, inner, out)
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
func modelScope(path symbolic.KeyPath, seq *symbolic.Object) scope {
	sc := make(scope, len(defaultFields))
	for _, f := range defaultFields {
		v, _ := seq.Get(f.key)
		if v == nil || v.Kind() == symbolic.KindNull {
			v = symbolic.String(f.value)
		}
		sc[f.key] = Inheritance{Value: v, From: path.Key(f.key)}
	}
	return sc
}
