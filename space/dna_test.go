package space

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

// dnaTestSpace has one decision of every kind, a conditional one among
// them.
const dnaTestSpace = `
opt: !oneof [{name: sgd, m: !oneof [0.0, 0.9]}, {name: adam}]
w: !oneof [16, 32]
lr: !float {min: 0.001, max: 0.1, scale: log}
depth: !int {min: 1, max: 4}
layers: !manyof {k: 2, candidates: [a, b, c]}
sorted: !manyof {k: 2, candidates: [a, b, c], distinct: false, sorted: true}
order: !permutation [x, y, z]
`

const dnaTestGood = "[0, 1, 1, 0.01, 2, 0, 1, 0, 2, 0, 1, 2]"

func TestIssueExample(t *testing.T) {
	s := yamlSpace(t, "{opt: !oneof [{name: sgd, m: !oneof [0.0, 0.9]}, {name: adam}], w: !oneof [16, 32]}")
	if got := s.Spec().SizeString(); got != "6" {
		t.Errorf("size %s, want 6", got)
	}
	d, err := s.Spec().ParseNumbers("[0, 1, 1]")
	if err != nil {
		t.Fatal(err)
	}
	want := DNA{Children: []DNA{{Value: 0, Children: []DNA{{Value: 1}}}, {Value: 1}}}
	if !d.Equal(want) {
		t.Fatalf("ParseNumbers([0, 1, 1]) = %+v, want %+v", d, want)
	}
	prog, err := s.Decode(d)
	if err != nil {
		t.Fatal(err)
	}
	if got := prog.String(); got != "{opt: {name: sgd, m: 0.9}, w: 32}" {
		t.Fatalf("Decode = %s", got)
	}
	back, err := s.Encode(prog)
	if err != nil || !back.Equal(d) {
		t.Fatalf("Encode = %s, %v", s.Spec().Format(back), err)
	}
	for _, tc := range []struct{ dna, want string }{
		{"[0, 0, 0]", "{opt: {name: sgd, m: 0.0}, w: 16}"},
		{"[1, 0]", "{opt: {name: adam}, w: 16}"},
		{"[1, 1]", "{opt: {name: adam}, w: 32}"},
	} {
		d, err := s.Spec().ParseNumbers(tc.dna)
		if err != nil {
			t.Fatal(err)
		}
		if prog, err := s.Decode(d); err != nil || prog.String() != tc.want {
			t.Errorf("Decode(%s) = %v, %v; want %s", tc.dna, prog, err, tc.want)
		}
	}
}

func TestFormat(t *testing.T) {
	s := yamlSpace(t, dnaTestSpace)
	d, err := s.Spec().ParseNumbers(dnaTestGood)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Spec().Format(d); got != dnaTestGood {
		t.Errorf("Format = %s, want %s", got, dnaTestGood)
	}
	prog, err := s.Decode(d)
	if err != nil {
		t.Fatal(err)
	}
	want := "{opt: {name: sgd, m: 0.9}, w: 32, lr: 0.01, depth: 2, layers: [a, b], sorted: [a, c], order: [x, y, z]}"
	if prog.String() != want {
		t.Errorf("Decode = %s\nwant     %s", prog, want)
	}
	// Floats keep a decimal point or exponent even when integral; ints never have one.
	f := yamlSpace(t, "a: !float {min: -5, max: 5}\nb: !int {min: -5, max: 5}\nc: !float {min: 0, max: 1.0e300}")
	for _, tc := range []struct {
		nums []float64
		want string
	}{
		{[]float64{2, -3, 1e300}, "[2.0, -3, 1.0e+300]"},
		{[]float64{-0.5, 0, 5e-324}, "[-0.5, 0, 5.0e-324]"},
	} {
		d, err := f.Spec().FromNumbers(tc.nums)
		if err != nil {
			t.Fatal(err)
		}
		got := f.Spec().Format(d)
		if got != tc.want {
			t.Errorf("Format(%v) = %s, want %s", tc.nums, got, tc.want)
		}
		if back, err := f.Spec().ParseNumbers(got); err != nil || !back.Equal(d) {
			t.Errorf("ParseNumbers(%s) = %v, %v", got, back, err)
		}
	}
	if got := MustNew(symbolic.NewDict(0)).Spec().Format(DNA{}); got != "[]" {
		t.Errorf("Format of the empty DNA = %s", got)
	}
}

