package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/trainer/internal/kernels"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// QuantConfig says how a QuantDense quantizes.
type QuantConfig struct {
	// Format is the weights' format.
	Format WeightFormat
	// Norm normalizes each input row to zero mean and unit variance (a
	// LayerNorm without gain or bias, eps DefaultLayerNormEps) before the
	// activations are quantized.
	Norm bool
}

// QuantDense is a fully connected layer trained with quantization in the
// loop: Y = X̂·Ŵ + b. Its parameters are those of an nn.Dense, "w"
// (RoleWeight: the fp32 shadow weights, in×out) and "b" (RoleBias,
// unless built without a bias), and it is initialized with the same
// draws, so that it differs from an nn.Dense only in what Forward
// computes with.
//
// Forward quantizes the shadow weights W to Ŵ in Config.Format (see
// QuantizeWeights and Dequantize) once per call, normalizes each input
// row if Config.Norm, and fake-quantizes it to 8 bits by its absmax
// (QuantizeActivationRow): X̂ = q·(s/127). Backward is the
// straight-through estimator: the gradient of W is X̂ᵀ·dY, as if Ŵ were
// W, and dX̂ = dY·Ŵᵀ passes unchanged through the rounding of the
// activations, then through the normalization's own backward pass.
//
// A layer given its codes by SetCodes (a model loaded for inference)
// computes with them and no longer quantizes W.
type QuantDense struct {
	In, Out int
	W, B    Param
	Config  QuantConfig

	codes   []int8    // the codes of the last quantization, in×out
	scales  []float32 // their scales
	wq      []float32 // Ŵ, in×out
	scratch []uint32  // the median's work space
	fixed   bool      // codes set by SetCodes: W is not quantized

	xn   tensor.Buffer // the normalized input (Norm), for Backward
	rstd []float32     // 1/√(σ²+eps) per row (Norm)
	xq   tensor.Buffer // X̂
	y    tensor.Buffer
	dx   tensor.Buffer
	rows int // rows of the last Forward, -1 before any
	ps   []*Param

	noBias bool
}

var (
	_ Layer = (*QuantDense)(nil)
	_ Sizer = (*QuantDense)(nil)
)

// NewQuantDense returns an in→out quantized dense layer with weights
// drawn by init from rng (the draws of NewDense) and biases as NewDense's; without
// bias its only parameter is "w". It panics if in or out is not positive
// or the format is invalid.
func NewQuantDense(in, out int, bias bool, init Init, rng *rand.Rand, c QuantConfig) *QuantDense {
	if !c.Format.valid() {
		panic(fmt.Sprintf("nn: NewQuantDense: invalid weight format %v", c.Format))
	}
	d := newDense(in, out, bias, init, rng)
	q := &QuantDense{In: in, Out: out, W: d.W, B: d.B, Config: c, noBias: !bias, rows: -1,
		codes: make([]int8, in*out), scales: make([]float32, ScaleCount(c.Format, out)), wq: make([]float32, in*out)}
	q.xn.Cols, q.xq.Cols, q.y.Cols, q.dx.Cols = in, in, out, in
	q.ps = []*Param{&q.W, &q.B}
	if !bias {
		q.ps = q.ps[:1]
	}
	return q
}

// quantize sets the codes, scales and Ŵ from W, unless they are fixed.
func (d *QuantDense) quantize() {
	if d.fixed {
		return
	}
	if d.Config.Format == TernaryAbsMedian && len(d.scratch) < len(d.W.Value.Data) {
		d.scratch = make([]uint32, len(d.W.Value.Data))
	}
	QuantizeWeights(d.Config.Format, d.codes, d.scales, d.W.Value.Data, d.In, d.Out, d.scratch)
	Dequantize(d.Config.Format, d.wq, d.codes, d.scales, d.In, d.Out)
}

