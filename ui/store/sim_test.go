package store_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"matui/client"
	"matui/client/auth"
	"matui/client/sim"
	"matui/client/sim/fault"
	"matui/model"
	"matui/ui/store"
)

// simClient is the real client against the seeded demo simulator over
// loopback HTTP, on a clock that moves only when the test says so.
func simClient(t *testing.T) (*client.Client, *sim.Server, *sim.ManualClock) {
	t.Helper()
	clk := sim.NewManualClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	s, err := sim.New(sim.Options{Seed: 7, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	cr := s.Credentials()
	c, err := client.New(client.Options{
		Endpoint:   srv.URL,
		ProjectID:  cr.ProjectID,
		Auth:       auth.AKSK{AK: cr.AK, SK: cr.SK, Now: clk.Now},
		Now:        clk.Now,
		RateLimit:  rate.Inf,
		MaxRetries: -1,
		Sleep:      func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, s, clk
}

func countBySource(s *store.Store) [store.NumSources]int {
	var n [store.NumSources]int
	for _, in := range s.Instances() {
		n[store.SourceOf(&in)]++
	}
	return n
}

// Issue 13 item 4: after a good load, a 5xx on the Gen 2 list made every
// Gen 2 row vanish (27 rows became 8). With the real client's partial
// listing, the Gen 2 rows stay, stale with the error, and Gen 1 is fresh.
func TestFailedGen2PollKeepsGen2RowsStale(t *testing.T) {
	c, sv, clk := simClient(t)
	st := store.New()
	items, err := c.ListInstances(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	st.Listed(items, err, clk.Now())
	before := countBySource(st)
	if before[store.Notebooks] == 0 || before[store.CodeLab] != 1 || before[store.Gen1] == 0 {
		t.Fatalf("demo rows by source %v: want notebooks, one CodeLab and Gen 1", before)
	}

	sv.Faults().Set([]fault.Rule{{Route: "notebooks.list", Error5xx: 1}})
	clk.Advance(15 * time.Second)
	items, err = c.ListInstances(t.Context())
	if err == nil {
		t.Fatal("the faulty listing succeeded")
	}
	st.Listed(items, err, clk.Now())
	if got := countBySource(st); got != before {
		t.Errorf("rows by source after a failed Gen 2 poll: %v, want %v", got, before)
	}
	for _, src := range []store.Source{store.Notebooks, store.CodeLab} {
		if ss := st.Source(src); !ss.Stale() || !ss.StaleSince.Equal(clk.Now()) {
			t.Errorf("%v after its listing failed: %+v", src, ss)
		}
	}
	if ss := st.Source(store.Gen1); ss.Stale() || !ss.Listed.Equal(clk.Now()) {
		t.Errorf("gen1 answered but: %+v", ss)
	}

	// Gen 1 failing instead: its rows stay and Gen 2 recovers.
	sv.Faults().Set([]fault.Rule{{Route: "dev.list", Error5xx: 1}})
	clk.Advance(15 * time.Second)
	items, err = c.ListInstances(t.Context())
	st.Listed(items, err, clk.Now())
	if got := countBySource(st); got != before {
		t.Errorf("rows by source after a failed Gen 1 poll: %v, want %v", got, before)
	}
	if !st.Source(store.Gen1).Stale() || st.Source(store.Notebooks).Stale() || st.Source(store.CodeLab).Stale() {
		t.Errorf("gen1 %+v, notebooks %+v, codelab %+v", st.Source(store.Gen1), st.Source(store.Notebooks), st.Source(store.CodeLab))
	}
}

// An action's answer from the real client patches the row before the next
// poll: stop answers STOPPING, which replaces the optimistic STOPPING.
func TestStopAnswerPatchesRow(t *testing.T) {
	c, _, clk := simClient(t)
	st := store.New()
	items, err := c.ListInstances(t.Context())
	st.Listed(items, err, clk.Now())
	var target model.Instance
	for _, in := range st.Instances() {
		if in.Generation == model.Gen2 && in.Status == "RUNNING" && store.SourceOf(&in) == store.Notebooks {
			target = in
			break
		}
	}
	if target.ID == "" {
		t.Fatal("no running Gen 2 notebook in the demo")
	}
	st.Expect(target.ID, "STOPPING", clk.Now())
	answer, err := c.StopInstance(t.Context(), target)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Patch(answer) {
		t.Fatalf("the stop answer %+v did not patch the row", answer)
	}
	clk.Advance(store.ExpectFor)
	st.Expire(clk.Now()) // no optimistic state left to expire: the answer is the server's
	if got, _ := st.Get(target.ID); got.Status != "STOPPING" {
		t.Errorf("after the answer and %v: %s", store.ExpectFor, got.Status)
	}
}
