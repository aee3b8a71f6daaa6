package kernels

import "sync"

// tileKernel is the contract of every assembly micro-kernel, float32 and
// integer alike: it computes one tile of C,
//
//	C[r][j] = alpha·(Σ_p Â[r][p]·B̂[p][j] − rs[r]) + beta·C[r][j]
//
// for the rows r < mr and the columns j whose bit is set in mask, where Â
// has element (r, p) at a[r·rsA + p·csA] and B̂ is one panel of B: row p at
// b[p·ldb:] when B is read in place, or the panel's packed layout. k is the
// panel's depth in A's elements (float32 values, or quads of four int8
// values for the integer kernels). A beta of 0 (or −0) means C is not read.
//
// Each family honours the part of the contract it has a use for, and the
// skeleton passes the rest as neutral values: the float32 kernels take
// alpha, beta, mr and mask and ignore rs (nil); the integer kernels take rs
// (the offset correction of their unsigned codes) and are called with
// alpha = 1 and beta = 0, have a fixed row count (one kernel per count)
// and store every column of their panel. A kernel set says which it does:
// blocking.rowsExact, blocking.colsMasked.
type tileKernel[A, B, C any] func(k int, a *A, rsA, csA int, b *B, ldb int, c *C, ldc int, alpha, beta float32, mr int, mask uint32, rs *int32)

// blocking is the loop nest shared by the package's GEMMs, after Goto and
// van de Geijn ("Anatomy of high-performance matrix multiplication", 2008):
// C is swept in blocks of nc columns and, inside, blocks of kc of the
// depth; a kc×nc block of B (packed into NR-wide column panels, read in
// place, or packed once ahead of time) stays in L2; each MR-row panel of A
// (packed, or read in place) stays in L1 while the kernels sweep across the
// block of B, one MR×NR tile at a time. The float32 GEMMs run that nest
// (sweep), blocking both k and n and packing; the integer GEMMs, whose
// weights are packed ahead of time, run its degenerate case (sweepPanels:
// nc = NR, k unsplit, nothing packed), so that one panel of weights stays
// in cache while every row panel passes over it. Both pick the kernels
// from the same tables by row count and width, under one micro-kernel
// contract, and send partial tiles through the same scratch tile.
//
// A blocking is one instruction set's kernels and block sizes; the element
// types (A, B, C) are float32 or (int8, byte, int32). It is generic over
// them only: the kernels are func values called directly, so a call costs
// what an indirect call of an assembly function costs, and no method of a
// type parameter (a dictionary call) is on the path. It is safe for
// concurrent use.
type blocking[A, B any, C float32 | int32] struct {
	mr, nr int // micro-tile
	// kc and nc are the cache blocks of k and n; kc = 0 does not split k.
	kc, nc int

	// packed[r−1] computes r rows over a packed A panel (rsA = 1,
	// csA = MR); entries may repeat (a kernel of 8 rows serves 5 to 8).
	// inPlace[r−1] reads A where it is; a nil entry (or a nil slice)
	// packs that row count instead.
	packed, inPlace []tileKernel[A, B, C]
	// narrow is the width of the narrow kernels (0 for none), which serve
	// tiles of at most narrow columns (N = 10 heads): packedNarrow and
	// inPlaceNarrow, indexed like packed and inPlace, with an entry
	// wherever those have one.
	narrow                      int
	packedNarrow, inPlaceNarrow []tileKernel[A, B, C]
	// inPlaceCols is the widest C for which A is read in place (when an
	// inPlace kernel exists); inPlaceWide reads an untransposed A in place
	// at any n.
	inPlaceCols int
	inPlaceWide bool

	// rowsExact: the kernels store only the mr rows asked for (by the mr
	// argument, or by having exactly that many); otherwise they store MR
	// rows and short tiles go through a scratch tile. colsMasked: the
	// kernels store only the columns of mask; otherwise partial panels go
	// through the scratch tile.
	rowsExact, colsMasked bool
	// directB reads an untransposed B in place (its last partial panel is
	// packed unless colsMasked).
	directB bool

	// packA and packB fill the packing buffers; nil means the portable
	// packA/packB.
	packA func(dst []A, transA bool, a []A, lda, ic, pc, mr, kc int)
	packB func(dst []B, transB bool, b []B, ldb, pc, jc, kc, nc int)

	// bufs holds packing buffers not in use: a sync.Pool, whose per-P
	// caches take and return a buffer without an atomic operation. The
	// garbage collector moves its contents to a victim cache, from which
	// the next call takes them back, so a GEMM called at least once
	// between two collections does not allocate.
	bufs sync.Pool
}

