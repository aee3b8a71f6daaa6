package trainer

import "github.com/c2602f9e/goglove/trainer/data"

// Dataset is the data of a Classifier. Implementations are registered
// program types; Load may be called by many trials at once and should
// return cached, shared Splits (which callers must not modify).
type Dataset interface {
	Load() (*data.Splits, error)
}

// FashionMNIST is the Fashion-MNIST dataset of the Debian package
// dataset-fashion-mnist, read from $GOGLOVE_DATA_DIR or
// /usr/share/datasets/fashion-mnist (see data.FashionMNIST).
type FashionMNIST struct {
	Validation int `min:"0" max:"59999" default:"5000" doc:"training images held out for validation (the last ones); 0 trains on all 60000"`
}

// Load returns the splits, decoded once per process.
func (f FashionMNIST) Load() (*data.Splits, error) { return data.FashionMNIST("", f.Validation) }

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
