package data

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// FashionOptions selects a variant of Fashion-MNIST for FashionVariant:
// the tasks of fine-tuning and of models trained on disjoint tasks.
type FashionOptions struct {
	// Dir and Validation are the arguments of FashionMNIST. Validation
	// counts images of the full training set (see Classes).
	Dir        string
	Validation int
	// Transforms are applied in order to every image (training,
	// validation and test). An empty list leaves the images as they are.
	Transforms []Transform
	// Classes, when not empty, keeps only the images of these classes (a
	// subset of 0 to 9 without repeats, at least two) and relabels them
	// 0 to len(Classes)−1 in the order given: class Classes[i] becomes
	// label i, and the Sets have len(Classes) classes, the outputs a new
	// classification head needs. Empty keeps all ten with their labels.
	Classes []int
	// Standardize maps every pixel v (in [0, 1], after the transforms) to
	// (v − FashionMean) / FashionStd in float32 arithmetic, in the
	// training, validation and test images alike, so that the training
	// pixels have about mean 0 and deviation 1. The constants are fixed,
	// whatever the transforms or classes. False leaves the pixels in
	// [0, 1].
	Standardize bool
}

// FashionMean and FashionStd are the mean and standard deviation of the
// pixels of the 60,000 Fashion-MNIST training images scaled to [0, 1], to
// four digits: the constants of FashionOptions.Standardize.
const (
	FashionMean = 0.2860
	FashionStd  = 0.3530
)

// FashionVariant returns Fashion-MNIST (as FashionMNIST does) with the
// images transformed and the classes chosen by o.
//
// The validation split is taken before the class subset: Val holds the
// images of the kept classes among the last o.Validation training images,
// about o.Validation·len(Classes)/10 of them, so that the held-out images
// are the same physical images for every subset and transform, and no task
// trains on another task's validation images.
//
// Every variant is built from the decoded files FashionMNIST caches (which
// it does not modify); the 4 variants used last are kept, so that the
// trials of a search share one copy. Equal variants share a copy whatever
// transforms give them ([rot90, rot270] is the original images, [transpose,
// vflip] the same as [rot90]); a standardized variant is a variant of its
// own. Invalid options give an error
// wrapping ErrOptions that names the option.
func FashionVariant(o FashionOptions) (*Splits, error) {
	if o.Validation < 0 {
		return nil, optionsErrorf("Fashion-MNIST validation size is %d, want 0 or more", o.Validation)
	}
	classes, err := checkClasses(o.Classes, fashionClasses)
	if err != nil {
		return nil, err
	}
	for i, t := range o.Transforms {
		if _, _, _, ok := t.source(1, 1); !ok && t != Invert {
			return nil, optionsErrorf("transforms[%d] is %q, want one of %s", i, string(t), transformNames())
		}
	}
	dir := resolveDir(o.Dir)
	base, err := cachedFashion(dir)
	if err != nil {
		return nil, err
	}
	if o.Validation >= base.train.N {
		return nil, optionsErrorf("Fashion-MNIST validation size is %d, want less than the %d training images", o.Validation, base.train.N)
	}
	m, err := compose(base.rows, base.cols, o.Transforms)
	if err != nil {
		return nil, err
	}
	v := &fashionVariant{train: base.train, test: base.test}
	if !m.identity() || classes != nil || o.Standardize {
		key := variantKey{dir: dir, transform: m.canonical(base.rows, base.cols), classes: classesKey(classes), standardize: o.Standardize}
		e := variantCache.entry(key)
		e.once.Do(func() {
			e.v = buildVariant(base, m, classes)
			if o.Standardize {
				standardize(e.v.train.X)
				standardize(e.v.test.X)
			}
		})
		v = e.v
	}
	first := base.train.N - o.Validation // the first validation image
	cut := first
	if v.trainOrig != nil {
		cut = sort.Search(len(v.trainOrig), func(i int) bool { return int(v.trainOrig[i]) >= first })
	}
	if cut == 0 {
		return nil, optionsErrorf("Fashion-MNIST validation size %d leaves no training images of classes %v", o.Validation, classes)
	}
	return &Splits{Train: v.train.slice(0, cut), Val: v.train.slice(cut, v.train.N), Test: v.test}, nil
}

// checkClasses validates a class subset of n classes and returns it, or
// nil when it keeps every class with its label (empty, or 0 to n−1 in
// order).
func checkClasses(classes []int, n int) ([]int, error) {
	if len(classes) == 0 {
		return nil, nil
	}
	if len(classes) == 1 {
		return nil, optionsErrorf("classes %v: want at least two classes", classes)
	}
	seen := make([]int, n) // 1 + the index of each class given
	inOrder := len(classes) == n
	for i, c := range classes {
		if c < 0 || c >= n {
			return nil, optionsErrorf("classes[%d] is %d, want 0 to %d", i, c, n-1)
		}
		if seen[c] != 0 {
			return nil, optionsErrorf("classes[%d] is %d, as is classes[%d]; want each class once", i, c, seen[c]-1)
		}
		seen[c] = i + 1
		inOrder = inOrder && c == i
	}
	if inOrder {
		return nil, nil
	}
	return classes, nil
}

func classesKey(classes []int) string {
	var b strings.Builder
	for i, c := range classes {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(c))
	}
	return b.String()
}

// variantKey identifies a variant: the directory, the canonical name of
// its transforms' effect, its classes and whether it is standardized.
type variantKey struct {
	dir, transform, classes string
	standardize             bool
}

// variantCacheSize is the number of variants kept (each up to the 220 MB
// of the full dataset).
const variantCacheSize = 4

var variantCache = lru[variantKey, variantEntry]{size: variantCacheSize}

type variantEntry struct {
	once sync.Once
	v    *fashionVariant
}

// fashionVariant is the training and test sets of a variant, before the
// validation split. trainOrig, when not nil, holds the index in the full
// training set of each training image kept (ascending).
type fashionVariant struct {
	train, test *Set
	trainOrig   []int32
}

// buildVariant makes the variant of base with the transforms m and the
// class subset classes (nil: all).
func buildVariant(base fashionBase, m pixelMap, classes []int) *fashionVariant {
	train, orig := derive(base.train, m, classes)
	test, _ := derive(base.test, m, classes)
	return &fashionVariant{train: train, test: test, trainOrig: orig}
}

// standardize maps every value v of x to (v − FashionMean) / FashionStd,
// in float32 arithmetic, in place.
func standardize(x []float32) {
	const mean, std float32 = FashionMean, FashionStd
	for i, v := range x {
		x[i] = (v - mean) / std
	}
}

// derive returns the examples of s of the classes given (nil: all),
// relabelled by their position in classes, with images transformed by m,
// and the indexes in s of the examples kept (nil when all are).
func derive(s *Set, m pixelMap, classes []int) (*Set, []int32) {
	var rows []int32
	y, k := s.Y, s.Classes
	if classes != nil {
		label := make([]int32, s.Classes)
		for i := range label {
			label[i] = -1
		}
		for i, c := range classes {
			label[c] = int32(i)
		}
		y = nil
		for i, c := range s.Y {
			if l := label[c]; l >= 0 {
				rows = append(rows, int32(i))
				y = append(y, l)
			}
		}
		y, k = slices.Clip(y), len(classes)
	}
	return &Set{X: m.gather(s, rows), Y: y, N: len(y), Features: s.Features, Classes: k}, rows
}
