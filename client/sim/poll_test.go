package sim_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"matui/client"
	"matui/client/auth"
	"matui/client/sim"
	"matui/client/sim/fault"
	"matui/model"
)

// counted is a simulator behind a request counter, with a client for the
// dashboard (cl) and one for the colleague who changes things behind its
// back (other).
type counted struct {
	s         *sim.Server
	clk       *sim.ManualClock
	cl, other *client.Client
	mu        sync.Mutex
	reqs      []string                       // "GET /notebooks?…" (path below the project, query)
	mkc       func(ua string) *client.Client // another client of the simulator (ua "dashboard" is counted)
}

func newCounted(t testing.TB, opts sim.Options) *counted {
	t.Helper()
	s, clk := newManualSim(t, opts)
	c := &counted{s: s, clk: clk}
	cr := s.Credentials()
	hs := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") == "dashboard" {
			c.mu.Lock()
			c.reqs = append(c.reqs, r.Method+" "+strings.TrimPrefix(r.URL.Path, "/v1/"+cr.ProjectID)+"?"+r.URL.RawQuery)
			c.mu.Unlock()
		}
		s.ServeHTTP(w, r)
	}))
	c.mkc = func(ua string) *client.Client {
		cl, err := client.New(client.Options{Endpoint: hs.URL, ProjectID: cr.ProjectID, UserAgent: ua,
			Auth: auth.AKSK{AK: cr.AK, SK: cr.SK, Now: clk.Now}, Now: clk.Now, RateLimit: rate.Inf,
			Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}) // retries without waiting
		if err != nil {
			t.Fatal(err)
		}
		return cl
	}
	c.cl, c.other = c.mkc("dashboard"), c.mkc("colleague")
	return c
}

// take returns the dashboard's requests since the last call.
func (c *counted) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.reqs
	c.reqs = nil
	return r
}

// takeListings takes the dashboard's requests since the last take and
// counts its pages of GET /notebooks with feature (NOTEBOOK or DEFAULT).
func (c *counted) takeListings(feature string) int {
	n := 0
	for _, r := range c.take() {
		if strings.HasPrefix(r, "GET /notebooks?") && strings.Contains(r, "feature="+feature) {
			n++
		}
	}
	return n
}

// poll runs one poll into snap.
func poll(t testing.TB, p *client.Poller, snap *client.Snapshot) error {
	t.Helper()
	return p.Poll(context.Background(), snap.Apply)
}

// truth is what the service holds, listed in full by the colleague's
// client: generation/id → status.
func (c *counted) truth(t testing.TB, all bool) map[string]string {
	t.Helper()
	insts, err := c.other.ListInstancesWith(context.Background(), client.ListOptions{AllUsers: all})
	if err != nil {
		t.Fatal(err)
	}
	return statuses(insts)
}

func statuses(insts []model.Instance) map[string]string {
	m := make(map[string]string, len(insts))
	for _, in := range insts {
		m[fmt.Sprintf("%v/%s", in.Generation, in.ID)] = in.Status + " " + in.Name
	}
	return m
}

// diff names what differs between the dashboard's rows and the truth.
func diff(got, want map[string]string) []string {
	var d []string
	for k, v := range want {
		if got[k] != v {
			d = append(d, fmt.Sprintf("%s: %q, want %q", k, got[k], v))
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			d = append(d, fmt.Sprintf("%s: %q, gone", k, v))
		}
	}
	slices.Sort(d)
	return d
}

// With nothing changing, a steady-state poll costs two requests whatever
// the project's size: one page of Gen 2 notebooks by update_at and the
// Gen 1 listing (CodeLab is skipped, the flavor catalog cached).
func TestPollerSteadyStateCostsTwoRequests(t *testing.T) {
	for _, n := range []int{0, 2500} { // the demo set; 2,000 Gen 2 + 500 Gen 1
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			c := newCounted(t, sim.Options{Seed: 1, Instances: n})
			p := c.cl.NewPoller(client.PollerOptions{})
			var snap client.Snapshot
			if err := poll(t, p, &snap); err != nil {
				t.Fatal(err)
			}
			first := c.take()
			if d := diff(statuses(snap.Instances()), c.truth(t, false)); len(d) > 0 {
				t.Fatalf("after the first poll: %v", d)
			}
			for range 3 {
				if err := poll(t, p, &snap); err != nil {
					t.Fatal(err)
				}
				reqs := c.take()
				if len(reqs) > 2 {
					t.Fatalf("steady-state poll sent %d requests (first poll %d): %v", len(reqs), len(first), reqs)
				}
				if !strings.Contains(reqs[0], "sort_key=update_at") {
					t.Errorf("not incremental: %v", reqs)
				}
			}
		})
	}
}

