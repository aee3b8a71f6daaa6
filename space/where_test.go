package space

import (
	"math/big"
	"strings"
	"testing"
)

// nestedSearchSpace is a hardware search around an architecture search.
const nestedSearchSpace = `
hw:
  chip: !oneof {candidates: [cpu, gpu], hints: [hardware]}
  batch: !oneof {candidates: [32, 64, 128], hints: [hardware]}
model:
  act: !oneof {candidates: [relu, gelu], name: act}
  width: !int {min: 1, max: 4}
  layers: !manyof {k: 2, candidates: [a, b, c], hints: [arch]}
`

func pointIDs(spec *DNASpec) string {
	var ids []string
	for _, p := range spec.All() {
		ids = append(ids, p.ID)
	}
	return strings.Join(ids, " ")
}

// TestFilterByHints: the outer spec has only the hinted points; decoding
// it leaves the other hyper-values, so the program is the inner space;
// outer and inner sizes multiply to the whole.
func TestFilterByHints(t *testing.T) {
	s := yamlSpace(t, nestedSearchSpace)
	outer := s.Filter(ByHints("hardware"))
	if got := pointIDs(outer.Spec()); got != "hw.chip hw.batch" {
		t.Fatalf("outer points: %s", got)
	}
	if got := outer.Spec().SizeString(); got != "6" {
		t.Fatalf("outer size %s", got)
	}
	if got := pointIDs(s.Filter(Not(ByHints("hardware"))).Spec()); got != "model.act model.width model.layers" {
		t.Fatalf("Not(ByHints) points: %s", got)
	}
	if got := pointIDs(s.Filter(ByHints("arch", "hardware")).Spec()); got != "hw.chip hw.batch model.layers" {
		t.Fatalf("ByHints(arch, hardware) points: %s", got)
	}
	if got := pointIDs(s.Filter(ByNames("act")).Spec()); got != "model.act" {
		t.Fatalf("ByNames(act) points: %s", got)
	}
	if p, ok := outer.Spec().Lookup("hw.batch"); !ok || p.ID != "hw.batch" {
		t.Fatalf("outer Lookup(hw.batch) = %v, %v", p, ok)
	}
	if _, ok := outer.Spec().Lookup("model.act"); ok {
		t.Fatal("outer Lookup finds a point it does not decide")
	}

	d := mustParse(t, outer, "[1, 2]")
	prog, err := outer.Decode(d)
	if err != nil {
		t.Fatal(err)
	}
	want := "{hw: {chip: gpu, batch: 128}, model: {act: !oneof {candidates: [relu, gelu], name: act}, " +
		"width: !int {min: 1, max: 4}, layers: !manyof {k: 2, candidates: [a, b, c], distinct: true, sorted: false, hints: [arch]}}}"
	if prog.String() != want {
		t.Fatalf("outer Decode:\n%s\nwant\n%s", prog, want)
	}
	inner, err := New(prog)
	if err != nil {
		t.Fatal(err)
	}
	if got := pointIDs(inner.Spec()); got != "model.act model.width model.layers" {
		t.Fatalf("inner points: %s", got)
	}
	whole, _ := s.Spec().Size()
	os, _ := outer.Spec().Size()
	is, _ := inner.Spec().Size()
	if new(big.Int).Mul(os, is).Cmp(whole) != 0 {
		t.Fatalf("outer %v × inner %v != whole %v", os, is, whole)
	}
	child, err := inner.Decode(mustParse(t, inner, "[1, 3, 2, 0]"))
	if err != nil {
		t.Fatal(err)
	}
	if got := child.String(); got != "{hw: {chip: gpu, batch: 128}, model: {act: gelu, width: 3, layers: [c, a]}}" {
		t.Fatalf("inner Decode = %s", got)
	}
	if e, err := s.Encode(child); err != nil || s.Spec().Format(e) != "[1, 2, 1, 3, 2, 0]" {
		t.Fatalf("whole Encode = %s, %v", s.Spec().Format(e), err)
	}
	// A DNA of the whole space is not one of the view.
	if _, err := outer.Decode(mustParse(t, s, "[1, 2, 1, 3, 2, 0]")); err == nil ||
		err.Error() != "space: DNA has 5 decisions for the top level, want 2" {
		t.Fatalf("outer Decode(whole DNA) = %v", err)
	}
	// The view enumerates only its own decisions.
	if n := len(gridAll(t, outer.Spec(), 100)); n != 6 {
		t.Fatalf("outer grid has %d DNA", n)
	}
}

// TestFilterConditional: a filter selects points inside the candidates of
// the points it selects; points inside a candidate of a point it does not
// select are left to the inner space.
func TestFilterConditional(t *testing.T) {
	s := yamlSpace(t, `
opt: !oneof
  candidates:
  - {name: sgd, m: !oneof {candidates: [0.0, 0.9], hints: [outer]}, nesterov: !oneof [true, false]}
  - {name: adam, b2: !oneof {candidates: [0.99, 0.999], hints: [outer]}}
  hints: [outer]
arch: !oneof [{kind: mlp, depth: !oneof {candidates: [1, 2], hints: [outer]}}, {kind: cnn}]
`)
	outer := s.Filter(ByHints("outer"))
	if got := pointIDs(outer.Spec()); got != "opt opt[0].m opt[1].b2" {
		t.Fatalf("outer points: %s", got)
	}
	if got := outer.Spec().SizeString(); got != "4" {
		t.Fatalf("outer size %s", got)
	}
	total := new(big.Int)
	for _, d := range gridAll(t, outer.Spec(), 10) {
		prog, err := outer.Decode(d)
		if err != nil {
			t.Fatal(err)
		}
		inner, err := New(prog)
		if err != nil {
			t.Fatal(err)
		}
		is, _ := inner.Spec().Size()
		total.Add(total, is)
		if d.Children[0].Value == 0 && pointIDs(inner.Spec()) != "opt.nesterov arch arch[0].depth" {
			t.Fatalf("inner points after %s: %s", outer.Spec().Format(d), pointIDs(inner.Spec()))
		}
	}
	if whole := s.Spec().SizeString(); total.String() != whole {
		t.Fatalf("inner sizes sum to %v, whole size %s", total, whole)
	}
}

// TestFilterOfView shows that filtering a Filter view filters the whole
// space again instead of narrowing the view.
func TestFilterOfView(t *testing.T) {
	s := yamlSpace(t, nestedSearchSpace)
	v := s.Filter(ByHints("hardware")).Filter(Not(ByNames("act")))
	if got := pointIDs(v.Spec()); got != "hw.chip hw.batch" {
		t.Errorf("Filter(hardware).Filter(not act) points: %s, want hw.chip hw.batch", got)
	}
}
