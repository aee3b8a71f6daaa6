package plots

import "fmt"

// Thin returns c with no series of more than max points, for drawing
// large studies quickly: a line first loses the inner points of its
// horizontal runs (a best-so-far line keeps its every step), then, like
// a scatter or a timeline's segments, keeps every k-th point (every k-th
// pair) and its last, k the smallest that brings it to max. Bars are
// kept. A note says how many points were drawn. c itself is not changed;
// max ≤ 0 returns it as it is.
func Thin(c Chart, max int) Chart {
	if max <= 0 {
		return c
	}
	out := c
	out.Panels = make([]Panel, len(c.Panels))
	out.Notes = append([]string(nil), c.Notes...)
	before, after := 0, 0
	for i, p := range c.Panels {
		q := p
		q.Series = make([]Series, len(p.Series))
		for j, s := range p.Series {
			t := s
			switch {
			case s.Style == StyleLine && len(s.Points) > max:
				t.Points = stride(flatten(s.Points), max, 1)
			case (s.Style == StyleScatter || s.Style == StyleSegments) && len(s.Points) > max:
				step := 1
				if s.Style == StyleSegments {
					step = 2
				}
				t.Points = stride(s.Points, max, step)
			}
			before += len(s.Points)
			after += len(t.Points)
			q.Series[j] = t
		}
		out.Panels[i] = q
	}
	if after < before {
		out.Notes = append(out.Notes, fmt.Sprintf("%d of %d points drawn", after, before))
	}
	return out
}

// flatten drops the inner points of runs of equal Y.
func flatten(pts []Point) []Point {
	out := make([]Point, 0, len(pts))
	for i, p := range pts {
		if i > 0 && i < len(pts)-1 && pts[i-1].Y == p.Y && pts[i+1].Y == p.Y {
			continue
		}
		out = append(out, p)
	}
	return out
}

// stride keeps every k-th group of size points (and the last group), k
// the smallest that leaves at most max points (plus the last group).
func stride(pts []Point, max, size int) []Point {
	groups := len(pts) / size
	want := max / size
	if groups <= want || want < 1 {
		return pts
	}
	k := (groups + want - 1) / want
	out := make([]Point, 0, (want+1)*size)
	for g := 0; g < groups; g += k {
		out = append(out, pts[g*size:(g+1)*size]...)
	}
	if last := (groups - 1) * size; (groups-1)%k != 0 {
		out = append(out, pts[last:last+size]...)
	}
	return out
}