// gemmArgs is one GEMM call on a blocking: C (m×n) = alpha·op(A)·op(B) −
// rs + beta·C, with k in A's elements. For sweep, B is read in place
// (transB false, leading dimension ldb) or packed per block; for
// sweepPanels it is already packed as panels of bStride elements.
type gemmArgs[A, B, C any] struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	a              []A
	lda            int
	b              []B
	ldb            int
	c              []C
	ldc            int
	// bStride (sweepPanels): b holds NR-wide panels of all of k,
	// bStride elements apart (the narrow last panel at its offset too).
	bStride int
	// rs (sweepPanels) is the per-row correction subtracted from C.
	rs []int32
}

// gemmBuf is the packing space of one call: A and B panels and the
// scratch tile of partial tiles. The integer paths keep their per-row
// corrections and the zero-padded copy of A in it as well.
type gemmBuf[A, B, C any] struct {
	a    []A
	b    []B
	tile []C
	rs   []int32
}

// buffers takes a buffer from the pool, with room for aLen and bLen
// elements.
func (g *blocking[A, B, C]) buffers(aLen, bLen int) *gemmBuf[A, B, C] {
	buf, _ := g.bufs.Get().(*gemmBuf[A, B, C])
	if buf == nil {
		buf = &gemmBuf[A, B, C]{tile: make([]C, g.mr*g.nr)}
	}
	if len(buf.a) < aLen {
		buf.a = make([]A, aLen)
	}
	if cap(buf.b) < bLen {
		buf.b = make([]B, bLen)
	}
	buf.b = buf.b[:bLen]
	return buf
}

func (g *blocking[A, B, C]) putBuffers(buf *gemmBuf[A, B, C]) { g.bufs.Put(buf) }

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func columnMask(nr int) uint32 { return uint32(uint64(1)<<uint(nr) - 1) }

// blocks returns the block sizes for an n×k sweep: k and n are split into
// equal blocks no larger than kc and nc (784 is 4×196, not 3×256+16: a thin
// last block pays the C traffic of a full one for little work), n's a
// multiple of NR.
func (g *blocking[A, B, C]) blocks(n, k int) (ncBlk, kcBlk int) {
	kcBlk, ncBlk = k, n
	if g.kc > 0 && k > g.kc {
		kcBlk = ceilDiv(k, ceilDiv(k, g.kc))
	}
	if n > g.nc {
		ncBlk = min(n, ceilDiv(ceilDiv(n, ceilDiv(n, g.nc)), g.nr)*g.nr)
	}
	return ncBlk, kcBlk
}

// bufLens returns the A and B packing space a call needs.
func (g *blocking[A, B, C]) bufLens(x *gemmArgs[A, B, C], ncBlk, kcBlk int) (aLen, bLen int) {
	switch {
	case g.directB && !x.transB:
		if !g.colsMasked {
			// The partial last panel of an in-place B is packed.
			bLen = kcBlk * g.nr
		}
	default:
		bLen = kcBlk * ceilDiv(ncBlk, g.nr) * g.nr
	}
	if g.packed != nil && g.packsA(x) {
		aLen = g.mr * max(kcBlk, g.kc)
	}
	return aLen, bLen
}

// directA reports whether A is read in place (where an in-place kernel
// serves the row count): when C has few column panels (a packed panel
// would be used too few times to repay the packing: at 128×10×512 in
// place is 1.4× faster), or by kernels with few rows (inPlaceWide).
func (g *blocking[A, B, C]) directA(x *gemmArgs[A, B, C]) bool {
	return g.inPlace != nil && (x.n <= g.inPlaceCols || g.inPlaceWide && !x.transA)
}

// packsA reports whether some row panel of A is packed.
func (g *blocking[A, B, C]) packsA(x *gemmArgs[A, B, C]) bool {
	if !g.directA(x) || g.inPlace[g.mr-1] == nil {
		return true
	}
	last := x.m - (x.m-1)/g.mr*g.mr // rows of the last row panel
	return g.inPlace[last-1] == nil
}

