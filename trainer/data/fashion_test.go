package data

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/internal/cputime"
)

// writeFile writes b to dir/name, gzipped when name ends in .gz.
func writeFile(t testing.TB, dir, name string, b []byte) {
	t.Helper()
	if strings.HasSuffix(name, ".gz") {
		var buf bytes.Buffer
		z := gzip.NewWriter(&buf)
		z.Write(b)
		z.Close()
		b = buf.Bytes()
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// tinyFashion writes a Fashion-MNIST directory of 4 training and 2 test
// images of 2×3 pixels; suffix is ".gz" or "".
func tinyFashion(t testing.TB, suffix string) string {
	t.Helper()
	dir := t.TempDir()
	train := make([]byte, 4*6)
	for i := range train {
		train[i] = byte(i * 10) // 0, 10, …, 230
	}
	writeFile(t, dir, "train-images-idx3-ubyte"+suffix, makeIDX([]int{4, 2, 3}, train))
	writeFile(t, dir, "train-labels-idx1-ubyte"+suffix, makeIDX([]int{4}, []byte{9, 0, 3, 5}))
	writeFile(t, dir, "t10k-images-idx3-ubyte"+suffix, makeIDX([]int{2, 2, 3}, bytes.Repeat([]byte{255, 0}, 6)))
	writeFile(t, dir, "t10k-labels-idx1-ubyte"+suffix, makeIDX([]int{2}, []byte{1, 2}))
	return dir
}

func TestFashionMNISTTiny(t *testing.T) {
	for _, suffix := range []string{".gz", ""} {
		t.Run("suffix="+suffix, func(t *testing.T) {
			dir := tinyFashion(t, suffix)
			s, err := FashionMNIST(dir, 1)
			if err != nil {
				t.Fatal(err)
			}
			check := func(name string, set *Set, n int, y []int32) {
				t.Helper()
				if set.N != n || set.Features != 6 || set.Classes != 10 || len(set.X) != n*6 || !equalInt32(set.Y, y) {
					t.Errorf("%s: N %d, Features %d, Classes %d, len(X) %d, Y %v; want %d, 6, 10, %d, %v",
						name, set.N, set.Features, set.Classes, len(set.X), set.Y, n, n*6, y)
				}
			}
			check("train", s.Train, 3, []int32{9, 0, 3})
			check("val", s.Val, 1, []int32{5})
			check("test", s.Test, 2, []int32{1, 2})
			if got, want := s.Train.Row(1)[2], float32(80)/255; got != want {
				t.Errorf("train pixel (1, 2) = %v, want %v", got, want)
			}
			if got, want := s.Val.Row(0)[5], float32(230)/255; got != want {
				t.Errorf("val pixel (0, 5) = %v, want %v", got, want)
			}
			if s.Test.X[0] != 1 || s.Test.X[1] != 0 {
				t.Errorf("test pixels %v, want 1, 0, …", s.Test.X[:2])
			}
			none, err := FashionMNIST(dir, 0)
			if err != nil {
				t.Fatal(err)
			}
			if none.Val.N != 0 || none.Train.N != 4 {
				t.Errorf("validation 0: Train.N %d, Val.N %d; want 4, 0", none.Train.N, none.Val.N)
			}
			if &none.Train.X[0] != &s.Train.X[0] {
				t.Error("a second call decoded the files again; want the cached pixels")
			}
		})
	}
}

func equalInt32(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFashionMNISTEnv(t *testing.T) {
	dir := tinyFashion(t, ".gz")
	t.Setenv(DirEnv, dir)
	s, err := FashionMNIST("", 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Train.N != 4 {
		t.Errorf("Train.N %d, want the 4 images of %s", s.Train.N, DirEnv)
	}
}

func TestFashionMNISTErrors(t *testing.T) {
	type edit func(t *testing.T, dir string)
	remove := func(names ...string) edit {
		return func(t *testing.T, dir string) {
			for _, n := range names {
				os.Remove(filepath.Join(dir, n))
			}
		}
	}
	replace := func(name string, b []byte) edit {
		return func(t *testing.T, dir string) { writeFile(t, dir, name, b) }
	}
	all := []string{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}
	tests := []struct {
		name       string
		edit       edit
		validation int
		want       string
		is         error
	}{
		{"no files", remove(all...), 0, "data: Fashion-MNIST is not in {dir}; install it with 'apt-get install dataset-fashion-mnist' or set GOGLOVE_DATA_DIR to a directory", ErrNotFound},
		{"one file missing", remove("t10k-labels-idx1-ubyte.gz"), 0, "Fashion-MNIST in {dir} is incomplete (no t10k-labels-idx1-ubyte.gz)", ErrNotFound},
		{"negative validation", nil, -1, "validation size is -1, want 0 or more", ErrOptions},
		{"validation too large", nil, 4, "validation size is 4, want less than the 4 training images", ErrOptions},
		{"not gzip", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "train-labels-idx1-ubyte.gz"), []byte("plain"), 0o644)
		}, 0, "{dir}/train-labels-idx1-ubyte.gz: not a gzip file", ErrFormat},
		{"label out of range", replace("train-labels-idx1-ubyte.gz", makeIDX([]int{4}, []byte{1, 2, 10, 3})), 0,
			"{dir}/train-labels-idx1-ubyte.gz: label 10 of example 2, want 0 to 9", ErrFormat},
		{"labels not 1-D", replace("t10k-labels-idx1-ubyte.gz", makeIDX([]int{2, 1}, []byte{1, 2})), 0,
			"{dir}/t10k-labels-idx1-ubyte.gz: IDX shape 2×1, want labels (one dimension)", ErrFormat},
		{"images not 3-D", replace("t10k-images-idx3-ubyte.gz", makeIDX([]int{2, 6}, make([]byte, 12))), 0,
			"{dir}/t10k-images-idx3-ubyte.gz: IDX shape 2×6, want images (count×rows×columns)", ErrFormat},
		{"label count", replace("train-labels-idx1-ubyte.gz", makeIDX([]int{3}, []byte{1, 2, 3})), 0,
			"{dir}/train-labels-idx1-ubyte.gz: 3 labels for the 4 images of train-images-idx3-ubyte.gz", ErrFormat},
		{"image size", replace("t10k-images-idx3-ubyte.gz", makeIDX([]int{2, 3, 3}, make([]byte, 18))), 0,
			"{dir}/t10k-images-idx3-ubyte.gz: images of 3×3 pixels, the training images have 2×3", ErrFormat},
		{"truncated", replace("train-images-idx3-ubyte.gz", makeIDX([]int{4, 2, 3}, make([]byte, 20))), 0,
			"{dir}/train-images-idx3-ubyte.gz: truncated: the IDX header declares 4×2×3 = 24 data bytes, the file has 20", ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tinyFashion(t, ".gz")
			if tt.edit != nil {
				tt.edit(t, dir)
			}
			_, err := FashionMNIST(dir, tt.validation)
			if err == nil {
				t.Fatal("FashionMNIST succeeded, want an error")
			}
			want := strings.ReplaceAll(tt.want, "{dir}", dir)
			if !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "data: ") || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want one line starting with \"data: \" and containing %q", err, want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("error %q does not wrap %v", err, tt.is)
			}
		})
	}
}

