package store

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"matui/model"
)

// FuzzOps runs any sequence of calls and checks after each that the
// store's invariants hold (see check), that a call reports a change exactly
// when the version moved, and that a Full listing that ended well leaves its
// source only the rows it reported (or created rows).
func FuzzOps(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 3, 2, 0, 0, 4, 1, 2, 8, 60})
	f.Add([]byte{3, 9, 1, 6, 4, 0, 1, 1, 7, 7, 3, 3, 8, 30, 2, 1, 0})
	f.Add([]byte{6, 5, 0, 4, 0, 3, 1, 2, 5, 7, 2, 8, 200, 9, 2})
	statuses := []string{"RUNNING", "STOPPED", "STOPPING", "STARTING", "CREATING", "CREATE_QUEUING"}
	f.Fuzz(func(t *testing.T, ops []byte) {
		s := New()
		now := t0
		var reported [NumSources]map[string]bool
		next := func() byte {
			if len(ops) == 0 {
				return 0
			}
			b := ops[0]
			ops = ops[1:]
			return b
		}
		inst := func() model.Instance {
			b := next()
			id := "i" + strconv.Itoa(int(b%12))
			st := statuses[int(b/12)%len(statuses)]
			switch b % 3 {
			case 0:
				return nb(id, st)
			case 1:
				return codelab(id, st)
			}
			return dev(id, st)
		}
		items := func() []model.Instance {
			out := make([]model.Instance, next()%5)
			for i := range out {
				out[i] = inst()
			}
			return out
		}
		for len(ops) > 0 {
			v := s.Version()
			changed, reports := false, true
			src := Source(next() % uint8(NumSources))
			switch next() % 10 {
			case 0:
				kind := Kind(next() % 2)
				s.Begin(src, kind)
				reports = false
				reported[src] = map[string]bool{}
				if kind == Changes {
					reported[src] = nil
				}
			case 1:
				page := items()
				changed = s.Page(src, page)
				if s.sources[src].loading && reported[src] != nil {
					for _, in := range page {
						reported[src][in.ID] = true
					}
				}
			case 2:
				var err error
				if next()%2 == 0 {
					err = errors.New("boom")
				}
				full := s.sources[src].loading && reported[src] != nil
				changed = s.End(src, err, now)
				if err == nil && full {
					for i, m := range s.meta {
						id := s.rows[i].ID
						if _, c := s.created[id]; m.src == src && !reported[src][id] && !c {
							t.Fatalf("%s of %v survived a complete listing that did not report it", id, src)
						}
					}
				}
				reported[src] = nil
			case 3:
				var err error
				switch next() % 3 {
				case 1:
					err = partial(src.String())
				case 2:
					err = errors.New("down")
				}
				changed = s.Listed(items(), err, now)
				reported = [NumSources]map[string]bool{}
			case 4:
				changed = s.Expect(inst().ID, statuses[int(next())%len(statuses)], now)
			case 5:
				changed = s.Forget(inst().ID)
			case 6:
				changed = s.Created(inst(), now)
			case 7:
				changed = s.Patch(inst())
			case 8:
				now = now.Add(time.Duration(next()) * time.Second)
				changed = s.Expire(now)
			case 9:
				changed = s.Remove(inst().ID)
			}
			check(t, s)
			if reports && changed != (s.Version() != v) {
				t.Fatalf("reported change %v, version %d → %d", changed, v, s.Version())
			}
			if s.Version() < v {
				t.Fatal("version went back")
			}
		}
	})
}
