package scheduler

import "math/bits"

// bitset marks grid cells; bit k is cell k.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

// setRange sets cells [lo, hi).
func (b bitset) setRange(lo, hi int) {
	if lo < 0 {
		lo = 0
	}
	if max := len(b) * 64; hi > max {
		hi = max
	}
	for lo < hi {
		w, off := lo>>6, uint(lo&63)
		n := min(64-int(off), hi-lo)
		b[w] |= mask(off, n)
		lo += n
	}
}

// clearRange clears cells [lo, hi).
func (b bitset) clearRange(lo, hi int) {
	if lo < 0 {
		lo = 0
	}
	if max := len(b) * 64; hi > max {
		hi = max
	}
	for lo < hi {
		w, off := lo>>6, uint(lo&63)
		n := min(64-int(off), hi-lo)
		b[w] &^= mask(off, n)
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
