package data

// Set is a classification dataset held in memory: N examples of Features
// float32 values each, with labels in [0, Classes).
//
// The Sets returned by this package are shared between callers (see the
// package documentation) and must not be modified. A Set is safe for
// concurrent use by readers.
type Set struct {
	// X holds the examples as an N×Features row-major matrix: example i is
	// X[i*Features : (i+1)*Features]. Image pixels are scaled to [0, 1]
	// (or standardized, see FashionOptions.Standardize).
	X []float32
	// Y holds the N labels, each in [0, Classes).
	Y []int32
	// N is the number of examples, Features the length of one example and
	// Classes the number of labels.
	N, Features, Classes int
}

// Splits are the three parts of a dataset: the training set, the
// validation set held out of the training data for model selection, and
// the test set. Val.N is 0 (Val is not nil) when no validation examples
// were asked for.
type Splits struct {
	Train, Val, Test *Set
}

// Row returns example i, a slice of X that must not be modified.
func (s *Set) Row(i int) []float32 {
	return s.X[i*s.Features : (i+1)*s.Features : (i+1)*s.Features]
}

// Gather copies the examples idx (indexes into s) into a mini-batch: row r
// of x (length at least len(idx)·Features) receives example idx[r], and
// y[r] (length at least len(idx)) its label. A nil y skips the labels.
// Short buffers or an index out of [0, N) are programmer errors and panic.
func (s *Set) Gather(x []float32, y []int32, idx []int) {
	f := s.Features
	x = x[:len(idx)*f]
	for r, i := range idx {
		copy(x[r*f:(r+1)*f], s.X[i*f:(i+1)*f])
	}
	if y != nil {
		y = y[:len(idx)]
		for r, i := range idx {
			y[r] = s.Y[i]
		}
	}
}

// slice returns the examples [lo, hi) of s as a Set sharing its memory.
func (s *Set) slice(lo, hi int) *Set {
	f := s.Features
	return &Set{
		X:        s.X[lo*f : hi*f : hi*f],
		Y:        s.Y[lo:hi:hi],
		N:        hi - lo,
		Features: f,
		Classes:  s.Classes,
	}
}
