package kernels

import "math"

// qBlocking is an integer GEMM on the blocking skeleton: int8
// activations, packed weight bytes, int32 results.
type qBlocking = blocking[int8, byte, int32]

// qKernel is an integer micro-kernel of qgemm_amd64.s (tileKernel's
// contract): for rows r < R (R is fixed per kernel) and the columns of one
// weight panel b, it sets C[r][j] = Σ_q dot4(A[r][4q:4q+4], u[q][j]) −
// rs[r] over k quads, with A read in place (rows rsA bytes apart) and C
// written with leading dimension ldc int32s; it ignores csA, ldb, alpha,
// beta, mr and mask.
type qKernel = tileKernel[int8, byte, int32]

// qpath is one implementation of the integer GEMMs: the blockings of its
// int8 and ternary micro-kernels, and how it packs the weights. The
// portable path has no kernels and keeps the weights row-major.
type qpath struct {
	name string
	// nr is the panel width in columns; vbytes the bytes of one vector.
	nr, vbytes int
	// s8 and t2 are the int8 and ternary GEMMs (nil on the portable
	// path).
	s8, t2 *qBlocking
	// narrow is the width of the narrow last panel (0 for none): when at
	// most narrow columns are left, they are packed as a panel of that
	// width and run by the blockings' narrow kernels.
	narrow int
	// s8Offset is the offset o of the int8 codes (128 on VNNI, 0 on the
	// AVX2 sign trick); ternary codes are always stored as w+1 by the
	// kernels' paths.
	s8Offset int32
	// row are the row kernels of QuantizeRowS8 and DequantizeRow.
	row qrowOps
}

// newQBlocking returns the blocking of integer kernels by row count
// (rows[r−1] computes r rows; narrowRows likewise for the narrow panel):
// one panel of nr columns per block of n, all of k at once, A read in
// place at every row count, partial panels through the scratch tile.
func newQBlocking(nr, narrow int, rows, narrowRows []qKernel) *qBlocking {
	return &qBlocking{
		mr: len(rows), nr: nr, nc: nr,
		inPlace: rows, inPlaceNarrow: narrowRows, narrow: narrow,
		inPlaceCols: math.MaxInt, rowsExact: true,
	}
}

// goQPath is the portable integer path.
var goQPath = &qpath{name: "go", row: goQRow}

// qpaths lists the integer paths this machine supports, fastest first; the
// portable one is last. Tests run every entry.
var qpaths = append(archQPaths(), goQPath)

// activeQ is the integer path the exported functions use.
var activeQ = qpaths[0]

// packS8 packs w for GemmS8S8 on q.
func (q *qpath) packS8(w []int8, k, n int) (*S8Weights, error) {
	if err := checkPack("PackS8", w, k, n, -127, 127); err != nil {
		return nil, err
	}
	if q.s8 == nil {
		return &S8Weights{packed{k: k, n: n, path: q, data: rowMajor(w, k, n)}}, nil
	}
	kq, np := (k+3)/4, (n+q.nr-1)/q.nr
	data := make([]byte, np*kq*q.nr*4)
	for p := 0; p < np; p++ {
		pw := q.panelWidth(n, p*q.nr)
		panel := data[p*kq*q.nr*4:]
		for j := 0; j < pw && p*q.nr+j < n; j++ {
			col := p*q.nr + j
			for i := 0; i < k; i++ {
				panel[((i/4)*pw+j)*4+i%4] = byte(int32(w[i*n+col]) + q.s8Offset)
			}
		}
	}
	return &S8Weights{packed{k: k, n: n, path: q, data: data, offset: q.s8Offset}}, nil
}

// packTernary packs w for GemmTernaryS8 on q.
func (q *qpath) packTernary(w []int8, k, n int) (*TernaryWeights, error) {
	if err := checkPack("PackTernary", w, k, n, -1, 1); err != nil {
		return nil, err
	}
	if q.t2 == nil {
		return &TernaryWeights{packed{k: k, n: n, path: q, data: rowMajor(w, k, n)}}, nil
	}
	kq, np := (k+3)/4, (n+q.nr-1)/q.nr
	data := make([]byte, np*kq*q.nr)
	vcols := q.vbytes / 4 // columns per vector; also the stored bytes per vector
	for p := 0; p < np; p++ {
		pw := q.panelWidth(n, p*q.nr)
		panel := data[p*kq*q.nr:]
		for j := 0; j < pw && p*q.nr+j < n; j++ {
			col := p*q.nr + j
			v, jv := j/vcols, j%vcols
			for i := 0; i < k; i++ {
				pos := jv*4 + i%4 // byte of the expanded vector
				lane, b := pos/vcols, pos%vcols
				u := byte(w[i*n+col] + 1)
				panel[(i/4)*pw+v*vcols+b] |= u << (2 * lane)
			}
		}
	}
	return &TernaryWeights{packed{k: k, n: n, path: q, data: data, offset: 1}}, nil
}

