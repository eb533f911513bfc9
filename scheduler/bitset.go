package scheduler

import (
	"math/bits"
	"slices"
)

// bitset marks grid cells; bit k is cell k.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

// setRange sets cells [lo, hi).
func (b bitset) setRange(lo, hi int) { b.fillRange(lo, hi, true) }

// clearRange clears cells [lo, hi).
func (b bitset) clearRange(lo, hi int) { b.fillRange(lo, hi, false) }

// fillRange sets (on) or clears cells [lo, hi), clipped to the set.
func (b bitset) fillRange(lo, hi int, on bool) {
	lo, hi = max(lo, 0), min(hi, len(b)*64)
	for lo < hi {
		w, off := lo>>6, uint(lo&63)
		n := min(64-int(off), hi-lo)
		if on {
			b[w] |= mask(off, n)
		} else {
			b[w] &^= mask(off, n)
		}
		lo += n
	}
}

// allSet reports whether cells [lo, hi) are all set.
func (b bitset) allSet(lo, hi int) bool {
	if lo < 0 || hi > len(b)*64 {
		return false
	}
	for lo < hi {
		w, off := lo>>6, uint(lo&63)
		n := min(64-int(off), hi-lo)
		m := mask(off, n)
		if b[w]&m != m {
			return false
		}
		lo += n
	}
	return true
}

func (b bitset) count() int {
	c := 0
	for _, w := range b {
		c += bits.OnesCount64(w)
	}
	return c
}

func mask(off uint, n int) uint64 {
	if n >= 64 {
		return ^uint64(0)
	}
	return ((uint64(1) << uint(n)) - 1) << off
}

// has reports whether cell k is set.
func (b bitset) has(k int) bool {
	return k >= 0 && k>>6 < len(b) && b[k>>6]&(1<<uint(k&63)) != 0
}

// runs returns the cells k where [k, k+n) is all set: the starts of an
// n-cell interview. Doubling shifts make it O(words · log n), so a plan
// tests each start once instead of walking n cells per start.
func (b bitset) runs(n int) bitset {
	r := slices.Clone(b)
	for have := 1; have < n; {
		step := min(have, n-have)
		r.andShifted(step)
		have += step
	}
	return r
}

// andShifted sets b = b & (b >> s): cell k stays set only if cell k+s is.
func (b bitset) andShifted(s int) {
	w, off := s>>6, uint(s&63)
	for i := range b {
		var v uint64
		if i+w < len(b) {
			v = b[i+w] >> off
			if off != 0 && i+w+1 < len(b) {
				v |= b[i+w+1] << (64 - off)
			}
		}
		b[i] &= v
	}
}

// next returns the first set cell at or after k, or -1.
func (b bitset) next(k int) int {
	if k < 0 {
		k = 0
	}
	i := k >> 6
	if i >= len(b) {
		return -1
	}
	if w := b[i] >> uint(k&63); w != 0 {
		return k + bits.TrailingZeros64(w)
	}
	for i++; i < len(b); i++ {
		if b[i] != 0 {
			return i<<6 + bits.TrailingZeros64(b[i])
		}
	}
	return -1
}
