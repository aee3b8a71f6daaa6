package experiments

import (
	"slices"
	"testing"
)

// Every program of the space has a path of the supernet, one-hot in each
// decision, and no two programs share one.
func TestNASPathsCoverTheSpace(t *testing.T) {
	sp, err := NASSpace(true)
	if err != nil {
		t.Fatal(err)
	}
	super, err := NewSupernetSeed(sp, 1)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := nasPaths(sp.Spec(), super.Decisions())
	if err != nil {
		t.Fatal(err)
	}
	grid, err := sp.Spec().Grid()
	if err != nil {
		t.Fatal(err)
	}
	var seen [][]int
	n := 0
	for dna := range grid {
		n++
		w, ok := paths[dna.String()]
		if !ok {
			t.Fatalf("%v has no path", dna)
		}
		var hot []int
		for i, v := range w {
			ones := 0
			for k, x := range v {
				switch x {
				case 1:
					ones++
					hot = append(hot, k)
				case 0:
				default:
					t.Fatalf("%v: decision %d weights %v, not one-hot", dna, i, v)
				}
			}
			if ones != 1 {
				t.Fatalf("%v: decision %d weights %v, not one-hot", dna, i, v)
			}
		}
		for _, h := range seen {
			if slices.Equal(h, hot) {
				t.Fatalf("%v: path %v taken twice", dna, hot)
			}
		}
		seen = append(seen, hot)
	}
	if n != 48 || len(paths) != 48 {
		t.Fatalf("%d programs, %d paths; want 48", n, len(paths))
	}
}
