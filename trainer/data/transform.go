package data

import (
	"math"
	"slices"
	"strings"
)

// Transform names an exact change of grey-scale images: a move of whole
// pixels or the inversion of their values. Transforms change no pixel
// value except by Invert, so a transformed dataset holds the same values
// as the original.
type Transform string

// The transforms. Rotations are counter-clockwise, as numpy.rot90 and
// torch.rot90: Rot90 turns the top row into the left column (bottom to
// top). A rotation by 90° or 270° and Transpose turn rows×cols images
// into cols×rows ones.
const (
	Rot90     Transform = "rot90"     // a quarter turn counter-clockwise
	Rot180    Transform = "rot180"    // a half turn
	Rot270    Transform = "rot270"    // a quarter turn clockwise
	HFlip     Transform = "hflip"     // mirror left to right: column c becomes cols−1−c
	VFlip     Transform = "vflip"     // mirror top to bottom: row r becomes rows−1−r
	Transpose Transform = "transpose" // pixel (r, c) moves to (c, r)
	Invert    Transform = "invert"    // byte value x becomes 255−x (pixel v becomes 1−v, exactly)
)

// Transforms lists the transforms, in the order of the constants.
func Transforms() []Transform {
	return []Transform{Rot90, Rot180, Rot270, HFlip, VFlip, Transpose, Invert}
}

// source returns, for the geometric transform t applied to rows×cols
// images, the shape of the result and a function giving for each pixel
// (r, c) of the result the pixel of the input it comes from. ok is false
// for Invert and unknown names.
func (t Transform) source(rows, cols int) (outRows, outCols int, from func(r, c int) (int, int), ok bool) {
	switch t {
	case Rot90:
		return cols, rows, func(r, c int) (int, int) { return c, cols - 1 - r }, true
	case Rot180:
		return rows, cols, func(r, c int) (int, int) { return rows - 1 - r, cols - 1 - c }, true
	case Rot270:
		return cols, rows, func(r, c int) (int, int) { return rows - 1 - c, r }, true
	case HFlip:
		return rows, cols, func(r, c int) (int, int) { return r, cols - 1 - c }, true
	case VFlip:
		return rows, cols, func(r, c int) (int, int) { return rows - 1 - r, c }, true
	case Transpose:
		return cols, rows, func(r, c int) (int, int) { return c, r }, true
	}
	return 0, 0, nil, false
}

// pixelMap is a chain of transforms reduced to one pass: pixel j of an
// output image is pixel src[j] of the input image, inverted if invert.
type pixelMap struct {
	rows, cols int // the shape of the output images
	src        []int32
	invert     bool
}

// compose reduces ts, applied in order to rows×cols images, to a pixelMap.
func compose(rows, cols int, ts []Transform) (pixelMap, error) {
	m := pixelMap{rows: rows, cols: cols, src: make([]int32, rows*cols)}
	for j := range m.src {
		m.src[j] = int32(j)
	}
	for i, t := range ts {
		if t == Invert {
			m.invert = !m.invert
			continue
		}
		or, oc, from, ok := t.source(m.rows, m.cols)
		if !ok {
			return pixelMap{}, optionsErrorf("transforms[%d] is %q, want one of %s", i, string(t), transformNames())
		}
		src := make([]int32, len(m.src))
		for r := range or {
			for c := range oc {
				sr, sc := from(r, c)
				src[r*oc+c] = m.src[sr*m.cols+sc]
			}
		}
		m.rows, m.cols, m.src = or, oc, src
	}
	return m, nil
}

// identity reports whether m leaves images unchanged.
func (m pixelMap) identity() bool {
	if m.invert {
		return false
	}
	for j, s := range m.src {
		if int(s) != j {
			return false
		}
	}
	return true
}

// canonical returns a name of m's effect on rows×cols images that equal
// effects share ("rot90+invert"), whatever chain of transforms gave them:
// the cache key of a transformed dataset.
func (m pixelMap) canonical(rows, cols int) string {
	suffix := ""
	if m.invert {
		suffix = "+invert"
	}
	for _, t := range []Transform{"", Rot90, Rot180, Rot270, HFlip, VFlip, Transpose} {
		var ts []Transform
		if t != "" {
			ts = []Transform{t}
		}
		c, _ := compose(rows, cols, ts)
		if c.rows == m.rows && c.cols == m.cols && slices.Equal(c.src, m.src) {
			if t == "" {
				return "id" + suffix
			}
			return string(t) + suffix
		}
	}
	// Every chain of rotations, flips and transposes is one of the 8
	// symmetries of the square, seven of which are above; the eighth is
	// the anti-transpose. (Degenerate shapes, one row or column, make
	// several of them equal and end above too.)
	return "antitranspose" + suffix
}

// transformNames lists the transforms for error messages.
func transformNames() string {
	names := make([]string, 0, 7)
	for _, t := range Transforms() {
		names = append(names, string(t))
	}
	return strings.Join(names, ", ")
}

// gather returns the images rows of s (all when rows is nil), each
// transformed by m, as the X of a Set.
func (m pixelMap) gather(s *Set, rows []int32) []float32 {
	f, n := s.Features, s.N
	if rows != nil {
		n = len(rows)
	}
	x := make([]float32, n*f)
	for i := range n {
		src := i
		if rows != nil {
			src = int(rows[i])
		}
		in, out := s.X[src*f:(src+1)*f], x[i*f:(i+1)*f]
		for j, k := range m.src {
			out[j] = in[k]
		}
		if m.invert {
			for j, v := range out {
				out[j] = invertPixel(v)
			}
		}
	}
	return x
}

// invertPixel returns the pixel of byte value 255−b for the pixel v of
// byte value b (pixelScale[b]), so that an inverted image holds exactly the
// values its inverted bytes would decode to.
func invertPixel(v float32) float32 {
	b := int(math.Round(float64(v) * 255))
	if b < 0 || b > 255 {
		return 1 - v // not a decoded pixel; the plain complement
	}
	return pixelScale[255-b]
}

// TransformImages returns the rows×cols images of s transformed by ts
// applied in order, as a new Set sharing s's labels; the images of the
// result are rows×cols, or cols×rows after an odd number of quarter turns
// and transposes. s is not modified. It fails (with an error wrapping
// ErrOptions) if s.Features is not rows·cols or a name is not one of
// Transforms.
func TransformImages(s *Set, rows, cols int, ts []Transform) (*Set, error) {
	if rows < 1 || cols < 1 || rows*cols != s.Features {
		return nil, optionsErrorf("images of %d×%d pixels for a set of %d features", rows, cols, s.Features)
	}
	m, err := compose(rows, cols, ts)
	if err != nil {
		return nil, err
	}
	return &Set{X: m.gather(s, nil), Y: s.Y, N: s.N, Features: s.Features, Classes: s.Classes}, nil
}
