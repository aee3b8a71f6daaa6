package data

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// imageSet returns a Set of one rows×cols image whose pixel j is
// pixelScale[b[j]].
func imageSet(rows, cols int, b []byte) *Set {
	x := make([]float32, len(b))
	for j, v := range b {
		x[j] = pixelScale[v]
	}
	return &Set{X: x, Y: []int32{7}, N: 1, Features: rows * cols, Classes: 10}
}

// bytesOf returns the byte values of the pixels of s's first image.
func bytesOf(t *testing.T, s *Set) []byte {
	t.Helper()
	b := make([]byte, s.Features)
	for j, v := range s.Row(0) {
		k := slices.Index(pixelScale[:], v)
		if k < 0 {
			t.Fatalf("pixel %d is %v, not a decoded byte", j, v)
		}
		b[j] = byte(k)
	}
	return b
}

// TestTransformsByHand checks each transform on the 2×3 image
//
//	0 1 2
//	3 4 5
//
// (byte values), against results worked out by hand.
func TestTransformsByHand(t *testing.T) {
	img := []byte{0, 1, 2, 3, 4, 5}
	tests := []struct {
		ts   []Transform
		want []byte // row-major, of the shape the transform gives
	}{
		{nil, []byte{0, 1, 2, 3, 4, 5}},
		{[]Transform{Rot90}, []byte{2, 5, 1, 4, 0, 3}}, // 3×2: top row becomes the left column, read upwards
		{[]Transform{Rot180}, []byte{5, 4, 3, 2, 1, 0}},
		{[]Transform{Rot270}, []byte{3, 0, 4, 1, 5, 2}},
		{[]Transform{HFlip}, []byte{2, 1, 0, 5, 4, 3}},
		{[]Transform{VFlip}, []byte{3, 4, 5, 0, 1, 2}},
		{[]Transform{Transpose}, []byte{0, 3, 1, 4, 2, 5}},
		{[]Transform{Invert}, []byte{255, 254, 253, 252, 251, 250}},
		{[]Transform{HFlip, Invert}, []byte{253, 254, 255, 250, 251, 252}},
		{[]Transform{Rot90, HFlip}, []byte{5, 2, 4, 1, 3, 0}}, // the anti-transpose
	}
	for _, tt := range tests {
		t.Run(strings.Join(names(tt.ts), "+"), func(t *testing.T) {
			in := imageSet(2, 3, img)
			orig := slices.Clone(in.X)
			out, err := TransformImages(in, 2, 3, tt.ts)
			if err != nil {
				t.Fatal(err)
			}
			if got := bytesOf(t, out); !slices.Equal(got, tt.want) {
				t.Errorf("pixels %v, want %v", got, tt.want)
			}
			if !slices.Equal(in.X, orig) {
				t.Error("the input set was modified")
			}
			if out.N != 1 || out.Features != 6 || out.Classes != 10 || out.Y[0] != 7 {
				t.Errorf("N %d, Features %d, Classes %d, Y %v; want 1, 6, 10, [7]", out.N, out.Features, out.Classes, out.Y)
			}
		})
	}
}

func names(ts []Transform) []string {
	s := []string{"none"}
	for _, t := range ts {
		s = append(s, string(t))
	}
	return s
}

// TestTransformIdentities checks the group laws that hold between the
// transforms, on random square and non-square images.
func TestTransformIdentities(t *testing.T) {
	equal := [][2][]Transform{
		{{Rot90, Rot270}, nil},
		{{Rot270, Rot90}, nil},
		{{Rot90, Rot90, Rot90, Rot90}, nil},
		{{Rot180, Rot180}, nil},
		{{HFlip, HFlip}, nil},
		{{VFlip, VFlip}, nil},
		{{Transpose, Transpose}, nil},
		{{Invert, Invert}, nil},
		{{Rot90, Rot90}, {Rot180}},
		{{Rot90, Rot180}, {Rot270}},
		{{HFlip, VFlip}, {Rot180}},
		{{Rot90, VFlip}, {Transpose}},
		{{HFlip, Rot90}, {Transpose}},
		{{Transpose, VFlip}, {Rot90}},
		{{Transpose, HFlip}, {Rot270}},
		{{Invert, Rot90}, {Rot90, Invert}},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, shape := range [][2]int{{4, 4}, {3, 5}, {28, 28}} {
		rows, cols := shape[0], shape[1]
		img := make([]byte, rows*cols)
		for j := range img {
			img[j] = byte(rng.IntN(256))
		}
		in := imageSet(rows, cols, img)
		for _, e := range equal {
			a, err := TransformImages(in, rows, cols, e[0])
			if err != nil {
				t.Fatal(err)
			}
			b, err := TransformImages(in, rows, cols, e[1])
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(a.X, b.X) {
				t.Errorf("%d×%d: %v differs from %v", rows, cols, names(e[0]), names(e[1]))
			}
		}
		// And the transforms are all different from each other (on a
		// square image; a non-square one tells apart fewer).
		if rows != cols {
			continue
		}
		seen := map[string]Transform{}
		for _, tr := range Transforms() {
			out, _ := TransformImages(in, rows, cols, []Transform{tr})
			k := string(bytesOf(t, out))
			if prev, ok := seen[k]; ok {
				t.Errorf("%d×%d: %s gives the same image as %s", rows, cols, tr, prev)
			}
			seen[k] = tr
		}
	}
}

// TestTransformCanonical checks that chains with the same effect get the
// same cache name, and different effects different names.
func TestTransformCanonical(t *testing.T) {
	tests := []struct {
		ts   []Transform
		want string
	}{
		{nil, "id"},
		{[]Transform{Rot90, Rot270}, "id"},
		{[]Transform{Invert, Invert}, "id"},
		{[]Transform{Rot90}, "rot90"},
		{[]Transform{Transpose, VFlip}, "rot90"},
		{[]Transform{HFlip, VFlip, Invert}, "rot180+invert"},
		{[]Transform{Rot90, HFlip}, "antitranspose"},
		{[]Transform{HFlip, Rot90}, "transpose"},
	}
	for _, shape := range [][2]int{{28, 28}, {2, 3}} {
		for _, tt := range tests {
			m, err := compose(shape[0], shape[1], tt.ts)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.canonical(shape[0], shape[1]); got != tt.want {
				t.Errorf("%v on %d×%d: canonical %q, want %q", names(tt.ts), shape[0], shape[1], got, tt.want)
			}
			if m.identity() != (tt.want == "id") {
				t.Errorf("%v: identity() = %v", names(tt.ts), m.identity())
			}
		}
	}
}

func TestTransformErrors(t *testing.T) {
	in := imageSet(2, 3, []byte{0, 1, 2, 3, 4, 5})
	tests := []struct {
		name       string
		rows, cols int
		ts         []Transform
		want       string
	}{
		{"unknown", 2, 3, []Transform{HFlip, "rot45"}, `data: transforms[1] is "rot45", want one of rot90, rot180, rot270, hflip, vflip, transpose, invert`},
		{"shape", 3, 3, nil, "data: images of 3×3 pixels for a set of 6 features"},
		{"zero rows", 0, 6, nil, "data: images of 0×6 pixels for a set of 6 features"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := TransformImages(in, tt.rows, tt.cols, tt.ts)
			if err == nil || err.Error() != tt.want || !errors.Is(err, ErrOptions) {
				t.Errorf("err = %v, want %q (ErrOptions)", err, tt.want)
			}
		})
	}
}
