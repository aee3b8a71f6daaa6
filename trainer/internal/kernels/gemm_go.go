package kernels

// gemmGo is the portable GEMM: correct for every transpose case and shape.
// Without a transposed B it updates four rows of C per pass over a row of
// B (the row is loaded once for four rows); with a transposed B it forms
// four dot products at a time along the contiguous rows of B.
func gemmGo(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	scaleMatrix(m, n, beta, c, ldc)
	if alpha == 0 || k == 0 || m == 0 || n == 0 {
		return
	}
	// aAt returns alpha·op(A)(i, p).
	aAt := func(i, p int) float32 {
		if transA {
			return alpha * a[p*lda+i]
		}
		return alpha * a[i*lda+p]
	}
	if transB {
		gemmGoDots(transA, m, n, k, alpha, a, lda, b, ldb, c, ldc)
		return
	}
	i := 0
	for ; i+4 <= m; i += 4 {
		c0 := c[i*ldc : i*ldc+n]
		c1 := c[(i+1)*ldc : (i+1)*ldc+n]
		c2 := c[(i+2)*ldc : (i+2)*ldc+n]
		c3 := c[(i+3)*ldc : (i+3)*ldc+n]
		for p := 0; p < k; p++ {
			a0, a1, a2, a3 := aAt(i, p), aAt(i+1, p), aAt(i+2, p), aAt(i+3, p)
			bp := b[p*ldb : p*ldb+n]
			c0, c1, c2, c3 := c0[:len(bp)], c1[:len(bp)], c2[:len(bp)], c3[:len(bp)]
			for j, v := range bp {
				c0[j] += a0 * v
				c1[j] += a1 * v
				c2[j] += a2 * v
				c3[j] += a3 * v
			}
		}
	}
	for ; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		for p := 0; p < k; p++ {
			aip := aAt(i, p)
			bp := b[p*ldb : p*ldb+n]
			ci := ci[:len(bp)]
			for j, v := range bp {
				ci[j] += aip * v
			}
		}
	}
}

// gemmGoDots is gemmGo for a transposed B: C(i, j) += alpha·Σ op(A)(i, p)·
// B(j, p), four columns j at a time.
func gemmGoDots(transA bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		j := 0
		for ; j+4 <= n; j += 4 {
			b0 := b[j*ldb : j*ldb+k]
			b1 := b[(j+1)*ldb : (j+1)*ldb+k]
			b2 := b[(j+2)*ldb : (j+2)*ldb+k]
			b3 := b[(j+3)*ldb : (j+3)*ldb+k]
			var s0, s1, s2, s3 float32
			if transA {
				for p := range b0 {
					v := a[p*lda+i]
					s0 += v * b0[p]
					s1 += v * b1[p]
					s2 += v * b2[p]
					s3 += v * b3[p]
				}
			} else {
				ai := a[i*lda : i*lda+k]
				b0, b1, b2, b3 := b0[:len(ai)], b1[:len(ai)], b2[:len(ai)], b3[:len(ai)]
				for p, v := range ai {
					s0 += v * b0[p]
					s1 += v * b1[p]
					s2 += v * b2[p]
					s3 += v * b3[p]
				}
			}
			ci[j] += alpha * s0
			ci[j+1] += alpha * s1
			ci[j+2] += alpha * s2
			ci[j+3] += alpha * s3
		}
		for ; j < n; j++ {
			bj := b[j*ldb : j*ldb+k]
			var s float32
			for p, w := range bj {
				if transA {
					s += a[p*lda+i] * w
				} else {
					s += a[i*lda+p] * w
				}
			}
			ci[j] += alpha * s
		}
	}
}
