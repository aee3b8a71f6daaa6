//go:build !purego

#include "textflag.h"

// Packing routines of the AVX-512 GEMM (see packA512 and packB512 in
// gemm_amd64.go): A micro-panels of 14 rows and B panels of 32 columns.

// 0, 1, …, 15 as int32: lane numbers for the gather indexes.
DATA lanes<>+0(SB)/4, $0
DATA lanes<>+4(SB)/4, $1
DATA lanes<>+8(SB)/4, $2
DATA lanes<>+12(SB)/4, $3
DATA lanes<>+16(SB)/4, $4
DATA lanes<>+20(SB)/4, $5
DATA lanes<>+24(SB)/4, $6
DATA lanes<>+28(SB)/4, $7
DATA lanes<>+32(SB)/4, $8
DATA lanes<>+36(SB)/4, $9
DATA lanes<>+40(SB)/4, $10
DATA lanes<>+44(SB)/4, $11
DATA lanes<>+48(SB)/4, $12
DATA lanes<>+52(SB)/4, $13
DATA lanes<>+56(SB)/4, $14
DATA lanes<>+60(SB)/4, $15
GLOBL lanes<>(SB), RODATA|NOPTR, $64

// func packAN512(dst, a *float32, lda, kc int, rowMask uint32)
// dst[p·14+r] = a[r·lda+p] for the rows r in rowMask, else 0; p < kc.
TEXT ·packAN512(SB), NOSPLIT, $0-36
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), AX
	MOVQ kc+24(FP), CX
	MOVL rowMask+32(FP), BX
	VPBROADCASTD AX, Z2
	VMOVDQU32 lanes<>(SB), Z1
	VPMULLD Z2, Z1, Z1
	MOVL $0x3fff, DX
	KMOVW DX, K3
	SHLQ $2, AX
	TESTQ CX, CX
	JEQ packAN512_done

packAN512_loop:
	// Every 16 columns (one cache line of each row), prefetch the rows'
	// lines four ahead: the 14 row streams come from L3 and a gather waits
	// for its slowest lane.
	TESTQ $15, CX
	JNE packAN512_gather
	MOVQ SI, R10
	MOVQ $14, R11

packAN512_prefetch:
	PREFETCHT0 256(R10)
	ADDQ AX, R10
	DECQ R11
	JNZ packAN512_prefetch

packAN512_gather:
	KMOVW BX, K1
	VPXORD Z0, Z0, Z0
	VGATHERDPS (SI)(Z1*4), K1, Z0
	VMOVUPS Z0, K3, (DI)
	ADDQ $4, SI
	ADDQ $56, DI
	DECQ CX
	JNZ packAN512_loop

packAN512_done:
	VZEROUPPER
	RET

// func packAT512(dst, a *float32, lda, kc int, rowMask uint32)
// dst[p·14+r] = a[p·lda+r] for the rows r in rowMask, else 0; p < kc.
TEXT ·packAT512(SB), NOSPLIT, $0-36
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), AX
	SHLQ $2, AX
	MOVQ kc+24(FP), CX
	MOVL rowMask+32(FP), BX
	KMOVW BX, K1
	MOVL $0x3fff, DX
	KMOVW DX, K3
	TESTQ CX, CX
	JEQ packAT512_done

packAT512_loop:
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS Z0, K3, (DI)
	ADDQ AX, SI
	ADDQ $56, DI
	DECQ CX
	JNZ packAT512_loop

packAT512_done:
	VZEROUPPER
	RET

// func packBN512(dst, b *float32, ldb, kc int, colMask uint32)
// dst[p·32+j] = b[p·ldb+j] for the columns j in colMask, else 0; p < kc.
TEXT ·packBN512(SB), NOSPLIT, $0-36
	MOVQ dst+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ ldb+16(FP), AX
	SHLQ $2, AX
	MOVQ kc+24(FP), CX
	MOVL colMask+32(FP), BX
	KMOVW BX, K1
	SHRL $16, BX
	KMOVW BX, K2
	TESTQ CX, CX
	JEQ packBN512_done

packBN512_loop:
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z 64(SI), K2, Z1
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	ADDQ AX, SI
	ADDQ $128, DI
	DECQ CX
	JNZ packBN512_loop

packBN512_done:
	VZEROUPPER
	RET

// func packBT512(dst, b *float32, ldb, kc int, colMask uint32)
// dst[p·32+j] = b[j·ldb+p] for the columns j in colMask, else 0; p < kc.
TEXT ·packBT512(SB), NOSPLIT, $0-36
	MOVQ dst+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ ldb+16(FP), AX
	MOVQ kc+24(FP), CX
	MOVL colMask+32(FP), BX
	MOVL BX, DX
	SHRL $16, DX
	VPBROADCASTD AX, Z2
	VMOVDQU32 lanes<>(SB), Z1
	VPMULLD Z2, Z1, Z1
	SHLQ $4, AX
	VPBROADCASTD AX, Z2
	VPADDD Z2, Z1, Z3
	TESTQ CX, CX
	JEQ packBT512_done

packBT512_loop:
	KMOVW BX, K1
	KMOVW DX, K2
	VPXORD Z0, Z0, Z0
	VPXORD Z4, Z4, Z4
	VGATHERDPS (SI)(Z1*4), K1, Z0
	VGATHERDPS (SI)(Z3*4), K2, Z4
	VMOVUPS Z0, (DI)
	VMOVUPS Z4, 64(DI)
	ADDQ $4, SI
	ADDQ $128, DI
	DECQ CX
	JNZ packBT512_loop

packBT512_done:
	VZEROUPPER
	RET