// TestParseNumbersErrors: text that is not a DNA of the space is one
// line saying which entry is wrong and why, wrapping ErrInvalidDNA.
func TestParseNumbersErrors(t *testing.T) {
	s := yamlSpace(t, dnaTestSpace)
	tests := []struct{ name, text, want string }{
		{"too short", "[0, 1, 1, 0.01, 2, 0, 1, 0, 2, 0, 1]",
			"space: DNA is too short: it ends at entry 11, before decision order"},
		{"too short inside a candidate", "[0]",
			"space: DNA is too short: it ends at entry 1, before decision opt[0].m"},
		{"too long", "[0, 1, 1, 0.01, 2, 0, 1, 0, 2, 0, 1, 2, 3]",
			"space: DNA has 13 entries, the space takes 12 for these decisions"},
		{"empty", "[]", "space: DNA is too short: it ends at entry 0, before decision opt"},
		{"index out of range", "[2, 1, 1, 0.01, 2, 0, 1, 0, 2, 0, 1, 2]",
			"space: DNA entry 0 for opt is 2, want a candidate index in [0, 2)"},
		{"negative index", "[0, 1, 1, 0.01, 2, 0, 1, 0, 2, 0, 1, -1]",
			"space: DNA entry 11 for order is -1, want a candidate index in [0, 3)"},
		{"fractional index", "[0, 1.5, 1, 0.01, 2, 0, 1, 0, 2, 0, 1, 2]",
			"space: DNA entry 1 for opt[0].m is 1.5, want a candidate index in [0, 2)"},
		{"float out of bounds", "[0, 1, 1, 0.5, 2, 0, 1, 0, 2, 0, 1, 2]",
			"space: DNA for lr: value 0.5 out of bounds [0.001, 0.1]"},
		{"non-integer Int", "[0, 1, 1, 0.01, 2.5, 0, 1, 0, 2, 0, 1, 2]",
			"space: DNA for depth: value 2.5 is not an integer"},
		{"Int out of bounds", "[0, 1, 1, 0.01, 5, 0, 1, 0, 2, 0, 1, 2]",
			"space: DNA for depth: value 5 out of bounds [1, 4]"},
		{"repeated index in distinct ManyOf", "[0, 1, 1, 0.01, 2, 1, 1, 0, 2, 0, 1, 2]",
			"space: DNA for layers: candidate 1 chosen twice, want distinct choices"},
		{"unsorted sorted ManyOf", "[0, 1, 1, 0.01, 2, 0, 1, 2, 0, 0, 1, 2]",
			"space: DNA for sorted: indices not sorted: 2 before 0"},
		{"repeated index in a permutation", "[0, 1, 1, 0.01, 2, 0, 1, 0, 2, 0, 0, 2]",
			"space: DNA for order: candidate 0 chosen twice, want distinct choices"},
		{"not JSON", "[0, 1", "space: DNA must be a JSON array of numbers such as [0, 1, 0.5]: invalid JSON: unexpected EOF"},
		{"not an array", "{}", "space: DNA must be a JSON array of numbers such as [0, 1, 0.5]: got an object"},
		{"null", "null", "space: DNA must be a JSON array of numbers such as [0, 1, 0.5]: got null"},
		{"quoted number", `["0", 1, 1, 0.01, 2, 0, 1, 0, 2, 0, 1, 2]`, "space: DNA must be a JSON array of numbers such as [0, 1, 0.5]: entry 0 is a string"},
		{"nested array", "[[0]]", "space: DNA must be a JSON array of numbers such as [0, 1, 0.5]: entry 0 is an array"},
		{"nothing", "", "space: DNA must be a JSON array of numbers such as [0, 1, 0.5]: invalid JSON: EOF"},
		{"trailing text", dnaTestGood + " x", "space: DNA must be a JSON array of numbers such as [0, 1, 0.5]: unexpected text after the array"},
		{"two arrays", dnaTestGood + dnaTestGood, "space: DNA must be a JSON array of numbers such as [0, 1, 0.5]: unexpected text after the array"},
		{"infinite", "[0, 1, 1, 1e999, 2, 0, 1, 0, 2, 0, 1, 2]",
			"space: DNA must be a JSON array of numbers such as [0, 1, 0.5]: entry 3 (1e999) is not a finite number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Spec().ParseNumbers(tc.text)
			if err == nil {
				t.Fatalf("ParseNumbers(%s) succeeded", tc.text)
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n%s\nwant\n%s", err, tc.want)
			}
			if !errors.Is(err, ErrInvalidDNA) {
				t.Errorf("error does not wrap ErrInvalidDNA")
			}
		})
	}
}

