package algorithms

import (
	goreflect "reflect"
	"testing"
)

// Every algorithm with a Seed field takes the config's seed when its own
// is 0 and keeps its own otherwise, inside a Dedup too.
func TestSeededSetsEverySeedField(t *testing.T) {
	algos := []Algorithm{&Random{}, &RegularizedEvolution{}, &HillClimb{}, &NSGA2{}, &TPE{}, &CMAES{}, &Darts{}, &Reinforce{}, &Grid{}}
	withSeed := 0
	for _, a := range algos {
		f := goreflect.ValueOf(a).Elem().FieldByName("Seed")
		if !f.IsValid() {
			seeded(a, 42) // must not panic
			continue
		}
		withSeed++
		seeded(a, 42)
		if f.Uint() != 42 {
			t.Errorf("%T: Seed %d after seeded(42), want 42", a, f.Uint())
		}
		f.SetUint(7)
		seeded(a, 42)
		if f.Uint() != 7 {
			t.Errorf("%T: own Seed 7 became %d", a, f.Uint())
		}
	}
	if withSeed < 8 {
		t.Errorf("%d algorithms have a Seed field, want the 8 seeded ones", withSeed)
	}
	inner := &TPE{}
	seeded(&Dedup{Inner: inner}, 5)
	if inner.Seed != 5 {
		t.Errorf("Dedup's inner TPE: Seed %d, want 5", inner.Seed)
	}
}
