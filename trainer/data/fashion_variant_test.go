package data

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/internal/cputime"
)

// variantLabels are the labels of the 10 training images of variantDir;
// its 4 test images have the labels 9, 0, 3, 5.
var variantLabels = []byte{3, 1, 4, 1, 5, 9, 2, 6, 5, 3}

// variantDir writes a Fashion-MNIST directory of 10 training and 4 test
// images of 2×3 pixels; the bytes of training image i are 6i to 6i+5, of
// test image i 200+6i to 200+6i+5.
func variantDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	train := make([]byte, 10*6)
	for i := range train {
		train[i] = byte(i)
	}
	test := make([]byte, 4*6)
	for i := range test {
		test[i] = byte(200 + i)
	}
	writeFile(t, dir, "train-images-idx3-ubyte.gz", makeIDX([]int{10, 2, 3}, train))
	writeFile(t, dir, "train-labels-idx1-ubyte.gz", makeIDX([]int{10}, variantLabels))
	writeFile(t, dir, "t10k-images-idx3-ubyte.gz", makeIDX([]int{4, 2, 3}, test))
	writeFile(t, dir, "t10k-labels-idx1-ubyte.gz", makeIDX([]int{4}, []byte{9, 0, 3, 5}))
	return dir
}

// rowBytes returns the byte values of the pixels of example i of s.
func rowBytes(t *testing.T, s *Set, i int) []byte {
	t.Helper()
	b := make([]byte, s.Features)
	for j, v := range s.Row(i) {
		k := slices.Index(pixelScale[:], v)
		if k < 0 {
			t.Fatalf("example %d pixel %d is %v, not a decoded byte", i, j, v)
		}
		b[j] = byte(k)
	}
	return b
}