// TestValidateErrors: Validate (and Decode, which calls it) name the
// decision a DNA tree gets wrong.
func TestValidateErrors(t *testing.T) {
	s := yamlSpace(t, dnaTestSpace)
	good, err := s.Spec().ParseNumbers(dnaTestGood)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(d *DNA)
		want   string
	}{
		{"too few decisions", func(d *DNA) { d.Children = d.Children[:3] },
			"space: DNA has 3 decisions for the top level, want 7"},
		{"no decision inside the chosen candidate", func(d *DNA) { d.Children[0].Children = nil },
			"space: DNA has 0 decisions for the candidate holding opt[0].m, want 1"},
		{"index out of range", func(d *DNA) { d.Children[0].Value = 2 },
			"space: DNA for opt: index 2 out of range [0, 2)"},
		{"negative index", func(d *DNA) { d.Children[0].Value = -1 },
			"space: DNA for opt: index -1 out of range [0, 2)"},
		{"fractional index", func(d *DNA) { d.Children[0].Value = 0.5 },
			"space: DNA for opt: index 0.5 out of range [0, 2)"},
		{"NaN index", func(d *DNA) { d.Children[1].Value = math.NaN() },
			"space: DNA for w: index NaN out of range [0, 2)"},
		{"nested index out of range", func(d *DNA) { d.Children[0].Children[0].Value = 3 },
			"space: DNA for opt[0].m: index 3 out of range [0, 2)"},
		{"float above max", func(d *DNA) { d.Children[2].Value = 1 },
			"space: DNA for lr: value 1 out of bounds [0.001, 0.1]"},
		{"float below min", func(d *DNA) { d.Children[2].Value = 0.0001 },
			"space: DNA for lr: value 0.0001 out of bounds [0.001, 0.1]"},
		{"float NaN", func(d *DNA) { d.Children[2].Value = math.NaN() },
			"space: DNA for lr: value NaN out of bounds [0.001, 0.1]"},
		{"float with children", func(d *DNA) { d.Children[2].Children = []DNA{{}} },
			"space: DNA for lr: a number has no inner decisions"},
		{"non-integer Int", func(d *DNA) { d.Children[3].Value = 2.5 },
			"space: DNA for depth: value 2.5 is not an integer"},
		{"Int out of bounds", func(d *DNA) { d.Children[3].Value = 5 },
			"space: DNA for depth: value 5 out of bounds [1, 4]"},
		{"repeated index in distinct ManyOf", func(d *DNA) { d.Children[4].Children[1].Value = 0 },
			"space: DNA for layers: candidate 0 chosen twice, want distinct choices"},
		{"too few choices", func(d *DNA) { d.Children[4].Children = d.Children[4].Children[:1] },
			"space: DNA for layers: 1 choices, want 2"},
		{"ManyOf index out of range", func(d *DNA) { d.Children[4].Children[1].Value = 3 },
			"space: DNA for layers: index 3 out of range [0, 3)"},
		{"unsorted in sorted ManyOf", func(d *DNA) { d.Children[5].Children[0].Value = 2; d.Children[5].Children[1].Value = 1 },
			"space: DNA for sorted: indices not sorted: 2 before 1"},
		{"repeated index in permutation", func(d *DNA) { d.Children[6].Children[2].Value = 1 },
			"space: DNA for order: candidate 1 chosen twice, want distinct choices"},
		{"too many in permutation", func(d *DNA) { d.Children[6].Children = append(d.Children[6].Children, DNA{}) },
			"space: DNA for order: 4 choices, want 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := good.Clone()
			tc.change(&d)
			for what, err := range map[string]error{"Validate": s.Spec().Validate(d), "Decode": decodeErr(s, d)} {
				if err == nil {
					t.Fatalf("%s accepts the DNA", what)
				}
				if err.Error() != tc.want {
					t.Errorf("%s error:\n%s\nwant\n%s", what, err, tc.want)
				}
				if !errors.Is(err, ErrInvalidDNA) {
					t.Errorf("%s error does not wrap ErrInvalidDNA", what)
				}
			}
			if !good.Equal(mustParse(t, s, dnaTestGood)) {
				t.Fatal("Clone shares with the original")
			}
		})
	}
}

