package space

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// dbrFunc is a define-by-run function with every kind of decision,
// including conditional ones.
func dbrFunc(h *Decider) dbrConfig {
	c := dbrConfig{
		Act:   Choose(h, "act", "gelu", "relu"),
		Width: IntIn(h, "width", 16, 64),
		LR:    FloatIn(h, "lr", 1e-3, 1e-1, Log),
	}
	c.Opt = ChooseFunc(h, "opt",
		func(h *Decider) string { c.Momentum = Choose(h, "momentum", 0.5, 0.9); return "sgd" },
		func(h *Decider) string { return "adam" })
	c.Layers = ChooseK(h, "layers", 2, 8, 16, 32)
	c.Order = Permute(h, "order", "a", "b")
	return c
}

func TestDeciderZeroValue(t *testing.T) {
	t.Run("first program", func(t *testing.T) {
		var h Decider
		got := dbrFunc(&h)
		if err := h.Err(); err != nil {
			t.Fatal(err)
		}
		s, err := Trace(dbrFunc)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.Decode(DNA{Children: firstDNAs(s.Spec().Points)})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("zero Decider against the first DNA decoded (-want +got):\n%s", d)
		}
		if got.Act != "gelu" || got.Width != 16 || got.LR != 1e-3 || got.Opt != "sgd" || got.Momentum != 0.5 {
			t.Errorf("zero Decider: %+v, want the first candidates and lower bounds", got)
		}
	})
	t.Run("shared decision", func(t *testing.T) {
		h := new(Decider)
		a, b := Choose(h, "x", 3, 4), Choose(h, "x", 3, 4)
		if a != 3 || b != 3 || h.Err() != nil {
			t.Errorf("got %d, %d, %v; want 3, 3, nil", a, b, h.Err())
		}
	})
	for name, fn := range map[string]func(h *Decider){
		"no candidates":  func(h *Decider) { Choose[int](h, "x") },
		"name reused":    func(h *Decider) { Choose(h, "x", 1, 2); IntIn(h, "x", 0, 3) },
		"bad bounds":     func(h *Decider) { IntIn(h, "n", 5, 1) },
		"no candidate f": func(h *Decider) { ChooseFunc[int](h, "f") },
	} {
		t.Run(name, func(t *testing.T) {
			var h Decider
			fn(&h)
			if !errors.Is(h.Err(), ErrTrace) {
				t.Errorf("Err() = %v, want ErrTrace", h.Err())
			}
		})
	}
}
