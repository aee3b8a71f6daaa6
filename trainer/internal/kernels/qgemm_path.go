package kernels

import "sync"

// qkernel is an integer micro-kernel of qgemm_amd64.s: for rows r < R (R is
// fixed per kernel) and the nr columns of one panel w, it sets
// C[r][j] = Σ_q dot4(A[r][4q:4q+4], u[q][j]) − rs[r] over kq quads, with A
// read in place (leading dimension lda bytes) and C written with leading
// dimension ldc int32s.
type qkernel func(kq int, a *int8, lda int, w *byte, c *int32, ldc int, rs *int32)

// qpath is one implementation of the integer GEMMs: a blocking driver over
// column panels and row blocks, and the micro-kernels it calls. The
// portable path has no kernels and keeps the weights row-major.
type qpath struct {
	name string
	// nr is the panel width in columns; vbytes the bytes of one vector.
	nr, vbytes int
	// s8 and t2 hold the kernels for 1, 2, … rows (the last is the full
	// micro-tile height).
	s8, t2 []qkernel
	// narrow is the width of the narrow last panel (0 for none): when at
	// most narrow columns are left, they are packed as a panel of that
	// width and run by the kernels s8n and t2n.
	narrow   int
	s8n, t2n []qkernel
	// s8Offset is the offset o of the int8 codes (128 on VNNI, 0 on the
	// AVX2 sign trick); ternary codes are always stored as w+1 by the
	// kernels' paths.
	s8Offset int32
	// row are the row kernels of QuantizeRowS8 and DequantizeRow.
	row qrowOps
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

// qscratch is the per-call scratch of the driver: the row corrections and,
// when k is not a multiple of 4, A copied with zero-padded rows.
type qscratch struct {
	rs []int32
	a  []int8
	// tile receives the edge tiles of partial panels (a local array
	// would escape: the kernels are called through function values).
	tile [maxTile]int32
}

var qscratchPool = sync.Pool{New: func() any { return new(qscratch) }}

// maxTile is the largest micro-tile, rows × columns (6×64).
const maxTile = 6 * 64

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
	ks, kn := q.s8, q.s8n
	if t2 {
		ks, kn = q.t2, q.t2n
	}
	s := qscratchPool.Get().(*qscratch)
	defer qscratchPool.Put(s)
	if cap(s.rs) < m {
		s.rs = make([]int32, m)
	}
	rs := s.rs[:m]
	k4, kq := (k+3)&^3, (k+3)/4
	if k4 != k {
		if cap(s.a) < m*k4 {
			s.a = make([]int8, m*k4)
		}
		pa := s.a[:m*k4]
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
	mr := len(ks)
	pbytes := kq * q.nr * 4 // bytes of one int8 panel
	if t2 {
		pbytes = kq * q.nr
	}
	tile := &s.tile
	for j0 := 0; j0 < n; j0 += q.nr {
		panel := &w.data[(j0/q.nr)*pbytes]
		pw, kr := q.panelWidth(n, j0), ks
		if pw != q.nr {
			kr = kn
		}
		cols := min(pw, n-j0)
		for i0 := 0; i0 < m; i0 += mr {
			r := min(mr, m-i0)
			if cols == pw {
				kr[r-1](kq, &a[i0*lda], lda, panel, &c[i0*ldc+j0], ldc, &rs[i0])
				continue
			}
			kr[r-1](kq, &a[i0*lda], lda, panel, &tile[0], pw, &rs[i0])
			for i := 0; i < r; i++ {
				copy(c[(i0+i)*ldc+j0:(i0+i)*ldc+j0+cols], tile[i*pw:i*pw+cols])
			}
		}
	}
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
