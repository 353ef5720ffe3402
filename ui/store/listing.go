package store

import (
	"errors"
	"time"

	"matui/client"
	"matui/model"
)

// Begin starts a listing of src (see the package comment); a listing
// already in progress starts over, and the rows patched since it began
// stay protected from its pages.
func (s *Store) Begin(src Source, kind Kind) {
	so := &s.sources[src]
	if !so.loading {
		so.guard = nil
	}
	so.loading, so.kind, so.seen = true, kind, 0
	so.epoch++
}

// Keep turns the listing of src in progress into one that drops nothing at
// its End: it carries only what changed (an incremental poll), or it
// turned out not to have seen every row (the list shifted while paging).
func (s *Store) Keep(src Source) { s.sources[src].kind = Changes }

// Page puts rows src reported into the merged list at once. An item
// without an ID is skipped (there is no row to put it in). It reports
// whether anything was written.
func (s *Store) Page(src Source, items []model.Instance) bool {
	changed := false
	for i := range items {
		changed = s.report(src, &items[i]) || changed
	}
	if changed {
		s.bump()
	}
	return changed
}

// report is one row of a page of src.
func (s *Store) report(src Source, inst *model.Instance) bool {
	if inst.ID == "" {
		return false
	}
	so := &s.sources[src]
	i, known := s.index[inst.ID]
	if known && so.loading && s.meta[i].src == src && s.meta[i].seen == so.epoch {
		so.seen-- // reported twice: counted once below
	}
	if !known {
		i = len(s.rows)
	}
	if _, patched := so.guard[inst.ID]; !patched || !known {
		s.put(i, inst)
	}
	delete(s.created, inst.ID) // listed now: a row like any other
	s.meta[i] = rowMeta{src: src, seen: so.epoch}
	if so.loading {
		so.seen++
	}
	return true
}

// End ends the listing of src: err nil means it completed (see the package
// comment for what is dropped and kept). It reports whether the merged list
// or the source's staleness changed.
func (s *Store) End(src Source, err error, now time.Time) bool {
	so := &s.sources[src]
	changed := false
	if err == nil {
		if so.loading && so.kind == Full {
			changed = s.dropUnreported(src, so.epoch)
		}
		changed = changed || so.err != nil
		so.listed, so.staleSince, so.err = now, time.Time{}, nil
	} else {
		if so.err == nil {
			so.staleSince = now
			changed = true
		}
		so.err = err
	}
	so.loading, so.seen, so.guard = false, 0, nil
	if changed {
		s.bump()
	}
	return changed
}

// dropUnreported removes the rows of src the listing numbered epoch did not
// report, except created rows (the create may be newer than the listing).
// It walks down so that the row swapped into a hole was already looked at.
func (s *Store) dropUnreported(src Source, epoch uint32) bool {
	dropped := false
	for i := len(s.rows) - 1; i >= 0; i-- {
		if m := s.meta[i]; m.src != src || m.seen == epoch {
			continue
		}
		if _, ok := s.created[s.rows[i].ID]; ok {
			continue
		}
		s.remove(i)
		dropped = true
	}
	return dropped
}

// Remove drops the rows of ids, whatever their source (deletions an
// incremental poll learned of). It reports whether any was there.
func (s *Store) Remove(ids ...string) bool {
	changed := false
	for _, id := range ids {
		if i, ok := s.index[id]; ok {
			s.remove(i)
			changed = true
		}
	}
	if changed {
		s.bump()
	}
	return changed
}

// Listed merges a whole ui.Backend.ListInstances result: each source's
// items as one Full listing of it (begun now unless Begin began it when the
// request was sent), ended with that source's error. It reports whether
// anything changed.
func (s *Store) Listed(items []model.Instance, err error, now time.Time) bool {
	v := s.version
	failed := sourceErrors(err)
	for src := range NumSources {
		if !s.sources[src].loading {
			s.Begin(src, Full)
		}
	}
	wrote := false
	for i := range items {
		wrote = s.report(SourceOf(&items[i]), &items[i]) || wrote
	}
	if wrote {
		s.bump()
	}
	for src := range NumSources {
		s.End(src, failed[src], now)
	}
	return s.version != v
}

// flavorsPart is the PartFailure.What of the flavor catalog: without it the
// rows only lose spec details, so no source is stale for it.
const flavorsPart = "flavors"

// sourceErrors splits a listing's error by source. A *client.PartialError
// names its failed parts; any other error, or a part this store does not
// know, concerns every source, which then keeps its rows: dropping rows
// because a name changed would be worse than showing them stale.
func sourceErrors(err error) (out [NumSources]error) {
	if err == nil {
		return out
	}
	var pe *client.PartialError
	if !errors.As(err, &pe) {
		for src := range out {
			out[src] = err
		}
		return out
	}
	for _, f := range pe.Failed {
		if f.What == flavorsPart {
			continue
		}
		if src, ok := sourceNamed(f.What); ok {
			out[src] = f.Err
			continue
		}
		for src := range out {
			if out[src] == nil {
				out[src] = f.Err
			}
		}
	}
	return out
}

func sourceNamed(what string) (Source, bool) {
	for src := range NumSources {
		if src.String() == what {
			return src, true
		}
	}
	return 0, false
}
