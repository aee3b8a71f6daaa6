package nn

// Storage is how many bits a layer's parameters take as stored.
type Storage struct {
	// Weights is the number of weights (parameters of RoleWeight).
	Weights int64
	// WeightBits is the bits the weights take, their scales included.
	WeightBits int64
	// OtherBits is the bits of every other parameter (biases, gains).
	OtherBits int64
}

// Bits returns the total, WeightBits + OtherBits.
func (s Storage) Bits() int64 { return s.WeightBits + s.OtherBits }

// Add returns the sum of s and t.
func (s Storage) Add(t Storage) Storage {
	return Storage{Weights: s.Weights + t.Weights, WeightBits: s.WeightBits + t.WeightBits, OtherBits: s.OtherBits + t.OtherBits}
}

// Sizer is a layer that stores its parameters in a format of its own
// (QuantDense); StorageOf asks it rather than counting 32 bits a value.
type Sizer interface {
	Storage() Storage
}

// StorageOf returns the stored size of l's parameters: a Sizer's own
// Storage; the sum over the layers of a Sequential and the body of a
// Residual; 32 bits a value for the parameters of any other layer,
// those of RoleWeight counted as weights.
func StorageOf(l Layer) Storage {
	switch x := l.(type) {
	case Sizer:
		return x.Storage()
	case *Sequential:
		var s Storage
		for _, c := range x.Layers {
			s = s.Add(StorageOf(c))
		}
		return s
	case *Residual:
		return StorageOf(x.Body)
	}
	var s Storage
	for _, p := range l.Params() {
		n := int64(p.Value.Len())
		if p.Role == RoleWeight {
			s.Weights += n
			s.WeightBits += 32 * n
		} else {
			s.OtherBits += 32 * n
		}
	}
	return s
}

// QuantLayers returns the QuantDense layers of l in layer order, looking
// into Sequentials and Residual bodies.
func QuantLayers(l Layer) []*QuantDense {
	var out []*QuantDense
	var walk func(Layer)
	walk = func(l Layer) {
		switch x := l.(type) {
		case *QuantDense:
			out = append(out, x)
		case *Sequential:
			for _, c := range x.Layers {
				walk(c)
			}
		case *Residual:
			walk(x.Body)
		}
	}
	walk(l)
	return out
}