// panelWidth returns the width of the panel of columns from j0 of an
// n-column matrix: nr, or narrow for a last panel of at most narrow
// columns.
func (q *qpath) panelWidth(n, j0 int) int {
	if q.narrow > 0 && n-j0 <= q.narrow {
		return q.narrow
	}
	return q.nr
}

// rowMajor copies the k×n matrix w as bytes.
func rowMajor(w []int8, k, n int) []byte {
	data := make([]byte, k*n)
	for i, v := range w[:k*n] {
		data[i] = byte(v)
	}
	return data
}

// gemm runs C = A·W on q for a ternary (t2) or int8 W.
func (q *qpath) gemm(t2 bool, m int, a []int8, lda int, w *packed, c []int32, ldc int) {
	k, n := w.k, w.n
	if m == 0 || n == 0 {
		return
	}
	if q.s8 == nil {
		gemmQGo(m, k, n, a, lda, w.data, c, ldc)
		return
	}
	if k == 0 {
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
		return
	}
	k4, kq := (k+3)&^3, (k+3)/4
	g, pbytes := q.s8, kq*q.nr*4 // bytes of one int8 panel
	if t2 {
		g, pbytes = q.t2, kq*q.nr
	}
	aLen := 0
	if k4 != k {
		aLen = m * k4
	}
	buf := g.buffers(aLen, 0)
	if cap(buf.rs) < m {
		buf.rs = make([]int32, m)
	}
	rs := buf.rs[:m]
	if k4 != k {
		// No kernel reads past a row: A is copied with zero-padded rows.
		pa := buf.a[:m*k4]
		for i := 0; i < m; i++ {
			copy(pa[i*k4:i*k4+k], a[i*lda:i*lda+k])
			clear(pa[i*k4+k : i*k4+k4])
		}
		a, lda = pa, k4
	}
	for i := range rs {
		rs[i] = 0
		if w.offset != 0 {
			rs[i] = w.offset * q.row.rowSum(a[i*lda:i*lda+k])
		}
	}
	var x gemmArgs[int8, byte, int32] // field by field, as in gemmBlocked
	x.m, x.n, x.k, x.alpha = m, n, kq, 1
	x.a, x.lda, x.b, x.c, x.ldc = a, lda, w.data, c, ldc
	x.bStride, x.rs = pbytes, rs
	g.sweepPanels(&x, buf)
	g.putBuffers(buf)
}

// rowSumS8 returns the sum of x, eight values a step.
func rowSumS8(x []int8) int32 {
	var s0, s1, s2, s3 int32
	i := 0
	for ; i+8 <= len(x); i += 8 {
		v := x[i : i+8 : i+8]
		s0 += int32(v[0]) + int32(v[4])
		s1 += int32(v[1]) + int32(v[5])
		s2 += int32(v[2]) + int32(v[6])
		s3 += int32(v[3]) + int32(v[7])
	}
	for ; i < len(x); i++ {
		s0 += int32(x[i])
	}
	return s0 + s1 + s2 + s3
}

// gemmQGo is the portable integer GEMM on row-major weights: each row of C
// accumulates the rows of W scaled by the row's activations, skipping
// zeros.
func gemmQGo(m, k, n int, a []int8, lda int, w []byte, c []int32, ldc int) {
	for i := 0; i < m; i++ {
		crow := c[i*ldc : i*ldc+n]
		clear(crow)
		for p, av := range a[i*lda : i*lda+k] {
			if av == 0 {
				continue
			}
			x := int32(av)
			wrow := w[p*n : p*n+n]
			for j, wv := range wrow {
				crow[j] += x * int32(int8(wv))
			}
		}
	}
}
