package kernels

// f32Blocking is a float32 GEMM on the blocking skeleton.
type f32Blocking = blocking[float32, float32, float32]

// f32Kernel is a float32 micro-kernel (tileKernel's contract; rs unused).
type f32Kernel = tileKernel[float32, float32, float32]

// gemmBlocked implements Gemm on g; the caller has checked the arguments.
func gemmBlocked(g *f32Blocking, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleMatrix(m, n, beta, c, ldc)
		return
	}
	x := gemmArgs[float32, float32, float32]{
		transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
	}
	ncBlk, kcBlk := g.blocks(n, k)
	buf := g.buffers(g.bufLens(&x, ncBlk, kcBlk))
	g.sweep(&x, buf, ncBlk, kcBlk)
	g.putBuffers(buf)
}

// scaleMatrix sets C = beta·C (C = 0 without reading it when beta is 0).
func scaleMatrix(m, n int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(ci)
		} else if beta != 1 {
			for j := range ci {
				ci[j] *= beta
			}
		}
	}
}
