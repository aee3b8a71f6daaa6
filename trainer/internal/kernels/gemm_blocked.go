package kernels

import "sync"

// microKernel computes one tile of C: C[0:mr, 0:nr] = alpha·Â·B̂ + beta·C
// where Â is mr'×kc with element (i, p) at a[i·rsA + p·csA] and B̂ is
// kc×NR with row p at b[p·ldb:]. Columns are enabled by the bits of mask
// (bit j for column j); rows beyond mr are computed but not stored. A beta
// of 0 (or -0) means C is not read. Kernels that cannot mask (blockedGemm
// masked=false) always store a full MR×NR tile.
type microKernel func(kc int, a *float32, rsA, csA int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mr int, mask uint32)

// blockedGemm is a GEMM built from micro-kernels in the manner of Goto and
// van de Geijn ("Anatomy of high-performance matrix multiplication", 2008):
// a kc×nc block of B (packed into NR-wide column panels, or read in place)
// stays in L2, and each MR-row panel of A (packed, or read in place when
// that is cheaper) stays in L1 while the kernel sweeps across the B block.
// It is safe for concurrent use.
type blockedGemm struct {
	mr, nr int // micro-tile
	kc, nc int // cache blocks of k and n

	packedA  microKernel // A packed k-major (rsA=1, csA=mr)
	stridedA microKernel // A read in place; nil if unsupported
	// narrow kernels cover tiles of at most nr/2 columns (N=10 heads);
	// nil if none.
	packedANarrow, stridedANarrow microKernel
	// short kernels compute fewer rows than mr over the same packed
	// panels, for the last rows of C (128 = 9·14 + 2); by rows ascending.
	short   []shortKernel
	masked  bool // kernels mask rows and columns
	directB bool // kernels may read an unpacked B
	// directAWide reads an untransposed A in place at any n.
	directAWide bool

	// packA and packB fill the packing buffers; nil means the portable
	// packA/packB.
	packA func(dst []float32, transA bool, a []float32, lda, ic, pc, mr, kc int)
	packB func(dst []float32, transB bool, b []float32, ldb, pc, jc, kc, nc int)

	mu   sync.Mutex
	free []*gemmBuf // packing buffers not in use
}

// shortKernel is a packed-A kernel of fewer rows than its blockedGemm's mr.
type shortKernel struct {
	rows      int
	k, narrow microKernel
}

// gemmBuf is the packing space of one Gemm call. Buffers are kept on a
// small free list (not a sync.Pool, which the garbage collector empties) so
// that steady-state calls never allocate, also from several goroutines.
type gemmBuf struct {
	a, b, tile []float32
}

// maxFreeBufs bounds the free list: one buffer per concurrent caller is
// kept, up to this many.
const maxFreeBufs = 8

func (g *blockedGemm) putBuffers(buf *gemmBuf) {
	g.mu.Lock()
	if len(g.free) < maxFreeBufs {
		g.free = append(g.free, buf)
	}
	g.mu.Unlock()
}

