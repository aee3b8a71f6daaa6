package space

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

func TestDNAJSONRoundTrip(t *testing.T) {
	tests := []struct {
		d    DNA
		text string
	}{
		{DNA{}, "[0]"},
		{DNA{Value: 1.5, Children: []DNA{}}, "[1.5,[]]"},
		{DNA{Children: []DNA{{Value: 2}, {Value: 0.25, Children: []DNA{{Value: 1}}}}}, "[0,[[2],[0.25,[[1]]]]]"},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.d)
		if err != nil || string(b) != tt.text {
			t.Fatalf("Marshal(%v) = %s, %v; want %s", tt.d, b, err, tt.text)
		}
		var back DNA
		if err := json.Unmarshal(b, &back); err != nil || !back.Equal(tt.d) || (back.Children == nil) != (tt.d.Children == nil) {
			t.Fatalf("Unmarshal(%s) = %v, %v; want %v", b, back, err, tt.d)
		}
	}
	for _, bad := range []string{"null", "[]", "[1,2,3]", `["x"]`, "[1,[x]]", "{}"} {
		var d DNA
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("Unmarshal(%s) succeeded: %v", bad, d)
		}
	}
	// Random DNA of a conditional space round-trips.
	s := MustNew(mustTreeForJSON(t))
	rng := rand.New(rand.NewPCG(1, 1))
	for range 200 {
		d := s.Spec().Random(rng)
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back DNA
		if err := json.Unmarshal(b, &back); err != nil || s.Spec().Format(back) != s.Spec().Format(d) {
			t.Fatalf("round trip of %s: %s, %v", s.Spec().Format(d), b, err)
		}
	}
}

func mustTreeForJSON(t *testing.T) *Choice {
	t.Helper()
	return OneOf(ManyOf(2, "a", "b", OneOf(1, 2)), Float(0, 1), Permutation("x", "y"))
}
