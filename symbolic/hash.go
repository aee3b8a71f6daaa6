package symbolic

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// Hash returns a 64-bit hash of v's structure and values. It is stable:
// the same value hashes the same in every process, on every platform and
// across releases of this package, so it can name programs in stores.
// Equal values have equal hashes (including 0 and -0, and every NaN).
func Hash(v Value) uint64 {
	h := hasher(hashSeed)
	h.value(v)
	return h.sum()
}

const (
	hashSeed = 0x9e3779b97f4a7c15
	hashMul1 = 0xa0761d6478bd642f
	hashMul2 = 0xe7037ed1a0b428db
)

// Kind markers keep, for example, the list [1] apart from the int 1.
const (
	hNull = iota + 1
	hFalse
	hTrue
	hInt
	hFloat
	hString
	hList
	hDict
	hObject
	hTagged
)

// hasher is a small multiply-xorshift hash (in the style of wyhash's
// mixing step) over 64-bit words; strings are consumed 8 bytes at a time.
type hasher uint64

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a^hashMul1, b^hashMul2)
	return hi ^ lo
}

func (h *hasher) word(w uint64) { *h = hasher(mix(uint64(*h), w)) }

func (h *hasher) str(s string) {
	h.word(uint64(len(s)))
	for len(s) >= 8 {
		h.word(binary.LittleEndian.Uint64([]byte(s[:8])))
		s = s[8:]
	}
	if len(s) > 0 {
		var tail uint64
		for i := 0; i < len(s); i++ {
			tail |= uint64(s[i]) << (8 * i)
		}
		h.word(tail)
	}
}

func (h *hasher) sum() uint64 { return mix(uint64(*h), hashSeed) }

func (h *hasher) value(v Value) {
	switch x := v.(type) {
	case nil, Null:
		h.word(hNull)
	case Bool:
		if x {
			h.word(hTrue)
		} else {
			h.word(hFalse)
		}
	case Int:
		h.word(hInt)
		h.word(uint64(x))
	case Float:
		f := float64(x)
		switch {
		case f == 0:
			f = 0 // -0 hashes as 0
		case math.IsNaN(f):
			f = math.NaN()
		}
		h.word(hFloat)
		h.word(math.Float64bits(f))
	case String:
		h.word(hString)
		h.str(string(x))
	case *List:
		h.word(hList)
		h.word(uint64(len(x.items)))
		for _, item := range x.items {
			h.value(item)
		}
	case *Dict:
		h.word(hDict)
		h.word(uint64(len(x.keys)))
		for i, k := range x.keys {
			h.str(k)
			h.value(x.vals[i])
		}
	case *Object:
		h.word(hObject)
		h.str(x.typ.name)
		for _, f := range x.fields {
			h.value(f)
		}
	case Tagged:
		h.word(hTagged)
		h.str(x.Tag())
		h.value(x.Content())
	}
}