// TestFashionMNISTRetry checks that a failed load is not cached: the files
// installed after a failure are found.
func TestFashionMNISTRetry(t *testing.T) {
	dir := t.TempDir()
	if _, err := FashionMNIST(dir, 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("empty directory: error %v, want ErrNotFound", err)
	}
	src := tinyFashion(t, "")
	for _, n := range []string{fashionTrainImages, fashionTrainLabels, fashionTestImages, fashionTestLabels} {
		b, _ := os.ReadFile(filepath.Join(src, n))
		writeFile(t, dir, n, b)
	}
	if _, err := FashionMNIST(dir, 0); err != nil {
		t.Fatalf("after installing the files: %v", err)
	}
}

// TestFashionMNISTConcurrent checks that concurrent first calls share one
// decoding (run it with -race).
func TestFashionMNISTConcurrent(t *testing.T) {
	dir := tinyFashion(t, ".gz")
	var wg sync.WaitGroup
	got := make([]*Splits, 8)
	for i := range got {
		wg.Go(func() {
			s, err := FashionMNIST(dir, i%3)
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = s
		})
	}
	wg.Wait()
	for _, s := range got {
		if s != nil && &s.Test.X[0] != &got[0].Test.X[0] {
			t.Fatal("concurrent calls decoded the files more than once")
		}
	}
}

// TestFashionMNISTReal checks the files of the Debian package.
func TestFashionMNISTReal(t *testing.T) {
	if _, err := os.Stat(filepath.Join(DefaultDir, fashionTrainImages+".gz")); err != nil {
		t.Skipf("Fashion-MNIST is not installed in %s (apt-get install dataset-fashion-mnist): %v", DefaultDir, err)
	}
	s, err := FashionMNIST(DefaultDir, 5000)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		set  *Set
		n    int
	}{{"train", s.Train, 55000}, {"val", s.Val, 5000}, {"test", s.Test, 10000}} {
		if c.set.N != c.n || c.set.Features != 784 || c.set.Classes != 10 {
			t.Errorf("%s: N %d, Features %d, Classes %d; want %d, 784, 10", c.name, c.set.N, c.set.Features, c.set.Classes, c.n)
		}
		counts := make([]int, 10)
		for _, y := range c.set.Y {
			counts[y]++
		}
		for k, n := range counts {
			// Every class has a tenth of the images, about that in the
			// validation split and exactly that in the test set.
			if lo, hi := c.n/10-c.n/50, c.n/10+c.n/50; n < lo || n > hi {
				t.Errorf("%s: class %d has %d images, want %d to %d", c.name, k, n, lo, hi)
			}
		}
		lo, hi := float32(1), float32(0)
		for _, v := range c.set.X {
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo != 0 || hi != 1 {
			t.Errorf("%s: pixels in [%v, %v], want [0, 1]", c.name, lo, hi)
		}
	}
	if s.Test.Y[0] != 9 || s.Train.Y[0] != 9 {
		t.Errorf("first labels: train %d, test %d; want 9 (ankle boot) for both", s.Train.Y[0], s.Test.Y[0])
	}
}

// BenchmarkFashionMNISTLoad measures decoding the four files (without the
// cache) of GOGLOVE_DATA_DIR or DefaultDir, in wall time and in the
// process's CPU time (on two cores the decoding runs on both, so the wall
// time of a quiet machine is well below the CPU time).
func BenchmarkFashionMNISTLoad(b *testing.B) {
	dir := resolveDir("")
	if findFile(dir, fashionTrainImages) == "" {
		b.Skipf("Fashion-MNIST is not in %s", dir)
	}
	cpu := cputime.Process()
	for b.Loop() {
		if _, err := loadFashion(dir); err != nil {
			b.Fatal(err)
		}
	}
	cputime.Report(b, cpu, time.Millisecond)
}

// BenchmarkFashionMNISTCached measures a call after the first: the cost a
// trial pays.
func BenchmarkFashionMNISTCached(b *testing.B) {
	dir := tinyFashion(b, ".gz")
	for b.Loop() {
		if _, err := FashionMNIST(dir, 1); err != nil {
			b.Fatal(err)
		}
	}
}
