package data

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// DefaultDir is where the Debian package dataset-fashion-mnist installs
// the Fashion-MNIST files.
const DefaultDir = "/usr/share/datasets/fashion-mnist"

// DirEnv names the environment variable that overrides DefaultDir.
const DirEnv = "GOGLOVE_DATA_DIR"

// The Fashion-MNIST files, each read as NAME.gz or, failing that, NAME.
const (
	fashionTrainImages = "train-images-idx3-ubyte"
	fashionTrainLabels = "train-labels-idx1-ubyte"
	fashionTestImages  = "t10k-images-idx3-ubyte"
	fashionTestLabels  = "t10k-labels-idx1-ubyte"
	fashionClasses     = 10
)

// FashionMNIST returns the Fashion-MNIST dataset (Xiao et al. 2017): 28×28
// grey-scale images of 10 kinds of clothing, as Sets of 784 features with
// pixels scaled to [0, 1]. Test is the 10,000 test images. The validation
// set is the last validation images of the 60,000 training images (the
// files' order, which is already shuffled, so each class has about a
// tenth of them) and Train the others; validation 0 gives an empty Val.
//
// dir is the directory of the four IDX files (train-images-idx3-ubyte,
// train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,
// each gzipped with the suffix .gz or not). If dir is "", the directory
// named by the environment variable GOGLOVE_DATA_DIR is used, or else
// DefaultDir. Missing files give an error wrapping ErrNotFound that says
// how to install them; invalid files an error wrapping ErrFormat that
// names the file.
//
// The files of a directory are decoded once per process (about 220 MB of
// float32 kept for the life of the process) and every call shares them:
// the returned Sets must not be modified. FashionMNIST is safe for
// concurrent use; concurrent first calls for one directory decode it once.
//
// FashionVariant gives the dataset with its images transformed or a subset
// of its classes.
func FashionMNIST(dir string, validation int) (*Splits, error) {
	return FashionVariant(FashionOptions{Dir: dir, Validation: validation})
}

// resolveDir returns the directory FashionMNIST reads for dir.
func resolveDir(dir string) string {
	if dir == "" {
		dir = os.Getenv(DirEnv)
	}
	if dir == "" {
		dir = DefaultDir
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return filepath.Clean(dir)
}

// fashionCache holds the decoded files per directory. An entry that failed
// to load is removed, so that a later call tries again (after the package
// was installed, say).
var fashionCache struct {
	mu sync.Mutex
	m  map[string]*fashionEntry
}

type fashionEntry struct {
	once sync.Once
	base fashionBase
	err  error
}

// fashionBase is the decoded files of a directory: rows×cols images.
type fashionBase struct {
	train, test *Set
	rows, cols  int
}

// cachedFashion returns the decoded training and test sets of dir, loading
// them on first use.
func cachedFashion(dir string) (fashionBase, error) {
	fashionCache.mu.Lock()
	if fashionCache.m == nil {
		fashionCache.m = make(map[string]*fashionEntry)
	}
	e := fashionCache.m[dir]
	if e == nil {
		e = &fashionEntry{}
		fashionCache.m[dir] = e
	}
	fashionCache.mu.Unlock()
	e.once.Do(func() { e.base, e.err = loadFashion(dir) })
	if e.err != nil {
		fashionCache.mu.Lock()
		if fashionCache.m[dir] == e {
			delete(fashionCache.m, dir)
		}
		fashionCache.mu.Unlock()
	}
	return e.base, e.err
}

// loadFashion decodes the four files of dir, each on its own goroutine,
// without caching.
func loadFashion(dir string) (fashionBase, error) {
	names := []string{fashionTrainImages, fashionTrainLabels, fashionTestImages, fashionTestLabels}
	paths := make([]string, len(names))
	var missing []string
	for i, n := range names {
		paths[i] = findFile(dir, n)
		if paths[i] == "" {
			missing = append(missing, n+".gz")
		}
	}
	if len(missing) > 0 {
		what := "Fashion-MNIST is not in " + dir
		if len(missing) < len(names) {
			what = "Fashion-MNIST in " + dir + " is incomplete (no " + strings.Join(missing, ", ") + ")"
		}
		return fashionBase{}, &wrapped{err: ErrNotFound, msg: "data: " + what +
			"; install it with 'apt-get install dataset-fashion-mnist' or set " + DirEnv + " to a directory holding its four IDX files"}
	}
	var (
		wg      sync.WaitGroup
		images  [2]*Set
		shapes  [2][2]int
		labels  [2][]int32
		errs    [4]error
		imgPath = [2]string{paths[0], paths[2]}
		lblPath = [2]string{paths[1], paths[3]}
	)
	for i := range 2 {
		wg.Go(func() { images[i], shapes[i], errs[2*i] = readImages(imgPath[i]) })
		wg.Go(func() { labels[i], errs[2*i+1] = readLabels(lblPath[i], fashionClasses) })
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return fashionBase{}, err
	}
	for i := range 2 {
		if images[i].N != len(labels[i]) {
			return fashionBase{}, formatErrorf(lblPath[i], "%d labels for the %d images of %s", len(labels[i]), images[i].N, filepath.Base(imgPath[i]))
		}
		images[i].Y = labels[i]
		images[i].Classes = fashionClasses
	}
	if shapes[0] != shapes[1] {
		return fashionBase{}, formatErrorf(imgPath[1], "images of %d×%d pixels, the training images have %d×%d", shapes[1][0], shapes[1][1], shapes[0][0], shapes[0][1])
	}
	return fashionBase{train: images[0], test: images[1], rows: shapes[0][0], cols: shapes[0][1]}, nil
}

// findFile returns the path of name.gz or name in dir, or "" when neither
// exists.
func findFile(dir, name string) string {
	for _, n := range []string{name + ".gz", name} {
		p := filepath.Join(dir, n)
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			return p // a file, or one whose error opening will report
		}
	}
	return ""
}

