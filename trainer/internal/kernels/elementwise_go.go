package kernels

import "math"

func addBiasGo(x []float32, rows, cols int, bias []float32) {
	bias = bias[:cols]
	for i := 0; i < rows; i++ {
		r := x[i*cols : i*cols+cols]
		for j, b := range bias {
			r[j] += b
		}
	}
}

func sumRowsGo(dst, x []float32, rows, cols int) {
	dst = dst[:cols]
	for i := 0; i < rows; i++ {
		r := x[i*cols : i*cols+cols]
		for j, v := range r {
			dst[j] += v
		}
	}
}

func reluGo(dst, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = max(v, 0)
	}
}

func reluGradGo(dx, dy, y []float32) {
	dx, dy = dx[:len(y)], dy[:len(y)]
	for i, v := range y {
		if v > 0 {
			dx[i] = dy[i]
		} else {
			dx[i] = 0
		}
	}
}

func axpyGo(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

func scaleGo(alpha float32, x []float32) {
	for i := range x {
		x[i] *= alpha
	}
}

func sgdMomentumGo(w, grad, vel []float32, lr, mu, wd float32) {
	grad, vel = grad[:len(w)], vel[:len(w)]
	for i := range w {
		g := grad[i] + wd*w[i]
		v := mu*vel[i] + g
		vel[i] = v
		w[i] -= lr * v
	}
}

func adamWGo(w, grad, m, v []float32, lr, b1, b2, eps, wd, c1, c2 float32) {
	grad, m, v = grad[:len(w)], m[:len(w)], v[:len(w)]
	for i := range w {
		g := grad[i]
		mi := b1*m[i] + (1-b1)*g
		vi := b2*v[i] + (1-b2)*g*g
		m[i], v[i] = mi, vi
		w[i] -= lr * (mi*c1/(float32(math.Sqrt(float64(vi*c2)))+eps) + wd*w[i])
	}
}