// Forward computes X̂·Ŵ + b.
func (d *QuantDense) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	tensor.MustCols("QuantDense.Forward", x, d.In)
	rows, n := x.Shape[0], d.In
	d.quantize()
	xq := d.xq.Rows(rows)
	if d.Config.Norm {
		xn := d.xn.Rows(rows)
		if cap(d.rstd) < rows {
			d.rstd = make([]float32, rows)
		}
		d.rstd = d.rstd[:rows]
		for i := 0; i < rows; i++ {
			d.rstd[i] = NormalizeRow(xn.Data[i*n:i*n+n], x.Data[i*n:i*n+n])
		}
		copy(xq.Data, xn.Data)
	} else {
		copy(xq.Data, x.Data[:rows*n])
	}
	fakeQuantRows(xq.Data, rows, n)
	y := d.y.Rows(rows)
	kernels.Gemm(false, false, rows, d.Out, d.In, 1, xq.Data, d.In, d.wq, d.Out, 0, y.Data, d.Out)
	if !d.noBias {
		kernels.AddBias(y.Data, rows, d.Out, d.B.Value.Data)
	}
	d.rows = rows
	return y
}

// NormalizeRow writes (x − μ)/√(σ² + eps) into dst (len(x) values), the
// parameter-free LayerNorm of a QuantDense with Config.Norm, computed as
// nn.LayerNorm computes it (μ and σ² in float64, eps
// DefaultLayerNormEps, each value rounded to float32), and returns
// 1/√(σ² + eps). Inference kernels that quantize the same input call it
// before QuantizeActivationRow to get the same codes.
func NormalizeRow(dst, x []float32) float32 {
	n := float64(len(x))
	var sum float64
	for _, v := range x {
		sum += float64(v)
	}
	mu := sum / n
	var ss float64
	for _, v := range x {
		e := float64(v) - mu
		ss += e * e
	}
	rstd := 1 / math.Sqrt(ss/n+DefaultLayerNormEps)
	for j, v := range x {
		dst[j] = float32((float64(v) - mu) * rstd)
	}
	return float32(rstd)
}

// Backward sets dW = X̂ᵀ·dY (straight through to the shadow weights) and
// db = column sums of dY, and returns dX when needDX: dY·Ŵᵀ, straight
// through the activation rounding and back through the normalization.
func (d *QuantDense) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	tensor.MustCols("QuantDense.Backward", dy, d.Out)
	rows, n := dy.Shape[0], d.In
	if d.rows != rows {
		panic(fmt.Sprintf("nn: QuantDense.Backward: gradient of %d rows after a Forward of %d", rows, d.rows))
	}
	xq := d.xq.Rows(rows)
	kernels.Gemm(true, false, d.In, d.Out, rows, 1, xq.Data, d.In, dy.Data, d.Out, 0, d.W.Grad.Data, d.Out)
	if !d.noBias {
		clear(d.B.Grad.Data)
		kernels.SumRows(d.B.Grad.Data, dy.Data, rows, d.Out)
	}
	if !needDX {
		return nil
	}
	dx := d.dx.Rows(rows)
	kernels.Gemm(false, true, rows, d.In, d.Out, 1, dy.Data, d.Out, d.wq, d.Out, 0, dx.Data, d.In)
	if d.Config.Norm {
		xn := d.xn.Rows(rows)
		for i := 0; i < rows; i++ {
			g, h := dx.Data[i*n:i*n+n], xn.Data[i*n:i*n+n]
			var s1, s2 float64
			for j, v := range g {
				s1 += float64(v)
				s2 += float64(v) * float64(h[j])
			}
			m1, m2 := s1/float64(n), s2/float64(n)
			r := float64(d.rstd[i])
			for j, v := range g {
				g[j] = float32(r * (float64(v) - m1 - float64(h[j])*m2))
			}
		}
	}
	return dx
}

// Params returns W ("w") and b ("b"), or only W without a bias.
func (d *QuantDense) Params() []*Param { return d.ps }

// HasBias reports whether the layer has a bias parameter.
func (d *QuantDense) HasBias() bool { return !d.noBias }

