package algorithms

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// Textbook examples (1-based in the books, 0-based here).
func TestPermutationCrossoverExamples(t *testing.T) {
	dec := func(xs ...int) []int {
		for i := range xs {
			xs[i]--
		}
		return xs
	}
	tests := []struct {
		name string
		got  []int
		want []int
	}{
		// Goldberg & Lingle: segment 4 5 6 7 of the first parent.
		{"pmx", pmx(dec(1, 2, 3, 4, 5, 6, 7, 8, 9), dec(4, 5, 2, 1, 8, 7, 6, 9, 3), 3, 7), dec(1, 8, 2, 4, 5, 6, 7, 9, 3)},
		{"ox", ox(dec(1, 2, 3, 4, 5, 6, 7, 8, 9), dec(4, 5, 2, 1, 8, 7, 6, 9, 3), 3, 7), dec(2, 1, 8, 4, 5, 6, 7, 9, 3)},
		// Oliver et al.: cycles {1,4,7,8}, {2,3,5}, {6}.
		{"cx from a", cx(dec(1, 2, 3, 4, 5, 6, 7, 8), dec(8, 5, 2, 1, 3, 6, 4, 7), true), dec(1, 5, 2, 4, 3, 6, 7, 8)},
		{"cx from b", cx(dec(1, 2, 3, 4, 5, 6, 7, 8), dec(8, 5, 2, 1, 3, 6, 4, 7), false), dec(8, 2, 3, 1, 5, 6, 4, 7)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !slices.Equal(tt.got, tt.want) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func isPermutation(p []int) bool {
	seen := make([]bool, len(p))
	for _, v := range p {
		if v < 0 || v >= len(p) || seen[v] {
			return false
		}
		seen[v] = true
	}
	return true
}

// TestPermutationCrossoverProperties checks, for random parents and every
// segment, that the children are permutations with the documented
// properties.
func TestPermutationCrossoverProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		n := 1 + rng.IntN(10)
		a, b := rng.Perm(n), rng.Perm(n)
		a0, b0 := slices.Clone(a), slices.Clone(b)
		for i := 0; i < n; i++ {
			for j := i + 1; j <= n; j++ {
				inSeg := func(v int) bool { return slices.Contains(a[i:j], v) }

				c := pmx(a, b, i, j)
				if !isPermutation(c) || !slices.Equal(c[i:j], a[i:j]) {
					t.Fatalf("pmx(%v, %v, %d, %d) = %v: not a permutation keeping a's segment", a, b, i, j, c)
				}
				for k := range n {
					if (k < i || k >= j) && !inSeg(b[k]) && c[k] != b[k] {
						t.Fatalf("pmx(%v, %v, %d, %d) = %v: position %d does not keep b's value", a, b, i, j, c, k)
					}
				}

				c = ox(a, b, i, j)
				if !isPermutation(c) || !slices.Equal(c[i:j], a[i:j]) {
					t.Fatalf("ox(%v, %v, %d, %d) = %v: not a permutation keeping a's segment", a, b, i, j, c)
				}
				var rest, wantRest []int
				for s := range n {
					if k := (j + s) % n; k < i || k >= j {
						rest = append(rest, c[k])
					}
					if v := b[(j+s)%n]; !inSeg(v) {
						wantRest = append(wantRest, v)
					}
				}
				if !slices.Equal(rest, wantRest) {
					t.Fatalf("ox(%v, %v, %d, %d) = %v: rest %v, want b's order %v", a, b, i, j, c, rest, wantRest)
				}
			}
		}
		for _, fromA := range []bool{true, false} {
			c := cx(a, b, fromA)
			if !isPermutation(c) {
				t.Fatalf("cx(%v, %v) = %v: not a permutation", a, b, c)
			}
			for k := range n {
				if c[k] != a[k] && c[k] != b[k] {
					t.Fatalf("cx(%v, %v) = %v: position %d from neither parent", a, b, c, k)
				}
			}
			if first := map[bool][]int{true: a, false: b}[fromA]; c[0] != first[0] {
				t.Fatalf("cx(%v, %v, %v) = %v: first cycle not from the chosen parent", a, b, fromA, c)
			}
		}
		for _, x := range []PermutationCrossover{PMX{}, OrderCrossover{}, CycleCrossover{}} {
			if c := x.CrossPermutation(rng, a, b); !isPermutation(c) || len(c) != n {
				t.Fatalf("%T(%v, %v) = %v: not a permutation", x, a, b, c)
			}
		}
		if !slices.Equal(a, a0) || !slices.Equal(b, b0) {
			t.Fatal("parents modified")
		}
	}
}

// TestPermutationCrossoverSameParents: crossing a permutation with itself
// gives it back.
func TestPermutationCrossoverSameParents(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100 {
		a := rng.Perm(1 + rng.IntN(9))
		for _, x := range []PermutationCrossover{PMX{}, OrderCrossover{}, CycleCrossover{}} {
			if c := x.CrossPermutation(rng, a, a); !slices.Equal(c, a) {
				t.Fatalf("%T(%v, %v) = %v", x, a, a, c)
			}
		}
	}
}
