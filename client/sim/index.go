package sim

import (
	"cmp"
	"slices"
)

// Listing at 100,000 instances.
//
// A dashboard asks for one page of the notebooks sorted by update_at on
// every poll, and a script pages through all of them in the default order.
// Re-sorting 80,000 notebooks after each change (a lease that ran out, a
// start) made each such request an O(N log N) sort; counting the total
// made each an O(N) scan. Instead:
//
//   - sortIndex keeps the update_at and name orders, and applies the
//     changes logged since its last use (changeLog) one by one: a binary
//     search, a delete and an insert each (a memmove of the entries).
//   - listCounts keeps the totals per feature and owner, recounted in one
//     pass when a notebook was added or removed, so a page filtered by nothing else
//     reads only as far into the order as its offset and limit reach.

// maxChangeLog bounds the change log; an index that fell further behind
// (nobody sorted by its key for that long) is rebuilt from scratch.
const maxChangeLog = 4096

// logChange records that nb changed, appeared or disappeared.
func (st *state) logChange(nb *notebook) {
	if len(st.changes) >= maxChangeLog {
		st.changesBase += uint64(len(st.changes))
		clear(st.changes)
		st.changes = st.changes[:0]
	}
	st.changes = append(st.changes, nb)
}

// sortIndex keeps the notebooks in ascending (key, creation) order.
type sortIndex[K cmp.Ordered] struct {
	key func(*notebook) K
	// placed is where the index keeps, in each notebook, the key the
	// notebook was placed under and whether it is in the index: a changed
	// notebook's old entry is found by binary search.
	placed  func(*notebook) (*K, *bool)
	entries []*notebook
	upto    uint64 // the change log position the entries are up to date with
	built   bool
}

func (x *sortIndex[K]) cmpAt(k K, nb *notebook, e *notebook) int {
	ek, _ := x.placed(e)
	return cmp.Or(cmp.Compare(*ek, k), cmpNBCreate(e, nb))
}

// order returns the notebooks in ascending order, up to date with st.
func (x *sortIndex[K]) order(st *state) []*notebook {
	end := st.changesBase + uint64(len(st.changes))
	pending := end - x.upto
	if !x.built || x.upto < st.changesBase || pending > uint64(len(x.entries)/16+64) {
		x.rebuild(st)
		x.upto = end
		return x.entries
	}
	if pending == 0 {
		return x.entries
	}
	done := make(map[*notebook]bool, pending)
	for _, nb := range st.changes[x.upto-st.changesBase:] {
		if done[nb] {
			continue
		}
		done[nb] = true
		k, in := x.placed(nb)
		if *in {
			if !nb.gone && x.key(nb) == *k {
				continue
			}
			if i, ok := slices.BinarySearchFunc(x.entries, nb, func(e, t *notebook) int { return x.cmpAt(*k, t, e) }); ok && x.entries[i] == nb {
				x.entries = slices.Delete(x.entries, i, i+1)
			}
			*in = false
		}
		if nb.gone {
			continue
		}
		*k, *in = x.key(nb), true
		i, _ := slices.BinarySearchFunc(x.entries, nb, func(e, t *notebook) int { return x.cmpAt(*k, t, e) })
		x.entries = slices.Insert(x.entries, i, nb)
	}
	x.upto = end
	return x.entries
}

func (x *sortIndex[K]) rebuild(st *state) {
	x.entries = slices.Clone(st.nbs)
	for _, nb := range x.entries {
		k, in := x.placed(nb)
		*k, *in = x.key(nb), true
	}
	slices.SortFunc(x.entries, func(a, b *notebook) int {
		kb, _ := x.placed(b)
		return x.cmpAt(*kb, b, a) // a against b
	})
	x.built = true
}

// listCounts are the numbers of notebooks per feature and owner, as of
// state.members (a notebook's feature and owner never change).
type listCounts struct {
	members uint64
	valid   bool
	byOwner map[countKey]int
	byFeat  map[string]int
}

type countKey struct {
	feature string
	owner   *user
}

// counts returns the totals, recounting in one pass when something changed.
func (st *state) counts() *listCounts {
	c := &st.listCounts
	if c.valid && c.members == st.members {
		return c
	}
	c.byOwner, c.byFeat = map[countKey]int{}, map[string]int{}
	for _, nb := range st.nbs {
		c.byOwner[countKey{nb.feature, nb.owner}]++
		c.byFeat[nb.feature]++
	}
	c.members, c.valid = st.members, true
	return c
}

// total is the number of notebooks of feature a list without other
// filters has: owner's (a user ID) when set, else everyone's (all) or me's.
func (c *listCounts) total(feature, owner string, all bool, me *user) int {
	switch {
	case owner != "":
		n := 0
		for k, v := range c.byOwner {
			if k.feature == feature && k.owner.ID == owner {
				n += v
			}
		}
		return n
	case all:
		return c.byFeat[feature]
	}
	return c.byOwner[countKey{feature, me}]
}