func decodeErr(s *Space, d DNA) error {
	_, err := s.Decode(d)
	return err
}

func mustParse(t *testing.T, s *Space, text string) DNA {
	t.Helper()
	d, err := s.Spec().ParseNumbers(text)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestValidateExtraDecisionsMessage shows that decisions under a
// candidate that has none are reported as being "for the top level".
func TestValidateExtraDecisionsMessage(t *testing.T) {
	s := yamlSpace(t, dnaTestSpace)
	for _, change := range []func(d *DNA){
		func(d *DNA) { d.Children[1].Children = []DNA{{}} },             // under w's candidate 1
		func(d *DNA) { d.Children[4].Children[1].Children = []DNA{{}} }, // under a slot of layers
	} {
		d := mustParse(t, s, dnaTestGood)
		change(&d)
		err := s.Spec().Validate(d)
		if err == nil || strings.Contains(err.Error(), "top level") {
			t.Errorf("Validate: %v; want an error naming the decision (w or layers)", err)
		}
	}
}

// TestValidateChoiceValue shows that Validate ignores Value on the root
// and on ManyOf and Permutation nodes, so DNA that are not Equal (and
// hash differently in a de-duplicating algorithm) format and decode the
// same.
func TestValidateChoiceValue(t *testing.T) {
	s := yamlSpace(t, dnaTestSpace)
	for i, change := range []func(d *DNA){
		func(d *DNA) { d.Value = 3 },
		func(d *DNA) { d.Children[4].Value = 3 },
		func(d *DNA) { d.Children[6].Value = -1 },
	} {
		d := mustParse(t, s, dnaTestGood)
		change(&d)
		if err := s.Spec().Validate(d); err == nil {
			t.Errorf("change %d: Validate accepts %+v", i, d)
		}
	}
}

func TestDNAClone(t *testing.T) {
	d := DNA{Value: 1, Children: []DNA{{Value: 2, Children: []DNA{{Value: 3}}}}}
	c := d.Clone()
	if !c.Equal(d) {
		t.Fatal("Clone not Equal")
	}
	c.Children[0].Children[0].Value = 4
	if d.Children[0].Children[0].Value != 3 {
		t.Fatal("Clone shares children")
	}
	if c.Equal(d) || (DNA{}).Equal(DNA{Children: []DNA{{}}}) {
		t.Fatal("Equal ignores a difference")
	}
}
