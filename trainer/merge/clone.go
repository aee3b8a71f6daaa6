package merge

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// Clone returns a network of the same layers as net with copies of its
// parameter values (and frozen flags, and the codes of quantized layers
// loaded for inference), sharing nothing with it: the network a merge
// writes its result into. It knows the layers SpecOf
// knows; another layer is an error wrapping ErrUnsupported.
func Clone(net *nn.Sequential) (*nn.Sequential, error) {
	if net == nil {
		return nil, fmt.Errorf("%w: nil network", ErrUnsupported)
	}
	out, err := cloneSeq(net, "")
	if err != nil {
		return nil, err
	}
	src, dst := net.Params(), out.Params()
	for i, p := range src {
		copy(dst[i].Value.Data, p.Value.Data)
		dst[i].Frozen = p.Frozen
	}
	qs, qd := quantLayers(net), quantLayers(out)
	for name, q := range qs {
		if codes, scales, ok := fixedCodes(q); ok {
			if err := qd[name].SetCodes(codes, scales); err != nil {
				panic(fmt.Sprintf("merge: Clone: the codes of %s refused: %v", name, err))
			}
		}
	}
	return out, nil
}

func cloneSeq(seq *nn.Sequential, prefix string) (*nn.Sequential, error) {
	layers := make([]nn.Layer, len(seq.Layers))
	rng := nn.NewRand(0, 0) // the values are overwritten
	for i, l := range seq.Layers {
		key := fmt.Sprintf("%slayers[%d]", prefix, i)
		switch l := l.(type) {
		case *nn.Dense:
			if len(l.Params()) == 2 {
				layers[i] = nn.NewDense(l.In, l.Out, nn.GlorotUniform, rng)
			} else {
				layers[i] = nn.NewDenseNoBias(l.In, l.Out, nn.GlorotUniform, rng)
			}
		case *nn.QuantDense:
			layers[i] = nn.NewQuantDense(l.In, l.Out, l.HasBias(), nn.GlorotUniform, rng, l.Config)
		case *nn.LayerNorm:
			var gain, bias bool
			for _, p := range l.Params() {
				gain = gain || p.Name == "gain"
				bias = bias || p.Name == "bias"
			}
			ln := nn.NewLayerNormAffine(l.Features, l.Eps, gain, bias)
			copy(ln.Gain.Value.Data, l.Gain.Value.Data) // a fixed gain too
			copy(ln.Bias.Value.Data, l.Bias.Value.Data)
			layers[i] = ln
		case *nn.ReLU:
			layers[i] = new(nn.ReLU)
		case *nn.GELU:
			layers[i] = new(nn.GELU)
		case *nn.Tanh:
			layers[i] = new(nn.Tanh)
		case nn.Identity, *nn.Identity:
			layers[i] = nn.Identity{}
		case *nn.Dropout:
			layers[i] = nn.NewDropout(l.P, nn.NewRand(0, uint64(i)))
		case *nn.Residual:
			body, err := cloneSeq(l.Body, key+".body.")
			if err != nil {
				return nil, err
			}
			layers[i] = nn.NewResidual(body)
		default:
			return nil, fmt.Errorf("%w: %s: %T cannot be cloned", ErrUnsupported, key, l)
		}
	}
	return nn.NewSequential(layers...), nil
}
