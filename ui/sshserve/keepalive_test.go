package sshserve

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"charm.land/log/v2"

	"matui/client/hub"
	"matui/client/sim"
	"matui/model"
	"matui/ui/pin"
)

// renewGate is a fake upstream whose first renewal waits for release.
type renewGate struct {
	*fakeUp
	entered chan struct{} // closed when the first renewal begins
	release chan struct{}
	first   bool
}

func (g *renewGate) RenewLease(ctx context.Context, in model.Instance, d time.Duration) (model.Instance, error) {
	if !g.first {
		g.first = true // the keeper renews one at a time
		close(g.entered)
		<-g.release
	}
	return g.fakeUp.RenewLease(ctx, in, d)
}

// Once the server shuts down the keep-alive sends no more renewals: the
// one in flight completes (and is audited), the others due are not sent.
// (They were: the loop sent every planned renewal after the stop.)
func TestKeeperStopsRenewingAtShutdown(t *testing.T) {
	now := time.Now()
	due := func(id string) model.Instance {
		return model.Instance{Generation: model.Gen2, ID: id, Name: id, Status: "RUNNING", Class: model.ClassRunning,
			AutoStop: model.AutoStop{Enabled: true, Type: model.LeaseTiming, Deadline: now.Add(5 * time.Minute)}}
	}
	up := newFakeUp()
	up.items = []model.Instance{due("i-a"), due("i-b")}
	g := &renewGate{fakeUp: up, entered: make(chan struct{}), release: make(chan struct{})}
	audit := &memAudit{}
	c := newConsole(g, false, hub.Options{}, audit)
	t.Cleanup(c.listing.Close)
	set, err := pin.NewSet(pin.DefaultMargin)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range up.items {
		if _, err := set.Add(in, time.Hour, now.Add(3*time.Hour), now, "op"); err != nil {
			t.Fatal(err)
		}
	}
	k := newKeeper(c, set, log.New(io.Discard))
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); k.once(ctx) }()
	<-g.entered
	stop() // Shutdown, while the first renewal is in flight
	close(g.release)
	<-done
	var renewals []string
	for _, call := range up.Calls() {
		if strings.HasPrefix(call, "renew ") {
			renewals = append(renewals, call)
		}
	}
	if len(renewals) != 1 {
		t.Fatalf("renewals sent = %v, want only the one in flight at shutdown", renewals)
	}
	if recs := audit.records(); len(recs) != 1 || recs[0].Action != "renew" || recs[0].Name != "keep-alive" || recs[0].Result != ResultOK {
		t.Fatalf("audit %+v", recs)
	}
}

// The keep-alive looks at the shared listing as a dashboard does: a quiet
// list younger than SlowAge serves its every 10 s look, so pins cost
// ModelArts no lists of their own. (Through a hub.Reader, which never
// hands the same reader a list twice once it is MinAge old, each look
// listed upstream: every 10 s, more often than the dashboards' PollSlow.)
func TestKeeperListsAtADashboardsPace(t *testing.T) {
	clk := sim.NewManualClock(time.Now())
	now := clk.Now()
	up := newFakeUp()
	up.items = []model.Instance{{Generation: model.Gen2, ID: "i-a", Name: "a", Status: "RUNNING", Class: model.ClassRunning,
		AutoStop: model.AutoStop{Enabled: true, Type: model.LeaseTiming, Deadline: now.Add(2 * time.Hour)}}}
	c := testConsole(t, up, hub.Options{MinAge: 2 * time.Second, SlowAge: 15 * time.Second, Now: clk.Now}, &memAudit{})
	set, err := pin.NewSet(pin.DefaultMargin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := set.Add(up.items[0], time.Hour, now.Add(3*time.Hour), now, "op"); err != nil {
		t.Fatal(err)
	}
	k := newKeeper(c, set, log.New(io.Discard))
	for i := range 3 { // at 0 s, 10 s and 20 s
		if i > 0 {
			clk.Advance(keepAliveEvery)
		}
		k.once(context.Background())
	}
	if n := up.listCount(); n != 2 {
		t.Fatalf("upstream lists over 20 s of keep-alive = %d, want 2 (one per SlowAge)", n)
	}
	if set.Len() != 1 || len(up.Calls()) != 0 {
		t.Fatalf("pins %d, calls %v: nothing was due", set.Len(), up.Calls())
	}
}

// A pin that ends in the server is logged with its reason: no session may
// be watching, and the PIN cell just goes. (It ended silently.)
func TestKeeperLogsAnEndedPin(t *testing.T) {
	now := time.Now()
	up := newFakeUp()
	gone := model.Instance{Generation: model.Gen2, ID: "i-gone", Name: "gone", Status: "RUNNING", Class: model.ClassRunning,
		AutoStop: model.AutoStop{Enabled: true, Type: model.LeaseTiming, Deadline: now.Add(2 * time.Hour)}}
	c := testConsole(t, up, hub.Options{}, &memAudit{})
	set, err := pin.NewSet(pin.DefaultMargin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := set.Add(gone, time.Hour, now.Add(3*time.Hour), now, "op (SHA256:op)"); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuf{}
	newKeeper(c, set, log.New(logs)).once(context.Background())
	if set.Len() != 0 {
		t.Fatal("the pin of an instance no longer listed is kept")
	}
	if l := logs.String(); !strings.Contains(l, "keep-alive ended") || !strings.Contains(l, "i-gone") || !strings.Contains(l, "instance deleted") {
		t.Fatalf("log %q", l)
	}
}
