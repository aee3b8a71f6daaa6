package kernels

import "math"

func adamWGo(w, grad, m, v []float32, lr, b1, b2, eps, wd, c1, c2 float32) {
	for i := range w {
		g := grad[i]
		mi := b1*m[i] + (1-b1)*g
		vi := b2*v[i] + (1-b2)*g*g
		m[i], v[i] = mi, vi
		w[i] -= lr * (mi*c1/(float32(math.Sqrt(float64(vi*c2)))+eps) + wd*w[i])
	}
}
