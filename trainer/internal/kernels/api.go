package kernels

// Gemm computes C = alpha·op(A)·op(B) + beta·C where op(X) is X or its
// transpose (transA, transB). op(A) is m×k, op(B) is k×n and C is m×n; all
// are row-major with leading dimensions lda, ldb, ldc. When beta is 0, C is
// written without being read (NaNs in C do not propagate).
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmGo(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// AddBias adds bias (length cols) to every row of the rows×cols matrix x.
func AddBias(x []float32, rows, cols int, bias []float32) {
	for i := 0; i < rows; i++ {
		r := x[i*cols : i*cols+cols]
		for j, b := range bias[:cols] {
			r[j] += b
		}
	}
}

// SumRows adds the column sums of the rows×cols matrix x to dst (length
// cols): the bias gradient of a dense layer.
func SumRows(dst []float32, x []float32, rows, cols int) {
	for i := 0; i < rows; i++ {
		r := x[i*cols : i*cols+cols]
		for j, v := range r {
			dst[j] += v
		}
	}
}

// ReLU sets dst[i] = max(src[i], 0).
func ReLU(dst, src []float32) {
	for i, v := range src {
		dst[i] = max(v, 0)
	}
}

// ReLUGrad sets dx[i] = dy[i] where y[i] > 0, else 0 (y is the ReLU output).
func ReLUGrad(dx, dy, y []float32) {
	for i, v := range y {
		if v > 0 {
			dx[i] = dy[i]
		} else {
			dx[i] = 0
		}
	}
}

// Axpy sets y[i] += alpha·x[i].
func Axpy(alpha float32, x, y []float32) {
	for i, v := range x {
		y[i] += alpha * v
	}
}

// Scale sets x[i] *= alpha.
func Scale(alpha float32, x []float32) {
	for i := range x {
		x[i] *= alpha
	}
}

// SGDMomentum applies one step of SGD with momentum and decoupled-free
// (L2, PyTorch-style) weight decay: g = grad + wd·w; v = mu·v + g;
// w -= lr·v.
func SGDMomentum(w, grad, vel []float32, lr, mu, wd float32) {
	for i := range w {
		g := grad[i] + wd*w[i]
		v := mu*vel[i] + g
		vel[i] = v
		w[i] -= lr * v
	}
}

// AdamW applies one AdamW step (Loshchilov & Hutter): m = b1·m + (1-b1)·g;
// v = b2·v + (1-b2)·g²; w -= lr·(m·c1 / (sqrt(v·c2) + eps) + wd·w), where
// c1 = 1/(1-b1^t) and c2 = 1/(1-b2^t) are the bias corrections the caller
// computes for step t.
func AdamW(w, grad, m, v []float32, lr, b1, b2, eps, wd, c1, c2 float32) {
	adamWGo(w, grad, m, v, lr, b1, b2, eps, wd, c1, c2)
}
