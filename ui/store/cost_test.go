package store

import (
	"strconv"
	"testing"
	"time"

	"matui/model"
)

// big is a store listing n notebooks, every tenth one transitional, with
// two optimistic stops and a created row pending.
func big(tb testing.TB, n int) (*Store, []model.Instance) {
	tb.Helper()
	items := make([]model.Instance, n)
	for i := range items {
		st := "RUNNING"
		if i%10 == 0 {
			st = "STARTING"
		}
		items[i] = nb("nb-"+strconv.Itoa(i), st)
	}
	s := New()
	s.Listed(items, nil, t0)
	s.Expect("nb-1", "STOPPING", t0)
	s.Expect("nb-2", "STOPPING", t0)
	s.Created(nb("fresh", "CREATING"), t0)
	return s, items
}

// Issue 10: at 100,000 instances a tick allocates nothing, and what it
// asks of the store does not grow with the rows (Expire walks the pending
// entries only; see BenchmarkTick).
func TestTickAllocatesNothing(t *testing.T) {
	s, _ := big(t, 100_000)
	now := t0.Add(time.Second)
	if a := testing.AllocsPerRun(100, func() {
		if s.Expire(now) {
			t.Fatal("nothing is due yet")
		}
		_ = s.Changing()
		_ = s.Version()
		_ = s.Instances()
		_, _ = s.Get("nb-5")
		_ = s.Source(Notebooks)
	}); a != 0 {
		t.Errorf("a tick allocates %v times", a)
	}
}

// Polls that cost what changed: an incremental poll of one row, and even a
// full listing of rows already known, allocate nothing.
func TestListingKnownRowsAllocatesNothing(t *testing.T) {
	s, items := big(t, 100_000)
	one := []model.Instance{nb("nb-7", "STOPPING")}
	if a := testing.AllocsPerRun(20, func() {
		s.Begin(Notebooks, Changes)
		s.Page(Notebooks, one)
		s.End(Notebooks, nil, t0)
	}); a != 0 {
		t.Errorf("an incremental poll of one row allocates %v times", a)
	}
	if a := testing.AllocsPerRun(3, func() {
		s.Begin(Notebooks, Full)
		s.Page(Notebooks, items[:50_000])
		s.Page(Notebooks, items[50_000:])
		s.End(Notebooks, nil, t0)
	}); a != 0 {
		t.Errorf("a full listing of known rows allocates %v times", a)
	}
	check(t, s)
	if s.Len() != len(items)+1 { // + the created row
		t.Errorf("%d rows", s.Len())
	}
}

func BenchmarkTick(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			s, _ := big(b, n)
			now := t0.Add(time.Second)
			for b.Loop() {
				s.Expire(now)
				_ = s.Changing()
			}
		})
	}
}

func BenchmarkIncrementalPoll(b *testing.B) {
	s, _ := big(b, 100_000)
	one := []model.Instance{nb("nb-7", "STOPPING")}
	for b.Loop() {
		s.Begin(Notebooks, Changes)
		s.Page(Notebooks, one)
		s.End(Notebooks, nil, t0)
	}
}

func BenchmarkFullListing100k(b *testing.B) {
	s, items := big(b, 100_000)
	for b.Loop() {
		s.Listed(items, nil, t0)
	}
}