func (g *blockedGemm) buffers(bLen int) *gemmBuf {
	var buf *gemmBuf
	g.mu.Lock()
	if n := len(g.free); n > 0 {
		buf = g.free[n-1]
		g.free = g.free[:n-1]
	}
	g.mu.Unlock()
	if buf == nil {
		buf = &gemmBuf{tile: make([]float32, g.mr*g.nr)}
	}
	if len(buf.a) < g.mr*g.kc {
		buf.a = make([]float32, g.mr*g.kc)
	}
	if cap(buf.b) < bLen {
		buf.b = make([]float32, bLen)
	}
	buf.b = buf.b[:bLen]
	return buf
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func columnMask(nr int) uint32 { return uint32(uint64(1)<<uint(nr) - 1) }

// gemm implements Gemm; the caller has checked the arguments.
func (g *blockedGemm) gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleMatrix(m, n, beta, c, ldc)
		return
	}
	MR, NR := g.mr, g.nr
	// An untransposed B is read in place (the loads are masked, so the last
	// panel does not read past the matrix): its rows are contiguous, and
	// measured against packing it is as fast or faster at every benchmark
	// shape, 512³ included.
	directB := g.directB && !transB
	// A is read in place when C has at most two column panels: a packed
	// panel would be used only once or twice, too few times to repay the
	// packing (at 128×10×512 in place is 1.4× faster). Wider outputs pack,
	// which keeps the A panel in few L1 lines, except that an untransposed
	// A is read in place by kernels with few rows (directAWide).
	directA := g.stridedA != nil && (n <= 2*NR || g.directAWide && !transA)
	// Split k and n into equal blocks no larger than kc and nc (784 is
	// 4×196, not 3×256+16: a thin last block pays the C traffic of a full
	// one for little work).
	kcBlk, ncBlk := k, n
	if k > g.kc {
		kcBlk = ceilDiv(k, ceilDiv(k, g.kc))
	}
	if n > g.nc {
		ncBlk = min(n, ceilDiv(ceilDiv(n, ceilDiv(n, g.nc)), NR)*NR)
	}
	kcMax, ncMax := kcBlk, ncBlk
	bLen := 0
	if !directB {
		bLen = kcMax * ((ncMax + NR - 1) / NR * NR)
	} else if !g.masked {
		// Kernels without masks read full panels: the partial last panel
		// of an in-place B is packed.
		bLen = kcMax * NR
	}
	buf := g.buffers(bLen)
	defer g.putBuffers(buf)
	for jc := 0; jc < n; jc += ncBlk {
		nc := min(ncBlk, n-jc)
		for pc := 0; pc < k; pc += kcBlk {
			kc := min(kcBlk, k-pc)
			bet := beta
			if pc > 0 {
				bet = 1
			}
			edge := nc / NR * NR // first column of a partial panel
			if directB && !g.masked && edge < nc {
				packB(buf.b, false, b, ldb, pc, jc+edge, kc, nc-edge, NR)
			}
			if !directB {
				if g.packB != nil {
					g.packB(buf.b, transB, b, ldb, pc, jc, kc, nc)
				} else {
					packB(buf.b, transB, b, ldb, pc, jc, kc, nc, NR)
				}
			}
			for ic := 0; ic < m; ic += MR {
				mr := min(MR, m-ic)
				var ap *float32
				rsA, csA := 1, MR
				kern, narrow := g.packedA, g.packedANarrow
				if directA && mr == MR {
					if transA {
						ap = &a[pc*lda+ic]
						rsA, csA = 1, lda
					} else {
						ap = &a[ic*lda+pc]
						rsA, csA = lda, 1
					}
					kern, narrow = g.stridedA, g.stridedANarrow
				} else {
					if g.packA != nil {
						g.packA(buf.a, transA, a, lda, ic, pc, mr, kc)
					} else {
						packA(buf.a, transA, a, lda, ic, pc, mr, kc, MR)
					}
					ap = &buf.a[0]
					for _, s := range g.short {
						if mr <= s.rows {
							kern, narrow = s.k, s.narrow
							break
						}
					}
				}
				for jr := 0; jr < nc; jr += NR {
					nr := min(NR, nc-jr)
					var bp *float32
					ldbp := NR
					if directB && (g.masked || jr < edge) {
						bp = &b[pc*ldb+jc+jr]
						ldbp = ldb
					} else if directB {
						bp = &buf.b[0]
					} else {
						bp = &buf.b[jr*kc]
					}
					cp := &c[ic*ldc+jc+jr]
					switch {
					case g.masked && nr <= NR/2 && narrow != nil:
						narrow(kc, ap, rsA, csA, bp, ldbp, cp, ldc, alpha, bet, mr, columnMask(nr))
					case g.masked || mr == MR && nr == NR:
						kern(kc, ap, rsA, csA, bp, ldbp, cp, ldc, alpha, bet, mr, columnMask(nr))
					default:
						kern(kc, ap, rsA, csA, bp, ldbp, &buf.tile[0], NR, alpha, 0, MR, columnMask(NR))
						mergeTile(buf.tile, NR, c[ic*ldc+jc+jr:], ldc, mr, nr, bet)
					}
				}
			}
		}
	}
}

// mergeTile sets C[0:mr, 0:nr] = t + beta·C.
func mergeTile(t []float32, ldt int, c []float32, ldc, mr, nr int, beta float32) {
	for i := 0; i < mr; i++ {
		ti := t[i*ldt : i*ldt+nr]
		ci := c[i*ldc : i*ldc+nr]
		if beta == 0 {
			copy(ci, ti)
			continue
		}
		for j, v := range ti {
			ci[j] = v + beta*ci[j]
		}
	}
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

// packA copies rows ic..ic+mr and columns pc..pc+kc of op(A) into dst as
// kc groups of MR values (row-minor), padding rows mr..MR with zeros.
func packA(dst []float32, transA bool, a []float32, lda, ic, pc, mr, kc, MR int) {
	dst = dst[:kc*MR]
	if transA {
		// op(A)(i, p) = A(p, i): row p of A holds the mr values contiguously.
		// An element loop: copy's memmove call costs more than six or
		// fourteen moves.
		for p := 0; p < kc; p++ {
			d := dst[p*MR : p*MR+MR]
			src := a[(pc+p)*lda+ic:][:mr]
			for r, v := range src {
				d[r] = v
			}
			for r := len(src); r < len(d); r++ {
				d[r] = 0
			}
		}
		return
	}
	if mr < MR {
		clear(dst)
	}
	for i := 0; i < mr; i++ {
		row := a[(ic+i)*lda+pc:][:kc]
		for p, v := range row {
			dst[p*MR+i] = v
		}
	}
}

// packB copies rows pc..pc+kc and columns jc..jc+nc of op(B) into dst as
// column panels of NR: panel q holds kc rows of NR values, zero-padded past
// column nc.
func packB(dst []float32, transB bool, b []float32, ldb, pc, jc, kc, nc, NR int) {
	for jr := 0; jr < nc; jr += NR {
		nr := min(NR, nc-jr)
		panel := dst[jr*kc : jr*kc+kc*NR]
		if !transB {
			for p := 0; p < kc; p++ {
				d := panel[p*NR : p*NR+NR]
				n := copy(d, b[(pc+p)*ldb+jc+jr:][:nr])
				clear(d[n:])
			}
			continue
		}
		// op(B)(p, j) = B(j, p): column j of the panel is row j of B.
		if nr < NR {
			clear(panel)
		}
		for j := 0; j < nr; j++ {
			row := b[(jc+jr+j)*ldb+pc:][:kc]
			for p, v := range row {
				panel[p*NR+j] = v
			}
		}
	}
}
