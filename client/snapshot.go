package client

import "matui/model"

// Snapshot is the set of instances a sequence of pages describes, applied
// the way a dashboard keeps its rows: the reference implementation of the
// Page contract, used by `matui list` and the tests (a dashboard with its
// own row store applies the same rules). Not safe for concurrent use.
//
//   - Instances are upserted by (Generation, ID).
//   - Removed IDs are deleted.
//   - A Last page with Complete deletes the rows of its Source that no
//     page of that listing (since its First page) carried.
//   - A Last page with Err marks its Source stale with that error: its
//     rows stand. A later Last page without Err clears it.
type Snapshot struct {
	rows  []model.Instance
	from  []Source // the source each row came from, parallel to rows
	at    map[rowKey]int
	seen  map[Source]map[rowKey]struct{} // full listings in progress
	stale map[Source]error
	prog  map[Source]progress // full listings in progress
}

type rowKey struct {
	gen model.Generation
	id  string
}

type progress struct{ listed, total int }

// Apply applies one page.
func (s *Snapshot) Apply(p Page) {
	if s.at == nil {
		s.at, s.seen, s.stale, s.prog = map[rowKey]int{}, map[Source]map[rowKey]struct{}{}, map[Source]error{}, map[Source]progress{}
	}
	if p.Source == SourceFlavors {
		s.setStale(p.Source, p.Err)
		return
	}
	full := !p.Incremental
	if full && p.First {
		s.seen[p.Source] = map[rowKey]struct{}{}
	}
	seen := s.seen[p.Source]
	for _, in := range p.Instances {
		k := rowKey{in.Generation, in.ID}
		if i, ok := s.at[k]; ok {
			s.rows[i], s.from[i] = in, p.Source
		} else {
			s.at[k] = len(s.rows)
			s.rows = append(s.rows, in)
			s.from = append(s.from, p.Source)
		}
		if full && seen != nil {
			seen[k] = struct{}{}
		}
	}
	if len(p.Removed) > 0 {
		gone := map[string]bool{}
		for _, id := range p.Removed {
			gone[id] = true
		}
		s.drop(func(i int) bool { return s.from[i] == p.Source && gone[s.rows[i].ID] })
	}
	if full && !p.Last {
		s.prog[p.Source] = progress{p.Listed, p.Total}
	}
	if !p.Last {
		return
	}
	delete(s.prog, p.Source)
	s.setStale(p.Source, p.Err)
	if full && p.Complete && seen != nil {
		s.drop(func(i int) bool {
			_, ok := seen[rowKey{s.rows[i].Generation, s.rows[i].ID}]
			return s.from[i] == p.Source && !ok
		})
	}
	if full {
		delete(s.seen, p.Source)
	}
}

func (s *Snapshot) setStale(src Source, err error) {
	if err != nil {
		s.stale[src] = err
	} else {
		delete(s.stale, src)
	}
}

// drop deletes the rows gone reports, keeping the others in order.
func (s *Snapshot) drop(gone func(i int) bool) {
	j := 0
	for i := range s.rows {
		if gone(i) {
			delete(s.at, rowKey{s.rows[i].Generation, s.rows[i].ID})
			continue
		}
		s.rows[j], s.from[j] = s.rows[i], s.from[i]
		s.at[rowKey{s.rows[j].Generation, s.rows[j].ID}] = j
		j++
	}
	clear(s.rows[j:])
	s.rows, s.from = s.rows[:j], s.from[:j]
}

// Instances returns the rows in the order they first arrived. The slice
// is the Snapshot's own: read it, do not keep it across Apply.
func (s *Snapshot) Instances() []model.Instance { return s.rows }

// Len is the number of rows.
func (s *Snapshot) Len() int { return len(s.rows) }

// Stale returns the error each source's last listing failed with (the
// flavor catalog included); empty when every source is fresh.
func (s *Snapshot) Stale() map[Source]error { return s.stale }

// Loading reports the progress of the full listings in progress: how many
// instances they have delivered of how many the server counts (a header's
// "loading 2,350 / 10,000"). ok is false when none is in progress.
func (s *Snapshot) Loading() (listed, total int, ok bool) {
	for _, p := range s.prog {
		listed += p.listed
		total += max(p.total, 0)
	}
	return listed, total, len(s.prog) > 0
}
