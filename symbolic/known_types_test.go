package symbolic

import "testing"

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"kitten", "sitting", 3},
		{"trainer.Adam", "trainer.AdamW", 1}, {"flaw", "lawn", 2}, {"same", "same", 0},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := editDistance(tc.b, tc.a); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d (symmetry)", tc.b, tc.a, got, tc.want)
		}
	}
}

// An unknown type's message lists the types of its namespace first,
// nearest first, although another namespace sorts before it.
func TestKnownTypesNamespaceFirst(t *testing.T) {
	type x struct{}
	type y struct{}
	type z struct{}
	type w struct{}
	r := NewRegistry()
	for name, reg := range map[string]func() error{
		"algorithms.ASHA": func() error { return Register[x](r, "algorithms.ASHA", "") },
		"algorithms.Adam": func() error { return Register[y](r, "algorithms.Adam", "") },
		"trainer.SGD":     func() error { return Register[z](r, "trainer.SGD", "") },
		"trainer.AdamW":   func() error { return Register[w](r, "trainer.AdamW", "") },
	} {
		if err := reg(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if got, want := r.knownTypes("trainer.Adam"), " (registered: trainer.AdamW, trainer.SGD, algorithms.Adam, algorithms.ASHA)"; got != want {
		t.Errorf("knownTypes = %q, want %q", got, want)
	}
}
