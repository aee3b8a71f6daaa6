package trainer

import (
	"fmt"
	"slices"

	"github.com/c2602f9e/goglove/trainer/data"
)

// Dataset is the data of a Classifier. Implementations are registered
// program types; Load may be called by many trials at once and should
// return cached, shared Splits (which callers must not modify).
type Dataset interface {
	Load() (*data.Splits, error)
}

// FashionMNIST is the Fashion-MNIST dataset of the Debian package
// dataset-fashion-mnist, read from $GOGLOVE_DATA_DIR or
// /usr/share/datasets/fashion-mnist (see data.FashionMNIST), optionally
// as a fine-tuning task (see data.FashionVariant):
//
//	data: {_type: trainer.FashionMNIST, transform: [rot90], classes: [5, 6, 7, 8, 9]}
//
// Transform is a list of transforms applied in order to every image
// (training, validation and test): rot90, rot180, rot270 (rotations,
// counter-clockwise as numpy.rot90), hflip, vflip, transpose and invert
// (byte x becomes 255−x). Classes keeps only the images of these classes
// and relabels them 0 to k−1 in the order given, so the model has k
// outputs (a new head); the validation images are those of the classes
// among the last Validation training images. Standardize maps every pixel
// v, after scaling to [0, 1] and the transforms, to (v − 0.2860) / 0.3530
// (data.FashionMean and data.FashionStd, the mean and deviation of the
// training pixels), in the training, validation and test images alike;
// it is off by default, which leaves the pixels in [0, 1] as before:
//
//	data: {_type: trainer.FashionMNIST, validation: 0, standardize: true}
//
// Each variant is made once per process and shared by the trials, as the
// dataset is.
type FashionMNIST struct {
	Validation int      `min:"0" max:"59999" default:"5000" doc:"training images held out for validation (the last ones, before the class subset); 0 trains on all 60000"`
	Transform  []string `enum:"rot90,rot180,rot270,hflip,vflip,transpose,invert" doc:"image transforms applied in order; empty keeps the images"`
	Classes    []int    `min:"0" max:"9" doc:"the classes kept, relabelled 0 to k-1 in this order (at least two, each once); empty keeps all ten"`
	// Standardize is a field of its own rather than a transform: the
	// transforms are exact moves of byte values, this is arithmetic.
	Standardize bool `doc:"map every pixel v in [0, 1] (after the transforms) to (v - 0.2860) / 0.3530, the training pixels' mean and deviation; false keeps [0, 1]"`
}

// OnBound rejects a class list with repeats or a single class (the schema
// checks the range of each class and the transform names).
func (f FashionMNIST) OnBound() error {
	if len(f.Classes) == 1 {
		return fmt.Errorf("classes: want at least two classes, got %v", f.Classes)
	}
	for i, c := range f.Classes {
		if j := slices.Index(f.Classes[:i], c); j >= 0 {
			return fmt.Errorf("classes[%d]: class %d is also classes[%d]; want each class once", i, c, j)
		}
	}
	return nil
}

// Load returns the splits; the files are decoded once per process, and
// each variant made once from them.
func (f FashionMNIST) Load() (*data.Splits, error) {
	ts := make([]data.Transform, len(f.Transform))
	for i, t := range f.Transform {
		ts[i] = data.Transform(t)
	}
	return data.FashionVariant(data.FashionOptions{Validation: f.Validation, Transforms: ts, Classes: f.Classes, Standardize: f.Standardize})
}

// Synthetic is the deterministic synthetic dataset of data.Synthetic: a
// mixture of clusters per class bent through a fixed random map, so that
// an MLP learns it well and a linear model does not.
type Synthetic struct {
	Train      int     `min:"1" max:"1000000" default:"10000" doc:"training examples"`
	Validation int     `min:"0" max:"1000000" default:"2000" doc:"validation examples; 0 means none"`
	Test       int     `min:"1" max:"1000000" default:"2000" doc:"test examples"`
	Features   int     `min:"1" max:"65536" default:"64" doc:"features per example"`
	Classes    int     `min:"2" max:"65536" default:"10" doc:"number of classes"`
	Clusters   int     `min:"1" max:"1024" default:"4" doc:"Gaussian clusters per class"`
	Noise      float64 `min:"1e-9" max:"100" default:"0.35" doc:"spread of examples around their cluster centre"`
	Seed       int64   `min:"0" doc:"selects the dataset"`
}

// Load returns the splits, generated once per process and options.
func (s Synthetic) Load() (*data.Splits, error) {
	val := s.Validation
	if val == 0 {
		val = -1 // data.Synthetic: negative means no validation set
	}
	return data.Synthetic(data.SyntheticOptions{
		Train: s.Train, Val: val, Test: s.Test,
		Features: s.Features, Classes: s.Classes, Clusters: s.Clusters,
		Noise: s.Noise, Seed: uint64(s.Seed),
	})
}
