package space

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

func binomial(n, k int64) *big.Int { return new(big.Int).Binomial(n, k) }

func fact(n int64) *big.Int { return new(big.Int).MulRange(1, max(n, 1)) }

func letters(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = symbolic.String(fmt.Sprintf("c%d", i))
	}
	return out
}

// TestManyOfSize checks the four ManyOf size formulas, and that the grid
// yields that many DNA.
func TestManyOfSize(t *testing.T) {
	for n := 1; n <= 6; n++ {
		for k := 1; k <= 4; k++ {
			for _, tc := range []struct {
				distinct, sorted bool
				want             *big.Int
			}{
				{true, true, binomial(int64(n), int64(k))},                                        // C(n, k)
				{true, false, new(big.Int).Div(fact(int64(n)), fact(int64(n-k)))},                 // n!/(n−k)!
				{false, true, binomial(int64(n+k-1), int64(k))},                                   // C(n+k−1, k)
				{false, false, new(big.Int).Exp(big.NewInt(int64(n)), big.NewInt(int64(k)), nil)}, // n^k
			} {
				if tc.distinct && k > n {
					continue
				}
				name := fmt.Sprintf("n=%d,k=%d,distinct=%v,sorted=%v", n, k, tc.distinct, tc.sorted)
				t.Run(name, func(t *testing.T) {
					s, err := New(symbolic.NewList(ManyOf(k, letters(n)...).Distinct(tc.distinct).Sorted(tc.sorted)))
					if err != nil {
						t.Fatal(err)
					}
					got, ok := s.Spec().Size()
					if !ok || got.Cmp(tc.want) != 0 {
						t.Fatalf("Size = %v, %v; want %v", got, ok, tc.want)
					}
					if n := len(gridAll(t, s.Spec(), int(tc.want.Int64())+1)); int64(n) != tc.want.Int64() {
						t.Fatalf("Grid yields %d DNA, want %v", n, tc.want)
					}
				})
			}
		}
	}
}

func TestPermutationSize(t *testing.T) {
	for n := 1; n <= 7; n++ {
		s := MustNew(symbolic.NewList(Permutation(letters(n)...)))
		if got, want := s.Spec().SizeString(), fact(int64(n)).String(); got != want {
			t.Errorf("Permutation of %d: size %s, want %s", n, got, want)
		}
		if n <= 6 {
			if got := len(gridAll(t, s.Spec(), 1000)); int64(got) != fact(int64(n)).Int64() {
				t.Errorf("Permutation of %d: grid yields %d DNA", n, got)
			}
		}
	}
}

// TestSizeTable covers sizes of nested, conditional and numeric spaces,
// and sizes beyond int64.
func TestSizeTable(t *testing.T) {
	big30 := symbolic.NewDict(30)
	for i := range 30 {
		big30.Set(fmt.Sprintf("d%d", i), OneOf(letters(10)...))
	}
	tests := []struct {
		name string
		tree symbolic.Value
		want string
	}{
		{"no hyper-values", symbolic.NewDict(0), "1"},
		{"literal", symbolic.String("x"), "1"},
		{"oneof", OneOf("a", "b", "c"), "3"},
		{"int", Int(-3, 3), "7"},
		{"int one value", Int(5, 5), "1"},
		{"float", Float(0, 1), "continuous"},
		{"float in a candidate", OneOf("a", Float(0, 1)), "continuous"},
		{"independent", symbolic.NewList(OneOf("a", "b"), Int(1, 3)), "6"},
		{"conditional", OneOf(symbolic.NewList(symbolic.String("sgd"), OneOf(0, 1, 2)), "adam"), "4"},
		{"nested oneof", OneOf(OneOf("a", "b"), OneOf("c", "d", "e")), "5"},
		// Candidates of sizes 2, 1, 1: e_2 = 2+2+1 = 5 sets, 10 lists.
		{"manyof nested distinct sorted", ManyOf(2, OneOf("a", "b"), "c", "d").Sorted(true), "5"},
		{"manyof nested distinct", ManyOf(2, OneOf("a", "b"), "c", "d"), "10"},
		// h_2(2, 1, 1) = 4+1+1+2+2+1 = 11; (2+1+1)^2 = 16.
		{"manyof nested repeats sorted", ManyOf(2, OneOf("a", "b"), "c", "d").Distinct(false).Sorted(true), "11"},
		{"manyof nested repeats", ManyOf(2, OneOf("a", "b"), "c", "d").Distinct(false), "16"},
		{"permutation nested", Permutation(OneOf("a", "b"), "c", Int(0, 2)), "36"},
		{"10^30 beyond int64", big30, "1000000000000000000000000000000"},
		{"30! beyond int64", Permutation(letters(30)...), fact(30).String()},
		{"repeats 20^40", ManyOf(40, letters(20)...).Distinct(false), new(big.Int).Exp(big.NewInt(20), big.NewInt(40), nil).String()},
		{"int ±2^53", Int(-1<<53, 1<<53), "18014398509481985"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(tc.tree)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Spec().SizeString(); got != tc.want {
				t.Fatalf("SizeString = %s, want %s", got, tc.want)
			}
			size, ok := s.Spec().Size()
			if ok != (tc.want != "continuous") || ok && size.String() != tc.want {
				t.Fatalf("Size = %v, %v", size, ok)
			}
			if !ok {
				return
			}
			if size.Cmp(big.NewInt(maxGridSize)) <= 0 {
				if got := len(gridAll(t, s.Spec(), maxGridSize+1)); int64(got) != size.Int64() {
					t.Fatalf("Grid yields %d DNA", got)
				}
			}
			size.SetInt64(0) // Size returns a copy
			if s.Spec().SizeString() != tc.want {
				t.Fatal("changing the result of Size changed the spec")
			}
		})
	}
}
