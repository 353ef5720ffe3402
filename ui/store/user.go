package store

import (
	"time"

	"matui/model"
)

// Expect shows status on the row of id (STOPPING after a stop was sent)
// while the server still reports the row's current status, for at most
// ExpectFor from now. A second Expect replaces the first but keeps the
// server status it started from; expecting that status itself ends the
// expectation. It reports whether the row changed: not when id is unknown,
// status is empty, or the server already says status.
func (s *Store) Expect(id, status string, now time.Time) bool {
	i, ok := s.index[id]
	if !ok || status == "" {
		return false
	}
	e, had := s.expect[id]
	if !had {
		e = expectation{from: s.rows[i].Status, class: s.rows[i].Class}
	}
	if status == e.from { // nothing to expect: the server says so already
		if had {
			s.unexpect(id, e)
			s.bump()
		}
		return had
	}
	e.status, e.until = status, now.Add(ExpectFor)
	s.expect[id] = e
	if s.rows[i].Status == status {
		return false
	}
	s.setStatus(i, status, model.ClassTransitional)
	s.bump()
	return true
}

// Forget ends the optimistic status of id (its action failed): the row
// shows the server's status again. It reports whether there was one.
func (s *Store) Forget(id string) bool {
	e, ok := s.expect[id]
	if !ok {
		return false
	}
	s.unexpect(id, e)
	s.bump()
	return true
}

func (s *Store) unexpect(id string, e expectation) {
	delete(s.expect, id)
	if i, ok := s.index[id]; ok {
		s.setStatus(i, e.from, e.class)
	}
}

// Created shows a created instance (the create's answer) until a listing
// reports it, for at most CreatedFor from now. A zero Instance is ignored,
// and so is an ID already listed: the listing's row is as new. It reports
// whether the row was added.
func (s *Store) Created(inst model.Instance, now time.Time) bool {
	if inst.ID == "" {
		return false
	}
	if _, ok := s.index[inst.ID]; ok {
		return false
	}
	i := len(s.rows)
	s.put(i, &inst)
	s.meta[i] = rowMeta{src: SourceOf(&inst)}
	s.created[inst.ID] = now.Add(CreatedFor)
	s.bump()
	return true
}

// Patch replaces the row of inst.ID with inst, the instance as an action
// or an update answered (see the package comment for the rules). It
// reports whether it did: not for a zero Instance or an unknown ID.
func (s *Store) Patch(inst model.Instance) bool {
	i, ok := s.index[inst.ID]
	if inst.ID == "" || !ok {
		return false
	}
	s.put(i, &inst)
	for src := range s.sources {
		so := &s.sources[src]
		if !so.loading {
			continue
		}
		if so.guard == nil {
			so.guard = map[string]struct{}{}
		}
		so.guard[inst.ID] = struct{}{}
	}
	s.bump()
	return true
}

// Expire ends what has outlived its time at now: optimistic statuses past
// ExpectFor and created rows past CreatedFor that no listing reported. It
// costs the number of those entries, whatever the number of rows, and
// reports whether anything changed.
func (s *Store) Expire(now time.Time) bool {
	changed := false
	for id, e := range s.expect {
		if !now.Before(e.until) {
			s.unexpect(id, e)
			changed = true
		}
	}
	for id, until := range s.created {
		if !now.Before(until) {
			s.remove(s.index[id])
			changed = true
		}
	}
	if changed {
		s.bump()
	}
	return changed
}

// Found merges the answer of a query beside the listings (the dashboard's
// tag search asks the service for the notebooks carrying a tag): each
// instance is a server row. A known row is replaced unless the store holds
// a newer one (a later Updated, or an action's answer a listing in progress
// must not overwrite); an unknown one joins its source as if the source's
// current or last listing had reported it, so that listing's End keeps it
// and the next full one drops it if the service no longer lists it. It
// does not count towards a listing's progress. It reports whether anything
// was written.
func (s *Store) Found(items []model.Instance) bool {
	changed := false
	for i := range items {
		in := &items[i]
		if in.ID == "" {
			continue
		}
		src := SourceOf(in)
		so := &s.sources[src]
		j, known := s.index[in.ID]
		switch {
		case !known:
			j = len(s.rows)
			s.put(j, in)
			s.meta[j] = rowMeta{src: src, seen: so.epoch}
		case s.rows[j].Updated.After(in.Updated):
			continue
		default:
			if _, patched := so.guard[in.ID]; patched {
				continue
			}
			s.put(j, in)
		}
		delete(s.created, in.ID)
		changed = true
	}
	if changed {
		s.bump()
	}
	return changed
}