// scratch reports whether a call may send tiles through the scratch tile.
func (g *blocking[A, B, C]) scratch() bool { return !g.rowsExact || !g.colsMasked }

// sweep runs the loop nest of x with the packing space buf; the caller
// has handled m, n or k of 0.
func (g *blocking[A, B, C]) sweep(x *gemmArgs[A, B, C], buf *gemmBuf[A, B, C], ncBlk, kcBlk int) {
	MR, NR := g.mr, g.nr
	m, n, k := x.m, x.n, x.k
	a, b, c, lda, ldb, ldc := x.a, x.b, x.c, x.lda, x.ldb, x.ldc
	directB := g.directB && !x.transB
	directA := g.directA(x)
	for jc := 0; jc < n; jc += ncBlk {
		nc := min(ncBlk, n-jc)
		for pc := 0; pc < k; pc += kcBlk {
			kc := min(kcBlk, k-pc)
			beta := x.beta
			if pc > 0 {
				beta = 1
			}
			edge := nc / NR * NR // first column of a partial panel
			// bp0 is the block's first packed panel (nil when B is
			// read in place), bStride the elements from one panel to
			// the next.
			var bp0 []B
			bStride := kc * NR
			switch {
			case directB:
				if !g.colsMasked && edge < nc {
					packB(buf.b, false, b, ldb, pc, jc+edge, kc, nc-edge, NR)
				}
			case g.packB != nil:
				g.packB(buf.b, x.transB, b, ldb, pc, jc, kc, nc)
				bp0 = buf.b
			default:
				packB(buf.b, x.transB, b, ldb, pc, jc, kc, nc, NR)
				bp0 = buf.b
			}
			for ic := 0; ic < m; ic += MR {
				mr := min(MR, m-ic)
				var ap *A
				rsA, csA := 1, MR
				kern, narrow := g.packed, g.packedNarrow
				if directA && g.inPlace[mr-1] != nil {
					if x.transA {
						ap = &a[pc*lda+ic]
						rsA, csA = 1, lda
					} else {
						ap = &a[ic*lda+pc]
						rsA, csA = lda, 1
					}
					kern, narrow = g.inPlace, g.inPlaceNarrow
				} else {
					if g.packA != nil {
						g.packA(buf.a, x.transA, a, lda, ic, pc, mr, kc)
					} else {
						packA(buf.a, x.transA, a, lda, ic, pc, mr, kc, MR)
					}
					ap = &buf.a[0]
				}
				// Full-width tiles first: one kernel, one mask, B
				// packed or in place.
				kfull, full := kern[mr-1], columnMask(NR)
				direct := g.rowsExact || mr == MR // tiles stored in place
				jr, cp, boff := 0, ic*ldc+jc, 0   // cp: C's index of the tile; boff: bp0's of the panel
				for ; jr < edge; jr, boff, cp = jr+NR, boff+bStride, cp+NR {
					var bp *B
					ldbp := NR
					if bp0 != nil {
						bp = &bp0[boff]
					} else {
						bp, ldbp = &b[pc*ldb+jc+jr], ldb
					}
					if direct {
						kfull(kc, ap, rsA, csA, bp, ldbp, &c[cp], ldc, x.alpha, beta, mr, full, nil)
						continue
					}
					kfull(kc, ap, rsA, csA, bp, ldbp, &buf.tile[0], NR, x.alpha, 0, MR, full, nil)
					mergeTile(buf.tile, NR, c[cp:], ldc, mr, NR, beta)
				}
				if jr == nc {
					continue
				}
				// The partial last tile: the narrow kernel if it is
				// narrow enough; B packed, in place if the kernels mask,
				// else its packed copy.
				nr := nc - jr
				kr, tw := kfull, NR // kernel and tile width
				if nr <= g.narrow {
					kr, tw = narrow[mr-1], g.narrow
				}
				var bp *B
				ldbp := NR
				switch {
				case bp0 != nil:
					bp = &bp0[boff]
				case g.colsMasked:
					bp, ldbp = &b[pc*ldb+jc+jr], ldb
				default:
					bp = &buf.b[0]
				}
				if direct && (g.colsMasked || nr == tw) {
					kr(kc, ap, rsA, csA, bp, ldbp, &c[cp], ldc, x.alpha, beta, mr, columnMask(nr), nil)
					continue
				}
				kr(kc, ap, rsA, csA, bp, ldbp, &buf.tile[0], tw, x.alpha, 0, MR, columnMask(tw), nil)
				mergeTile(buf.tile, tw, c[cp:], ldc, mr, nr, beta)
			}
		}
	}
}