// openIDX opens the IDX file at path, gunzipping it when its name ends in
// .gz, and reads its header. The caller closes the returned closer.
func openIDX(path string) (*idxReader, io.Closer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("data: %w", err)
	}
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		z, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, nil, formatErrorf(path, "not a gzip file: %v", err)
		}
		r = z
	}
	d, err := newIDXReader(r, path)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return d, f, nil
}

// pixelScale maps a byte to a float32 in [0, 1].
var pixelScale = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(i) / 255
	}
	return t
}()

// readImages reads an IDX file of N×rows×cols bytes into a Set without
// labels, and returns the shape rows, cols of its images.
func readImages(path string) (*Set, [2]int, error) {
	d, c, err := openIDX(path)
	if err != nil {
		return nil, [2]int{}, err
	}
	defer c.Close()
	if len(d.dims) != 3 || d.dims[1] == 0 || d.dims[2] == 0 {
		return nil, [2]int{}, formatErrorf(path, "IDX shape %s, want images (count×rows×columns)", d.shape())
	}
	x := make([]float32, d.count)
	off := 0
	err = d.body(func(chunk []byte) {
		dst := x[off : off+len(chunk)]
		for j, b := range chunk {
			dst[j] = pixelScale[b]
		}
		off += len(chunk)
	})
	if err != nil {
		return nil, [2]int{}, err
	}
	return &Set{X: x, N: d.dims[0], Features: d.dims[1] * d.dims[2]}, [2]int{d.dims[1], d.dims[2]}, nil
}

// readLabels reads an IDX file of N bytes, each a label below classes.
func readLabels(path string, classes int) ([]int32, error) {
	d, c, err := openIDX(path)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if len(d.dims) != 1 {
		return nil, formatErrorf(path, "IDX shape %s, want labels (one dimension)", d.shape())
	}
	y := make([]int32, d.count)
	off, bad := 0, -1
	err = d.body(func(chunk []byte) {
		for j, b := range chunk {
			if int(b) >= classes && bad < 0 {
				bad = off + j
			}
			y[off+j] = int32(b)
		}
		off += len(chunk)
	})
	if err != nil {
		return nil, err
	}
	if bad >= 0 {
		return nil, formatErrorf(path, "label %d of example %d, want 0 to %d", y[bad], bad, classes-1)
	}
	return y, nil
}
