package trainer_test

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/data"
)

// writeIDX writes an uncompressed IDX file of unsigned bytes.
func writeIDX(t *testing.T, path string, dims []int, b []byte) {
	t.Helper()
	out := []byte{0, 0, 0x08, byte(len(dims))}
	for _, d := range dims {
		out = binary.BigEndian.AppendUint32(out, uint32(d))
	}
	if err := os.WriteFile(path, append(out, b...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tinyFashionDir writes a Fashion-MNIST directory of 20 training images
// (labels i mod 10) and 10 test images (labels 0 to 9) of 2×2 pixels, the
// bytes of image i being 4i to 4i+3, and points $GOGLOVE_DATA_DIR at it.
func tinyFashionDir(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	images := func(n int) []byte {
		b := make([]byte, 4*n)
		for i := range b {
			b[i] = byte(i)
		}
		return b
	}
	labels := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i % 10)
		}
		return b
	}
	writeIDX(t, filepath.Join(dir, "train-images-idx3-ubyte"), []int{20, 2, 2}, images(20))
	writeIDX(t, filepath.Join(dir, "train-labels-idx1-ubyte"), []int{20}, labels(20))
	writeIDX(t, filepath.Join(dir, "t10k-images-idx3-ubyte"), []int{10, 2, 2}, images(10))
	writeIDX(t, filepath.Join(dir, "t10k-labels-idx1-ubyte"), []int{10}, labels(10))
	t.Setenv(data.DirEnv, dir)
}

func TestFashionMNISTProgram(t *testing.T) {
	tinyFashionDir(t)
	v, err := newRegistry(t).DecodeYAML([]byte("{_type: trainer.FashionMNIST, validation: 10, transform: [hflip, invert], classes: [7, 2]}"), nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := symbolic.To[trainer.FashionMNIST](v)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.Transform, []string{"hflip", "invert"}) || !slices.Equal(f.Classes, []int{7, 2}) {
		t.Fatalf("bound %+v", f)
	}
	s, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	// Training images 2 and 7 train (labels 1, 0), 12 and 17 validate.
	if !slices.Equal(s.Train.Y, []int32{1, 0}) || !slices.Equal(s.Val.Y, []int32{1, 0}) || !slices.Equal(s.Test.Y, []int32{1, 0}) || s.Train.Classes != 2 {
		t.Errorf("labels %v, %v, %v, classes %d; want [1 0] each, 2", s.Train.Y, s.Val.Y, s.Test.Y, s.Train.Classes)
	}
	// Image 2 is bytes 8 9 / 10 11; mirrored 9 8 / 11 10, inverted.
	want := []float32{float32(255-9) / 255, float32(255-8) / 255, float32(255-11) / 255, float32(255-10) / 255}
	if got := s.Train.Row(0); !slices.Equal(got, want) {
		t.Errorf("train image 0: %v, want %v", got, want)
	}
	plain, err := trainer.FashionMNIST{Validation: 10}.Load()
	if err != nil {
		t.Fatal(err)
	}
	if plain.Train.Classes != 10 || plain.Train.N != 10 || plain.Train.Row(2)[0] != float32(8)/255 {
		t.Errorf("plain: %d classes, %d images, pixel %v; want 10, 10, 8/255 (the variant changed the shared data?)",
			plain.Train.Classes, plain.Train.N, plain.Train.Row(2)[0])
	}
}

// TestTrainFashionSubset trains on a class subset: the model has one
// output per kept class.
func TestTrainFashionSubset(t *testing.T) {
	tinyFashionDir(t)
	c := decode(t, `
_type: trainer.Classifier
data: {_type: trainer.FashionMNIST, validation: 0, transform: [rot90], classes: [3, 4, 5]}
model: {_type: trainer.MLP, hidden: [4]}
optimizer: {_type: trainer.SGD, lr: 0.1}
epochs: 2
batch: 2
`)
	m, err := trainer.Train(context.Background(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := m[trainer.MetricTestAccuracy]; !ok || a < 0 || a > 1 {
		t.Errorf("test accuracy %v (%v), want a fraction", a, ok)
	}
	// 4 pixels → 4 hidden units → 3 outputs: 4·4+4 + 4·3+3 parameters
	// (with ten outputs, 70).
	if p := m[trainer.MetricParams]; p != 35 {
		t.Errorf("%v parameters, want 35 (a model of 3 outputs)", p)
	}
}

func TestFashionMNISTDecodeErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
		sentinel         error
	}{
		{"transform name", "transform: [rot90, rotate]",
			"data.transform[1]: want one of rot90, rot180, rot270, hflip, vflip, transpose, invert", symbolic.ErrRange},
		{"transform not a list", "transform: rot90", "data.transform: want list of one of rot90", symbolic.ErrKind},
		{"class range", "classes: [0, 10]", "data.classes[1]: want int in [0, 9]", symbolic.ErrRange},
		{"repeated class", "classes: [1, 2, 1]", "data: trainer.FashionMNIST: classes[2]: class 1 is also classes[0]; want each class once", symbolic.ErrInvalid},
		{"one class", "classes: [4]", "data: trainer.FashionMNIST: classes: want at least two classes, got [4]", symbolic.ErrInvalid},
	}
	r := newRegistry(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := "_type: trainer.Classifier\ndata: {_type: trainer.FashionMNIST, " + tc.data + "}\nmodel: {_type: trainer.MLP}\noptimizer: {_type: trainer.AdamW}\n"
			_, err := r.DecodeYAML([]byte(src), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, tc.sentinel) {
				t.Errorf("err = %v, want %q (%v)", err, tc.want, tc.sentinel)
			}
		})
	}
	// A program built in Go is checked when it loads.
	_, err := trainer.FashionMNIST{Transform: []string{"rot45"}, Classes: []int{1, 2}}.Load()
	if !errors.Is(err, data.ErrOptions) || !strings.Contains(err.Error(), `transforms[0] is "rot45"`) {
		t.Errorf("Go program with a bad transform: %v, want data.ErrOptions", err)
	}
}
