package data

import (
	"math"
	"math/rand/v2"
)

// refModel is a small reference classifier for the tests, independent of
// the trainer's layers: softmax regression when hidden is 0, else an MLP
// with one ReLU layer of hidden units. It is trained by plain SGD with
// momentum, in float64.
type refModel struct {
	in, hidden, out int
	w1, b1, w2, b2  []float64 // w1: hidden×in (unused when linear), w2: out×(hidden or in)
}

func newRefModel(in, hidden, out int, seed uint64) *refModel {
	rng := rand.New(rand.NewPCG(seed, 1))
	m := &refModel{in: in, hidden: hidden, out: out}
	init := func(n, fanIn int) []float64 {
		w := make([]float64, n)
		for i := range w {
			w[i] = rng.NormFloat64() * math.Sqrt(2/float64(fanIn))
		}
		return w
	}
	top := in
	if hidden > 0 {
		m.w1, m.b1 = init(hidden*in, in), make([]float64, hidden)
		top = hidden
	}
	m.w2, m.b2 = init(out*top, top), make([]float64, out)
	return m
}

// forward returns the hidden activations (or the input when linear) and
// the logits of x.
func (m *refModel) forward(x []float32, h, logits []float64) []float64 {
	top := h
	if m.hidden > 0 {
		for j := range m.hidden {
			v := m.b1[j]
			for i, xi := range x {
				v += m.w1[j*m.in+i] * float64(xi)
			}
			h[j] = max(v, 0)
		}
	} else {
		for i, xi := range x {
			top[i] = float64(xi)
		}
	}
	for k := range m.out {
		v := m.b2[k]
		for j, hj := range top {
			v += m.w2[k*len(top)+j] * hj
		}
		logits[k] = v
	}
	return top
}

// train runs epochs of SGD with momentum 0.9 and batch size 32 over s.
func (m *refModel) train(s *Set, epochs int, lr float64, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 2))
	top := m.in
	if m.hidden > 0 {
		top = m.hidden
	}
	gw1, gb1 := make([]float64, len(m.w1)), make([]float64, len(m.b1))
	gw2, gb2 := make([]float64, len(m.w2)), make([]float64, len(m.b2))
	vw1, vb1 := make([]float64, len(m.w1)), make([]float64, len(m.b1))
	vw2, vb2 := make([]float64, len(m.w2)), make([]float64, len(m.b2))
	h, logits, dlog, dh := make([]float64, top), make([]float64, m.out), make([]float64, m.out), make([]float64, top)
	const batch = 32
	for range epochs {
		perm := rng.Perm(s.N)
		for b0 := 0; b0 < s.N; b0 += batch {
			idx := perm[b0:min(b0+batch, s.N)]
			for _, g := range [][]float64{gw1, gb1, gw2, gb2} {
				clear(g)
			}
			for _, i := range idx {
				x := s.Row(i)
				act := m.forward(x, h, logits)
				softmax(logits, dlog)
				dlog[s.Y[i]] -= 1
				for k := range m.out {
					gb2[k] += dlog[k]
					for j, aj := range act {
						gw2[k*top+j] += dlog[k] * aj
					}
				}
				if m.hidden == 0 {
					continue
				}
				for j := range m.hidden {
					if h[j] <= 0 {
						dh[j] = 0
						continue
					}
					v := 0.0
					for k := range m.out {
						v += m.w2[k*top+j] * dlog[k]
					}
					dh[j] = v
					gb1[j] += v
					for i2, xi := range x {
						gw1[j*m.in+i2] += v * float64(xi)
					}
				}
			}
			scale := lr / float64(len(idx))
			step := func(w, g, v []float64) {
				for i := range w {
					v[i] = 0.9*v[i] + g[i]
					w[i] -= scale * v[i]
				}
			}
			step(m.w1, gw1, vw1)
			step(m.b1, gb1, vb1)
			step(m.w2, gw2, vw2)
			step(m.b2, gb2, vb2)
		}
	}
}

// accuracy returns the fraction of s that m classifies correctly.
func (m *refModel) accuracy(s *Set) float64 {
	top := m.in
	if m.hidden > 0 {
		top = m.hidden
	}
	h, logits := make([]float64, top), make([]float64, m.out)
	right := 0
	for i := range s.N {
		m.forward(s.Row(i), h, logits)
		best := 0
		for k, v := range logits {
			if v > logits[best] {
				best = k
			}
		}
		if int32(best) == s.Y[i] {
			right++
		}
	}
	return float64(right) / float64(s.N)
}

// softmax writes the softmax of logits to p.
func softmax(logits, p []float64) {
	mx := logits[0]
	for _, v := range logits {
		mx = max(mx, v)
	}
	sum := 0.0
	for k, v := range logits {
		p[k] = math.Exp(v - mx)
		sum += p[k]
	}
	for k := range p {
		p[k] /= sum
	}
}
