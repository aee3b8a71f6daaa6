package space

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/symbolic"
)

// Fuzz targets. Seed corpora are in testdata/fuzz/<Name>/; run one with
//
//	go test -run '^$' -fuzz '^FuzzSpaceYAML$' -fuzztime 90s -fuzzminimizetime 5s -parallel 1 ./space
//
// (With the default -fuzzminimizetime of 60s the fuzzer spends long
// stretches minimizing new inputs, reported as 0 execs/sec.)

// FuzzSpaceYAML decodes YAML with the hyper-value tags. When the result
// compiles to a space: random DNA are valid and decode; the program
// encodes to a DNA that decodes to it (to the same DNA when the space is
// plainly injective); the numbers and text forms round-trip; the tree
// written as YAML decodes to an equal tree with the same size; a small
// space's grid has exactly Size DNA.
func FuzzSpaceYAML(f *testing.F) {
	reg := genRegistry(f)
	opts := &symbolic.DecodeOptions{MaxNodes: 20000, MaxDepth: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer watchdog(data)()
		v, err := reg.DecodeYAML(data, opts)
		if err != nil {
			return
		}
		if hugeChoice(v) {
			return // see TestManyOfHugeK
		}
		s, err := New(v)
		if err != nil {
			if !errors.Is(err, ErrInvalidSpace) {
				t.Fatalf("New error does not wrap ErrInvalidSpace: %v", err)
			}
			return
		}
		spec := s.Spec()
		injective := plainlyInjective(spec.Points)
		rng := rand.New(rand.NewPCG(uint64(len(data)), 1))
		for range 4 {
			d := spec.Random(rng)
			text := spec.Format(d)
			if err := spec.Validate(d); err != nil {
				t.Fatalf("Random DNA %s invalid: %v", text, err)
			}
			prog, err := s.Decode(d)
			if err != nil {
				t.Fatalf("Decode(%s): %v", text, err)
			}
			e, err := s.Encode(prog)
			if err != nil {
				if injective {
					t.Fatalf("Encode(Decode(%s)) = %v; program %v", text, err, prog)
				}
				continue // see TestEncodeOverlappingCandidates
			}
			if injective && !e.Equal(d) {
				t.Fatalf("Encode(Decode(%s)) = %s", text, spec.Format(e))
			}
			if again, err := s.Decode(e); err != nil || !symbolic.Equal(again, prog) {
				t.Fatalf("Decode(Encode(%v)) = %v, %v", prog, again, err)
			}
			if back, err := spec.ParseNumbers(text); err != nil || !back.Equal(d) {
				t.Fatalf("ParseNumbers(%s) = %v, %v", text, back, err)
			}
			if back, err := spec.FromNumbers(spec.Numbers(d)); err != nil || !back.Equal(d) {
				t.Fatalf("FromNumbers(Numbers(%s)) = %v, %v", text, back, err)
			}
		}
		out, err := symbolic.EncodeYAML(s.Tree())
		if err != nil {
			return // e.g. a dict key the canonical form reserves; symbolic's concern
		}
		back, err := reg.DecodeYAML(out, opts)
		if err != nil {
			t.Fatalf("the space's YAML does not decode: %v\n%s", err, out)
		}
		if !symbolic.Equal(back, s.Tree()) {
			t.Fatalf("YAML round trip differs: %v\n%s", symbolic.Diff(s.Tree(), back), out)
		}
		s2, err := New(back)
		if err != nil || s2.Spec().SizeString() != spec.SizeString() {
			t.Fatalf("space after YAML round trip: %v, size %v want %s", err, s2, spec.SizeString())
		}
		if size, ok := spec.Size(); ok && size.Cmp(big.NewInt(64)) <= 0 && !nearIntLimit(spec.All()) {
			g, err := spec.Grid()
			if err != nil {
				t.Fatal(err)
			}
			n := int64(0)
			for d := range g {
				if n++; n > size.Int64() {
					break
				}
				if err := spec.Validate(d); err != nil {
					t.Fatalf("grid DNA %s invalid: %v", spec.Format(d), err)
				}
			}
			if n != size.Int64() {
				t.Fatalf("grid has %d DNA (or more), Size %v", n, size)
			}
		}
	})
}