// Codes returns the weight codes Forward computes with, in×out in W's
// order (ternary codes in {−1, 0, 1}, int8 codes in [−127, 127]): those of
// the current shadow weights, or those SetCodes fixed. The slice is the
// layer's; it changes with the next Forward.
func (d *QuantDense) Codes() []int8 {
	d.quantize()
	return d.codes
}

// Scales returns the scales of Codes: β (ternary), or max|W| per matrix
// (Int8Tensor) or per output unit (Int8Row). The slice is the layer's.
func (d *QuantDense) Scales() []float32 {
	d.quantize()
	return d.scales
}

// Weights returns Ŵ, the dequantized weights Forward computes with
// (in×out). The slice is the layer's.
func (d *QuantDense) Weights() []float32 {
	d.quantize()
	return d.wq
}

// Zeros returns the fraction of the codes that are 0.
func (d *QuantDense) Zeros() float64 {
	z := 0
	for _, c := range d.Codes() {
		if c == 0 {
			z++
		}
	}
	return float64(z) / float64(len(d.codes))
}

// ScaleCount returns how many scales the format stores: Out for Int8Row,
// else 1.
func (d *QuantDense) ScaleCount() int { return ScaleCount(d.Config.Format, d.Out) }

// WeightBits returns the bits the weights take as stored: 8·ceil(n/5)
// packed ternary codes plus a 32-bit β, or 8 bits a code plus 32 bits a
// scale for int8, n = In·Out.
func (d *QuantDense) WeightBits() int64 {
	n := int64(d.In) * int64(d.Out)
	if d.Config.Format.Ternary() {
		return 8*int64(PackedTernaryLen(int(n))) + 32
	}
	return 8*n + 32*int64(d.ScaleCount())
}

// Storage returns the layer's stored size: WeightBits for its In·Out
// weights, and 32 bits a bias.
func (d *QuantDense) Storage() Storage {
	s := Storage{Weights: int64(d.In) * int64(d.Out), WeightBits: d.WeightBits()}
	if !d.noBias {
		s.OtherBits = 32 * int64(d.Out)
	}
	return s
}

// SizeBits returns the layer's stored size in bits, weights and bias.
func (d *QuantDense) SizeBits() int64 { s := d.Storage(); return s.WeightBits + s.OtherBits }

// SetCodes fixes the codes and scales the layer computes with (a model
// loaded for inference): Ŵ becomes their dequantized value, exactly as
// training computed it, and W is set to Ŵ too; Forward no longer
// quantizes W, until ReleaseCodes. It fails, changing nothing, on a
// count of codes or scales that does not fit, a code out of the format's
// range, or a scale that is not positive and finite.
func (d *QuantDense) SetCodes(codes []int8, scales []float32) error {
	if len(codes) != d.In*d.Out {
		return fmt.Errorf("%d codes for a %d×%d layer", len(codes), d.In, d.Out)
	}
	if len(scales) != d.ScaleCount() {
		return fmt.Errorf("%d scales, want %d for %v", len(scales), d.ScaleCount(), d.Config.Format)
	}
	limit := int8(ActLevels)
	if d.Config.Format.Ternary() {
		limit = 1
	}
	for i, c := range codes {
		if c < -limit || c > limit {
			return fmt.Errorf("code %d at %d is out of [%d, %d]", c, i, -limit, limit)
		}
	}
	for i, s := range scales {
		if !(s > 0) || math.IsInf(float64(s), 0) {
			return fmt.Errorf("scale %d is %v, want a positive finite value", i, s)
		}
	}
	copy(d.codes, codes)
	copy(d.scales, scales)
	Dequantize(d.Config.Format, d.wq, d.codes, d.scales, d.In, d.Out)
	copy(d.W.Value.Data, d.wq)
	d.fixed = true
	return nil
}

// ReleaseCodes undoes SetCodes: Forward quantizes W again.
func (d *QuantDense) ReleaseCodes() { d.fixed = false }

// Fixed reports whether the layer computes with codes fixed by SetCodes
// rather than quantizing W.
func (d *QuantDense) Fixed() bool { return d.fixed }