// sweepPanels is the loop nest for a B packed ahead of time into panels
// of all of k (the integer GEMMs' weights), with A read in place by
// kernels of every row count: the panels outer, so that one panel stays
// in cache while every row panel of A passes over it, and no packing, no
// blocks of k or n, no buffer but the scratch tile. It runs the tiles sweep
// would run with nc = NR, in the same order, with less bookkeeping a tile:
// measured end to end (goglove bench infer, int8, H = 1024, batch 256)
// the general nest was 5% slower, and 2-3% on the GEMV 1×1024×1024.
func (g *blocking[A, B, C]) sweepPanels(x *gemmArgs[A, B, C], buf *gemmBuf[A, B, C]) {
	MR, NR, m, n := g.mr, g.nr, x.m, x.n
	full := columnMask(NR)
	jc, off := 0, 0
	// Full panels: the kernels by row count, stored in place.
	for ; jc+NR <= n; jc, off = jc+NR, off+x.bStride {
		bp := &x.b[off]
		for ic := 0; ic < m; ic += MR {
			mr := min(MR, m-ic)
			g.inPlace[mr-1](x.k, &x.a[ic*x.lda], x.lda, 1, bp, NR, &x.c[ic*x.ldc+jc], x.ldc, x.alpha, 0, mr, full, &x.rs[ic])
		}
	}
	if jc == n {
		return
	}
	// The last, partial panel: the narrow kernels if it is narrow enough,
	// through the scratch tile unless the kernels mask or it fills the
	// tile.
	nr := n - jc
	ks, tw := g.inPlace, NR
	if nr <= g.narrow {
		ks, tw = g.inPlaceNarrow, g.narrow
	}
	bp, mask := &x.b[off], columnMask(nr)
	for ic := 0; ic < m; ic += MR {
		mr := min(MR, m-ic)
		ap, rs := &x.a[ic*x.lda], &x.rs[ic]
		if nr == tw || g.colsMasked {
			ks[mr-1](x.k, ap, x.lda, 1, bp, NR, &x.c[ic*x.ldc+jc], x.ldc, x.alpha, 0, mr, mask, rs)
			continue
		}
		ks[mr-1](x.k, ap, x.lda, 1, bp, NR, &buf.tile[0], tw, x.alpha, 0, mr, columnMask(tw), rs)
		mergeTile(buf.tile, tw, x.c[ic*x.ldc+jc:], x.ldc, mr, nr, 0)
	}
}

// mergeTile sets C[0:mr, 0:nr] = t + beta·C.
func mergeTile[C float32 | int32](t []C, ldt int, c []C, ldc, mr, nr int, beta float32) {
	for i := 0; i < mr; i++ {
		ti := t[i*ldt : i*ldt+nr]
		ci := c[i*ldc : i*ldc+nr]
		if beta == 0 {
			copy(ci, ti)
			continue
		}
		b := C(beta)
		for j, v := range ti {
			ci[j] = v + b*ci[j]
		}
	}
}

// packA copies rows ic..ic+mr and columns pc..pc+kc of op(A) into dst as
// kc groups of MR values (row-minor), padding rows mr..MR with zeros.
func packA[T any](dst []T, transA bool, a []T, lda, ic, pc, mr, kc, MR int) {
	dst = dst[:kc*MR]
	if transA {
		// op(A)(i, p) = A(p, i): row p of A holds the mr values contiguously.
		// An element loop: copy's memmove call costs more than six or
		// fourteen moves.
		var zero T
		for p := 0; p < kc; p++ {
			d := dst[p*MR : p*MR+MR]
			src := a[(pc+p)*lda+ic:][:mr]
			for r, v := range src {
				d[r] = v
			}
			for r := len(src); r < len(d); r++ {
				d[r] = zero
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
func packB[T any](dst []T, transB bool, b []T, ldb, pc, jc, kc, nc, NR int) {
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
