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
	// Field by field: a composite literal is built in a temporary and
	// copied with 16-byte moves that cannot forward from its 8-byte
	// stores (a stall of several ns on every call).
	var x gemmArgs[float32, float32, float32]
	x.transA, x.transB, x.m, x.n, x.k, x.alpha, x.beta = transA, transB, m, n, k, alpha, beta
	x.a, x.lda, x.b, x.ldb, x.c, x.ldc = a, lda, b, ldb, c, ldc
	ncBlk, kcBlk := g.blocks(n, k)
	aLen, bLen := g.bufLens(&x, ncBlk, kcBlk)
	if aLen == 0 && bLen == 0 && !g.scratch() {
		// Nothing to pack and no scratch tile (a small product on
		// kernels that mask): no buffer at all.
		g.sweep(&x, &noBuf, ncBlk, kcBlk)
		return
	}
	buf := g.buffers(aLen, bLen)
	g.sweep(&x, buf, ncBlk, kcBlk)
	g.putBuffers(buf)
}

// noBuf stands for the buffers of a call that needs none; sweep never
// touches it.
var noBuf gemmBuf[float32, float32, float32]

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
