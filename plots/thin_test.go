package plots_test

import (
	"testing"

	"github.com/c2602f9e/goglove/plots"
)

// TestThin checks that Thin bounds each series, keeps a best-so-far
// line's every step and the ends of every series, and leaves bars and
// the chart given alone.
func TestThin(t *testing.T) {
	s := fixture(t, 3000)
	for _, kind := range plots.Kinds {
		c, err := plots.Build(kind, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		thin := plots.Thin(c, 500)
		for i, p := range thin.Panels {
			for j, ser := range p.Series {
				orig := c.Panels[i].Series[j]
				if ser.Style == plots.StyleBars {
					if len(ser.Points) != len(orig.Points) {
						t.Errorf("%s: bars thinned", kind)
					}
					continue
				}
				if len(ser.Points) > 502 {
					t.Errorf("%s: series %q has %d points after Thin(500)", kind, ser.Name, len(ser.Points))
				}
				if n := len(orig.Points); n > 0 && (ser.Points[0] != orig.Points[0] || ser.Points[len(ser.Points)-1] != orig.Points[n-1]) {
					t.Errorf("%s: series %q lost an end", kind, ser.Name)
				}
			}
		}
	}
	h, _ := plots.History(s)
	best := h.Panels[0].Series[1]
	steps := map[float64]bool{}
	for _, p := range best.Points {
		steps[p.Y] = true
	}
	thin := plots.Thin(h, 50).Panels[0].Series[1]
	got := map[float64]bool{}
	for _, p := range thin.Points {
		got[p.Y] = true
	}
	if len(got) != len(steps) {
		t.Errorf("best so far: %d values after Thin, %d before", len(got), len(steps))
	}
	if len(h.Panels[0].Series[0].Points) <= 500 {
		t.Fatal("the fixture is too small to thin")
	}
}
