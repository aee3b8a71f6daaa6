//go:build !purego

package kernels

// asmOps is one width's set of element-wise assembly kernels (AVX-512 or
// AVX2, in elementwise_amd64.s): each takes pointers and a count.
type asmOps struct {
	addBias     func(x *float32, rows, cols int, bias *float32)
	sumRows     func(dst, x *float32, rows, cols int)
	relu        func(dst, src *float32, n int)
	reluGrad    func(dx, dy, y *float32, n int)
	axpy        func(alpha float32, x, y *float32, n int)
	scale       func(alpha float32, x *float32, n int)
	sgdMomentum func(w, grad, vel *float32, n int, lr, mu, wd float32)
	adamW       func(w, grad, m, v *float32, n int, lr, b1, b2, eps, wd, c1, c2 float32)
	tanh        func(dst, src *float32, n int)
	tanhGrad    func(dx, dy, y *float32, n int)
	gelu        func(dst, src *float32, n int)
	geluGrad    func(dx, dy, x *float32, n int)
}

// asmImpl builds an implementation from a GEMM and a set of assembly
// kernels, adapting the kernels to impl's slice signatures: the exported
// functions have checked the lengths, and empty slices, whose &x[0] would
// not exist, are skipped.
func asmImpl(name string, gemm func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int), k asmOps) *impl {
	return &impl{
		name: name,
		gemm: gemm,
		addBias: func(x []float32, rows, cols int, bias []float32) {
			if rows > 0 && cols > 0 {
				k.addBias(&x[0], rows, cols, &bias[0])
			}
		},
		sumRows: func(dst, x []float32, rows, cols int) {
			if rows > 0 && cols > 0 {
				k.sumRows(&dst[0], &x[0], rows, cols)
			}
		},
		relu:     unaryOp(k.relu),
		reluGrad: gradOp(k.reluGrad),
		axpy: func(alpha float32, x, y []float32) {
			if len(x) > 0 {
				k.axpy(alpha, &x[0], &y[0], len(x))
			}
		},
		scale: func(alpha float32, x []float32) {
			if len(x) > 0 {
				k.scale(alpha, &x[0], len(x))
			}
		},
		sgdMomentum: func(w, grad, vel []float32, lr, mu, wd float32) {
			if len(w) > 0 {
				k.sgdMomentum(&w[0], &grad[0], &vel[0], len(w), lr, mu, wd)
			}
		},
		adamW: func(w, grad, m, v []float32, lr, b1, b2, eps, wd, c1, c2 float32) {
			if len(w) > 0 {
				k.adamW(&w[0], &grad[0], &m[0], &v[0], len(w), lr, b1, b2, eps, wd, c1, c2)
			}
		},
		tanh:     unaryOp(k.tanh),
		tanhGrad: gradOp(k.tanhGrad),
		gelu:     unaryOp(k.gelu),
		geluGrad: gradOp(k.geluGrad),
	}
}

// unaryOp adapts a kernel dst[i] = f(src[i]).
func unaryOp(f func(dst, src *float32, n int)) func(dst, src []float32) {
	return func(dst, src []float32) {
		if len(src) > 0 {
			f(&dst[0], &src[0], len(src))
		}
	}
}

// gradOp adapts a kernel dx[i] = dy[i]·f'(…[i]).
func gradOp(f func(dx, dy, v *float32, n int)) func(dx, dy, v []float32) {
	return func(dx, dy, v []float32) {
		if len(v) > 0 {
			f(&dx[0], &dy[0], &v[0], len(v))
		}
	}
}