// watchdog turns a hang into a crash that names the input, which the
// fuzzer then saves: it panics if the returned stop is not called within
// 20 seconds.
func watchdog(input any) (stop func()) {
	timer := time.AfterFunc(20*time.Second, func() {
		panic(fmt.Sprintf("fuzz input takes more than 20s: %q", input))
	})
	return func() { timer.Stop() }
}

// hugeChoice reports whether v holds a ManyOf choosing more than 64
// candidates, whose size or random DNA would take unbounded memory.
func hugeChoice(v symbolic.Value) bool {
	switch x := v.(type) {
	case *Choice:
		if x.kind() == KindManyOf && x.K() > 64 {
			return true
		}
		for _, c := range x.Candidates() {
			if hugeChoice(c) {
				return true
			}
		}
	case *symbolic.List:
		for _, item := range x.All() {
			if hugeChoice(item) {
				return true
			}
		}
	case *symbolic.Dict:
		for _, item := range x.All() {
			if hugeChoice(item) {
				return true
			}
		}
	case *symbolic.Object:
		for _, item := range x.All() {
			if hugeChoice(item) {
				return true
			}
		}
	}
	return false
}

// nearIntLimit reports whether an Int decision reaches 2^53, where Grid
// does not end (see TestGridIntAtPrecisionLimit).
func nearIntLimit(points []*DecisionPoint) bool {
	for _, p := range points {
		if p.Kind == KindInt && math.Max(math.Abs(p.Min), math.Abs(p.Max)) >= 1<<53-64 {
			return true
		}
	}
	return false
}

// plainlyInjective reports whether distinct DNA surely decode to distinct
// programs: every choice's candidates are pairwise unequal literals.
func plainlyInjective(points []*DecisionPoint) bool {
	for _, p := range points {
		for i, c := range p.Candidates {
			if len(c.Points) > 0 {
				return false
			}
			for _, o := range p.Candidates[:i] {
				if symbolic.Equal(o.Value, c.Value) {
					return false
				}
			}
		}
	}
	return true
}

// fuzzNumbersSpace is a conditional space with every kind of decision.
const fuzzNumbersSpace = `
opt: !oneof
- {name: sgd, m: !oneof [0.0, 0.9], nesterov: !oneof [true, false]}
- {name: adam, b2: !float {min: 0.9, max: 0.999}}
- rmsprop
width: !int {min: -3, max: 40}
lr: !float {min: 1.0e-5, max: 1.0, scale: log}
blocks: !manyof {k: 2, candidates: [conv, {pool: !oneof [max, avg]}, attn], distinct: true, sorted: false}
tags: !manyof {k: 3, candidates: [a, b], distinct: false, sorted: true}
order: !permutation [x, {y: !int {min: 0, max: 2}}, z]
`

// FuzzParseNumbers: ParseNumbers never panics; a DNA it accepts is valid,
// decodes, and its Format parses back to an equal DNA.
func FuzzParseNumbers(f *testing.F) {
	s := yamlSpace(f, fuzzNumbersSpace)
	spec := s.Spec()
	f.Fuzz(func(t *testing.T, text string) {
		defer watchdog(text)()
		d, err := spec.ParseNumbers(text)
		if err != nil {
			if !errors.Is(err, ErrInvalidDNA) {
				t.Fatalf("ParseNumbers error does not wrap ErrInvalidDNA: %v", err)
			}
			return
		}
		if err := spec.Validate(d); err != nil {
			t.Fatalf("ParseNumbers(%q) accepted an invalid DNA: %v", text, err)
		}
		formatted := spec.Format(d)
		back, err := spec.ParseNumbers(formatted)
		if err != nil || !back.Equal(d) {
			t.Fatalf("ParseNumbers(Format(d)) = %v, %v; Format(d) = %s", back, err, formatted)
		}
		if again := spec.Format(back); again != formatted {
			t.Fatalf("Format is not stable: %s then %s", formatted, again)
		}
		prog, err := s.Decode(d)
		if err != nil {
			t.Fatalf("Decode(%s): %v", formatted, err)
		}
		if e, err := s.Encode(prog); err != nil || !e.Equal(d) {
			t.Fatalf("Encode(Decode(%s)) = %s, %v", formatted, spec.Format(e), err)
		}
	})
}