func TestFashionVariantClasses(t *testing.T) {
	dir := variantDir(t)
	// Validation 4 holds out training images 6 to 9 (labels 2, 6, 5, 3);
	// classes [5, 3] keep images 0 (3) and 4 (5) for training, 8 (5) and
	// 9 (3) for validation, and test images 2 (3) and 3 (5); 5 becomes
	// label 0 and 3 label 1.
	s, err := FashionVariant(FashionOptions{Dir: dir, Validation: 4, Classes: []int{5, 3}})
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, set *Set, y []int32, first []byte) {
		t.Helper()
		if set.N != len(y) || set.Classes != 2 || set.Features != 6 || len(set.X) != len(y)*6 || !equalInt32(set.Y, y) {
			t.Errorf("%s: N %d, Classes %d, Features %d, len(X) %d, Y %v; want %d, 2, 6, %d, %v",
				name, set.N, set.Classes, set.Features, len(set.X), set.Y, len(y), len(y)*6, y)
		}
		for i, b := range first {
			if got := rowBytes(t, set, i)[0]; got != b {
				t.Errorf("%s: example %d starts with byte %d, want %d (the image kept)", name, i, got, b)
			}
		}
	}
	check("train", s.Train, []int32{1, 0}, []byte{0, 24})
	check("val", s.Val, []int32{0, 1}, []byte{48, 54})
	check("test", s.Test, []int32{1, 0}, []byte{212, 218})

	// With no validation, all four kept training images train.
	all, err := FashionVariant(FashionOptions{Dir: dir, Classes: []int{5, 3}})
	if err != nil {
		t.Fatal(err)
	}
	check("train, validation 0", all.Train, []int32{1, 0, 0, 1}, []byte{0, 24, 48, 54})
	if all.Val.N != 0 {
		t.Errorf("validation 0: Val.N %d", all.Val.N)
	}
	if &all.Train.X[0] != &s.Train.X[0] {
		t.Error("the same subset with another validation size was built again; want the cached variant")
	}

	// The ten classes in order are the dataset itself; in another order a
	// relabelling.
	plain, err := FashionMNIST(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	ten, err := FashionVariant(FashionOptions{Dir: dir, Classes: []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}})
	if err != nil {
		t.Fatal(err)
	}
	if &ten.Train.X[0] != &plain.Train.X[0] {
		t.Error("classes 0 to 9 in order copied the dataset")
	}
	rev, err := FashionVariant(FashionOptions{Dir: dir, Classes: []int{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range variantLabels {
		if rev.Train.Y[i] != 9-int32(c) {
			t.Fatalf("reversed classes: labels %v, want 9 minus %v", rev.Train.Y, variantLabels)
		}
	}
	if rev.Train.Classes != 10 || !slices.Equal(rev.Train.X, plain.Train.X) {
		t.Error("reversed classes changed the images or the class count")
	}
}

func TestFashionVariantTransforms(t *testing.T) {
	dir := variantDir(t)
	plain, err := FashionMNIST(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	before := slices.Clone(plain.Train.X)
	flip, err := FashionVariant(FashionOptions{Dir: dir, Validation: 2, Transforms: []Transform{HFlip, Invert}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(plain.Train.X, before) {
		t.Fatal("the transform changed the cached decoded images")
	}
	if flip.Train.N != 8 || flip.Val.N != 2 || flip.Test.N != 4 || !equalInt32(flip.Train.Y, plain.Train.Y) {
		t.Errorf("N %d, %d, %d, Y %v; want 8, 2, 4, %v", flip.Train.N, flip.Val.N, flip.Test.N, flip.Train.Y, plain.Train.Y)
	}
	// Training image 1 has bytes 6 to 11; mirrored and inverted:
	// 255−8, 255−7, 255−6, 255−11, 255−10, 255−9.
	if got, want := rowBytes(t, flip.Train, 1), []byte{247, 248, 249, 244, 245, 246}; !slices.Equal(got, want) {
		t.Errorf("train image 1: %v, want %v", got, want)
	}
	if got, want := rowBytes(t, flip.Val, 1), []byte{255 - 56, 255 - 55, 255 - 54, 255 - 59, 255 - 58, 255 - 57}; !slices.Equal(got, want) {
		t.Errorf("val image 1: %v, want %v", got, want)
	}
	if got, want := rowBytes(t, flip.Test, 0), []byte{53, 54, 55, 50, 51, 52}; !slices.Equal(got, want) {
		t.Errorf("test image 0: %v, want %v", got, want)
	}

	// Equal effects share one copy; the identity is the decoded files.
	same, err := FashionVariant(FashionOptions{Dir: dir, Transforms: []Transform{Invert, VFlip, Rot180}})
	if err != nil {
		t.Fatal(err)
	}
	if &same.Train.X[0] != &flip.Train.X[0] {
		t.Error("[invert, vflip, rot180] was built again; want the copy of [hflip, invert]")
	}
	id, err := FashionVariant(FashionOptions{Dir: dir, Transforms: []Transform{Rot90, Rot270}})
	if err != nil {
		t.Fatal(err)
	}
	if &id.Train.X[0] != &plain.Train.X[0] {
		t.Error("[rot90, rot270] copied the dataset")
	}

	// Transforms and classes together: rot90 of the images of class 1.
	both, err := FashionVariant(FashionOptions{Dir: dir, Transforms: []Transform{Rot90}, Classes: []int{1, 9}})
	if err != nil {
		t.Fatal(err)
	}
	if !equalInt32(both.Train.Y, []int32{0, 0, 1}) || !equalInt32(both.Test.Y, []int32{1}) {
		t.Errorf("labels %v, %v; want [0 0 1], [1]", both.Train.Y, both.Test.Y)
	}
	// Image 1 (bytes 6 to 11) turned: 8 11, 7 10, 6 9.
	if got, want := rowBytes(t, both.Train, 0), []byte{8, 11, 7, 10, 6, 9}; !slices.Equal(got, want) {
		t.Errorf("train image 0: %v, want %v", got, want)
	}
}

func TestFashionVariantErrors(t *testing.T) {
	dir := variantDir(t)
	tests := []struct {
		name string
		o    FashionOptions
		want string
	}{
		{"transform", FashionOptions{Transforms: []Transform{Rot90, "rotate"}},
			`data: transforms[1] is "rotate", want one of rot90, rot180, rot270, hflip, vflip, transpose, invert`},
		{"class range", FashionOptions{Classes: []int{0, 10}}, "data: classes[1] is 10, want 0 to 9"},
		{"negative class", FashionOptions{Classes: []int{-1, 2}}, "data: classes[0] is -1, want 0 to 9"},
		{"repeated class", FashionOptions{Classes: []int{4, 2, 4}}, "data: classes[2] is 4, as is classes[0]; want each class once"},
		{"one class", FashionOptions{Classes: []int{4}}, "data: classes [4]: want at least two classes"},
		{"negative validation", FashionOptions{Validation: -1}, "data: Fashion-MNIST validation size is -1, want 0 or more"},
		{"no training images", FashionOptions{Validation: 6, Classes: []int{2, 6}},
			"data: Fashion-MNIST validation size 6 leaves no training images of classes [2 6]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.o.Dir = dir
			_, err := FashionVariant(tt.o)
			if err == nil || err.Error() != tt.want || !errors.Is(err, ErrOptions) {
				t.Errorf("err = %v, want %q (ErrOptions)", err, tt.want)
			}
		})
	}
	// Options are checked before the files are read.
	_, err := FashionVariant(FashionOptions{Dir: t.TempDir(), Classes: []int{3, 3}})
	if !errors.Is(err, ErrOptions) {
		t.Errorf("bad classes in a directory without the dataset: %v, want ErrOptions", err)
	}
	_, err = FashionVariant(FashionOptions{Dir: t.TempDir(), Transforms: []Transform{HFlip}})
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "apt-get install dataset-fashion-mnist") {
		t.Errorf("no dataset: %v, want ErrNotFound", err)
	}
}

// TestFashionVariantReal checks the variants of the installed dataset: a
// class subset has about k/10 of the images, relabelled.
func TestFashionVariantReal(t *testing.T) {
	if _, err := FashionMNIST(DefaultDir, 5000); err != nil {
		t.Skipf("Fashion-MNIST is not installed in %s (apt-get install dataset-fashion-mnist): %v", DefaultDir, err)
	}
	s, err := FashionVariant(FashionOptions{Dir: DefaultDir, Validation: 5000, Classes: []int{0, 1, 2, 3, 4}, Transforms: []Transform{Rot90}})
	if err != nil {
		t.Fatal(err)
	}
	// Fashion-MNIST has 6,000 training and 1,000 test images per class.
	if n := s.Train.N + s.Val.N; n != 30000 || s.Test.N != 5000 {
		t.Errorf("train+val %d, test %d; want 30000, 5000", n, s.Test.N)
	}
	if s.Val.N < 2200 || s.Val.N > 2800 || s.Train.Classes != 5 {
		t.Errorf("Val.N %d, Classes %d; want about 2500, 5", s.Val.N, s.Train.Classes)
	}
	for _, set := range []*Set{s.Train, s.Val, s.Test} {
		for _, y := range set.Y {
			if y < 0 || y >= 5 {
				t.Fatalf("label %d, want 0 to 4", y)
			}
		}
	}
}

func TestFashionVariantConcurrent(t *testing.T) {
	dir := variantDir(t)
	o := FashionOptions{Dir: dir, Transforms: []Transform{Rot270}, Classes: []int{1, 3}}
	var wg sync.WaitGroup
	xs := make([]*float32, 8)
	for i := range xs {
		wg.Go(func() {
			s, err := FashionVariant(o)
			if err != nil {
				t.Error(err)
				return
			}
			xs[i] = &s.Train.X[0]
		})
	}
	wg.Wait()
	for i, x := range xs {
		if x != xs[0] {
			t.Fatalf("call %d got its own copy of the variant; want one built once", i)
		}
	}
}

// BenchmarkFashionVariant builds a variant of the installed dataset (the
// cost of a trial's first use of a fine-tuning task): rot90 of five
// classes, and hflip+invert of all ten.
func BenchmarkFashionVariant(b *testing.B) {
	base, err := cachedFashion(DefaultDir)
	if err != nil {
		b.Skipf("Fashion-MNIST is not in %s", DefaultDir)
	}
	for _, bc := range []struct {
		name    string
		ts      []Transform
		classes []int
	}{
		{"rot90-5classes", []Transform{Rot90}, []int{0, 1, 2, 3, 4}},
		{"hflip-invert", []Transform{HFlip, Invert}, nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			m, err := compose(base.rows, base.cols, bc.ts)
			if err != nil {
				b.Fatal(err)
			}
			start := cputime.Process()
			for b.Loop() {
				buildVariant(base, m, bc.classes)
			}
			cputime.Report(b, start, time.Millisecond)
		})
	}
}