// A creation, a deletion and a status change made behind the dashboard's
// back all appear within two polls; so does a deletion the poller saw
// start (DELETING), found by looking the instance up instead of a full
// listing.
func TestPollerSeesChangesBehindItsBack(t *testing.T) {
	c := newCounted(t, sim.Options{Seed: 1, Instances: 600})
	ctx := context.Background()
	p := c.cl.NewPoller(client.PollerOptions{})
	var snap client.Snapshot
	if err := poll(t, p, &snap); err != nil {
		t.Fatal(err)
	}
	c.take()
	var running, stopped []model.Instance
	for _, in := range snap.Instances() {
		if in.Generation == model.Gen2 && in.Feature == "NOTEBOOK" {
			switch in.Status {
			case "RUNNING":
				running = append(running, in)
			case "STOPPED":
				stopped = append(stopped, in)
			}
		}
	}
	// Behind its back: create, delete, stop — then time passes so the
	// deletion is done before the next poll (never seen DELETING).
	created, err := c.other.CreateNotebook(ctx, model.CreateNotebookRequest{Name: "behind-the-back", Flavor: "modelarts.vm.cpu.2u",
		ImageID: "e1a07296-22a8-4f05-8bc8-e936c8e54090", Volume: model.VolumeReq{Category: "EFS", Ownership: "MANAGED"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.other.DeleteNotebook(ctx, stopped[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.other.StopNotebook(ctx, running[0].ID); err != nil {
		t.Fatal(err)
	}
	c.clk.Advance(10 * time.Second)
	converged := func(what string, polls int) {
		t.Helper()
		for i := range polls {
			if err := poll(t, p, &snap); err != nil {
				t.Fatal(err)
			}
			if len(diff(statuses(snap.Instances()), c.truth(t, false))) == 0 {
				t.Logf("%s: converged after %d poll(s), %d requests", what, i+1, len(c.take()))
				return
			}
		}
		t.Fatalf("%s: after %d polls: %v", what, polls, diff(statuses(snap.Instances()), c.truth(t, false)))
	}
	converged("create, delete, stop", 2)
	rows := statuses(snap.Instances())
	if !strings.HasPrefix(rows["gen2/"+created.ID], "CREATING") && !strings.HasPrefix(rows["gen2/"+created.ID], "RUNNING") ||
		rows["gen2/"+stopped[0].ID] != "" || !strings.HasPrefix(rows["gen2/"+running[0].ID], "STOPPED") {
		t.Fatalf("rows: new %q, deleted %q, stopped %q", rows["gen2/"+created.ID], rows["gen2/"+stopped[0].ID], rows["gen2/"+running[0].ID])
	}

	// A deletion seen under way: the next poll after it is done looks the
	// instance up (one request) instead of listing everything.
	if _, err := c.other.DeleteNotebook(ctx, stopped[1].ID); err != nil {
		t.Fatal(err)
	}
	c.clk.Advance(time.Second)
	if err := poll(t, p, &snap); err != nil {
		t.Fatal(err)
	}
	if st := statuses(snap.Instances())["gen2/"+stopped[1].ID]; !strings.HasPrefix(st, "DELETING") {
		t.Fatalf("deleting instance shows %q", st)
	}
	c.take()
	c.clk.Advance(10 * time.Second)
	converged("deletion seen DELETING", 1)
	if err := poll(t, p, &snap); err != nil { // steady again
		t.Fatal(err)
	}
	if reqs := c.take(); len(reqs) > 2 {
		t.Errorf("after the lookup: %d requests: %v", len(reqs), reqs)
	}
}

// The periodic resync lists everything in full; Resync forces it.
func TestPollerResyncs(t *testing.T) {
	c := newCounted(t, sim.Options{Seed: 1, Instances: 300}) // 240 Gen 2: 5 pages
	p := c.cl.NewPoller(client.PollerOptions{ResyncEvery: time.Minute})
	var snap client.Snapshot
	pages := func() int { return c.takeListings(client.FeatureNotebook) }
	_ = poll(t, p, &snap)
	if n := pages(); n != 5 {
		t.Fatalf("first poll: %d Gen 2 pages", n)
	}
	_ = poll(t, p, &snap)
	if n := pages(); n != 1 {
		t.Fatalf("steady poll: %d Gen 2 pages", n)
	}
	c.clk.Advance(time.Minute)
	_ = poll(t, p, &snap)
	if n := pages(); n != 5 {
		t.Fatalf("poll after the resync interval: %d Gen 2 pages", n)
	}
	p.Resync()
	_ = poll(t, p, &snap)
	if n := pages(); n != 5 {
		t.Fatalf("poll after Resync: %d Gen 2 pages", n)
	}
}

// A failed Gen 2 poll keeps the Gen 2 rows, marked stale with the error;
// the next good poll clears it.
func TestPollerFailedGen2KeepsRowsStale(t *testing.T) {
	c := newCounted(t, sim.Options{Seed: 1})
	p := c.cl.NewPoller(client.PollerOptions{})
	var snap client.Snapshot
	if err := poll(t, p, &snap); err != nil {
		t.Fatal(err)
	}
	before := snap.Len()
	rules, err := fault.Parse("notebooks.list:5xx=1")
	if err != nil {
		t.Fatal(err)
	}
	c.s.Faults().Set(rules)
	err = poll(t, p, &snap)
	if err == nil || snap.Len() != before || snap.Stale()[client.SourceNotebooks] == nil {
		t.Fatalf("failed poll: err %v, %d rows (had %d), stale %v", err, snap.Len(), before, snap.Stale())
	}
	c.s.Faults().Set(nil)
	if err := poll(t, p, &snap); err != nil || len(snap.Stale()) != 0 || snap.Len() != before {
		t.Fatalf("recovered poll: err %v, stale %v, %d rows", err, snap.Stale(), snap.Len())
	}
}

// The all-users scope shows a colleague's notebook with its owner; a
// non-admin's credentials get IsNotAdmin after one request, and the user's
// own listing still works.
func TestPollerAllUsers(t *testing.T) {
	c := newCounted(t, sim.Options{Seed: 1})
	p := c.cl.NewPoller(client.PollerOptions{AllUsers: true})
	var snap client.Snapshot
	if err := poll(t, p, &snap); err != nil {
		t.Fatal(err)
	}
	owners := map[string]string{}
	for _, in := range snap.Instances() {
		owners[in.Name] = in.Owner
	}
	if owners["li-wei-dataset-clean"] != "li.wei" || owners["maria-vision-t4"] != "maria.schmidt" || owners["li-wei-legacy-gpu"] != "li.wei" {
		t.Fatalf("owners: %v", owners)
	}
	if d := diff(statuses(snap.Instances()), c.truth(t, true)); len(d) > 0 {
		t.Fatal(d)
	}

	u := newCounted(t, sim.Options{Seed: 1, NotAdmin: true})
	err := u.cl.NewPoller(client.PollerOptions{AllUsers: true}).Poll(context.Background(), func(client.Page) {})
	if !client.IsNotAdmin(err) {
		t.Fatalf("non-admin: %v", err)
	}
	if reqs := u.take(); len(reqs) != 1 {
		t.Fatalf("non-admin sent %d requests: %v", len(reqs), reqs)
	}
	var own client.Snapshot
	if err := u.cl.NewPoller(client.PollerOptions{}).Poll(context.Background(), own.Apply); err != nil || own.Len() == 0 {
		t.Fatalf("fallback to own instances: %v, %d rows", err, own.Len())
	}
}

// CodeLab is skipped by steady-state polls, and listed again when the
// dashboard says it acted on it (it opened it) or while it is changing.
func TestPollerCodeLabOnDemand(t *testing.T) {
	c := newCounted(t, sim.Options{Seed: 1})
	p := c.cl.NewPoller(client.PollerOptions{})
	var snap client.Snapshot
	codeLabCalls := func() int { return c.takeListings(client.FeatureCodeLab) }
	_ = poll(t, p, &snap)
	if codeLabCalls() != 1 {
		t.Fatal("first poll did not list CodeLab")
	}
	// The demo's CodeLab instance is RUNNING with a lease 41 min away.
	_ = poll(t, p, &snap)
	if n := codeLabCalls(); n != 0 {
		t.Fatalf("steady poll listed CodeLab %d times", n)
	}
	var cl model.Instance
	for _, in := range snap.Instances() {
		if in.Feature == "DEFAULT" {
			cl = in
		}
	}
	if _, err := c.cl.StopNotebook(context.Background(), cl.ID); err != nil {
		t.Fatal(err)
	}
	cl.Status = "STOPPING"
	p.Touched(cl)
	_ = poll(t, p, &snap)
	if n := codeLabCalls(); n != 1 {
		t.Fatalf("poll after Touched listed CodeLab %d times", n)
	}
	// STOPPING is transitional: listed until it settles.
	c.clk.Advance(10 * time.Second)
	_ = poll(t, p, &snap)
	if n := codeLabCalls(); n != 1 {
		t.Fatalf("poll while CodeLab was changing listed it %d times", n)
	}
	_ = poll(t, p, &snap)
	if n := codeLabCalls(); n != 0 {
		t.Fatalf("CodeLab settled (STOPPED) but listed %d times", n)
	}
	for _, in := range snap.Instances() {
		if in.ID == cl.ID && in.Status != "STOPPED" {
			t.Fatalf("CodeLab shows %s", in.Status)
		}
	}
}
