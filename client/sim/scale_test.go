package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// Every change to a notebook bumps its update_at to the time the change
// happened: an incremental poll (sort_key=update_at, sort_dir=DESC) finds
// changes by it. Lazily computed transitions carry the time they happened,
// not the time of the request that computed them.
func TestUpdateAtBumpsOnEveryChange(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	id := ts.nbID("archive-2023") // STOPPED
	show := "/notebooks/" + id
	upd := func() int64 { return num(ts.ok("GET", show, nil)["update_at"]) }
	step := func(what string, do func()) {
		t.Helper()
		ts.advance(time.Second)
		at := ts.nowMs()
		do()
		if got := upd(); got != at {
			t.Errorf("%s: update_at %d, want %d (the time of the change)", what, got, at)
		}
	}
	step("update", func() { ts.ok("PUT", show, map[string]any{"description": "touched"}) })
	step("tag", func() {
		code, b, _ := ts.do("POST", show+"/tags/create", `{"tags":[{"key":"team","value":"vision"}]}`)
		if code/100 != 2 {
			t.Fatalf("tags: %d %s", code, b)
		}
	})
	started := ts.nowMs() + 1000
	step("start", func() { ts.ok("POST", show+"/start?duration=3600000", nil) })
	// STARTING → RUNNING is computed when the next request arrives, an
	// hour later; it happened startMs after the start.
	ts.advance(time.Hour - 10*time.Second)
	if got := ts.ok("GET", show, nil); got["status"] != "RUNNING" || num(got["update_at"]) != started+startMs {
		t.Fatalf("lazy RUNNING: %v at %v, want %d", got["status"], got["update_at"], started+startMs)
	}
	step("renew", func() { ts.ok("PATCH", show+"/lease", map[string]any{"duration": 7200000}) })
	step("stop", func() { ts.ok("POST", show+"/stop", nil) })
	step("delete of another", func() { ts.ok("DELETE", show, nil) })
}

func TestListSortedByUpdateAtAndName(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	check := func(q string, less func(a, b map[string]any) bool) []any {
		t.Helper()
		data := list(ts.ok("GET", "/notebooks?limit=100&"+q, nil)["data"])
		for i := 1; i < len(data); i++ {
			if less(obj(data[i]), obj(data[i-1])) {
				t.Fatalf("%s: item %d out of order", q, i)
			}
		}
		return data
	}
	// check fails when an item belongs before the one above it.
	newer := func(a, b map[string]any) bool { return num(a["update_at"]) > num(b["update_at"]) }
	check("sort_key=update_at&sort_dir=DESC", newer)
	check("sort_key=update_at&sort_dir=ASC", func(a, b map[string]any) bool { return newer(b, a) })
	check("sort_key=name&sort_dir=ASC", func(a, b map[string]any) bool { return a["name"].(string) < b["name"].(string) })
	check("sort_key=create_at&sort_dir=DESC", func(a, b map[string]any) bool { return num(a["create_at"]) > num(b["create_at"]) })

	// The notebook changed last comes first, whatever changed before; the
	// order follows every change (the index is kept up to date, not
	// re-sorted from scratch).
	for i, name := range []string{"archive-2023", "long-description", "big-gpu-job", "archive-2023"} {
		ts.advance(time.Second + 7*time.Millisecond) // off the demo's transitions, which fall on whole seconds
		ts.ok("PUT", "/notebooks/"+ts.nbID(name), map[string]any{"description": fmt.Sprint("change ", i)})
		first := obj(list(ts.ok("GET", "/notebooks?limit=10&sort_key=update_at&sort_dir=DESC", nil)["data"])[0])
		if first["name"] != name {
			t.Fatalf("after changing %s the newest is %v", name, first["name"])
		}
	}
	// A rename moves the notebook in the name order.
	id := ts.nbID("archive-2023")
	ts.ok("PUT", "/notebooks/"+id, map[string]any{"name": "aaa-first"})
	if first := obj(list(ts.ok("GET", "/notebooks?limit=1&sort_key=name&sort_dir=ASC", nil)["data"])[0]); first["id"] != id {
		t.Fatalf("renamed notebook not first by name: %v", first["name"])
	}
	// A created notebook is the newest; a deleted one leaves both orders.
	ts.advance(time.Second)
	nid := ts.ok("POST", "/notebooks", createBody("000-new", "modelarts.vm.cpu.2u", cpuImage))["id"].(string)
	for _, q := range []string{"sort_key=update_at&sort_dir=DESC", "sort_key=name&sort_dir=ASC"} {
		if first := obj(list(ts.ok("GET", "/notebooks?limit=1&"+q, nil)["data"])[0]); first["id"] != nid {
			t.Fatalf("%s: new notebook not first: %v", q, first["name"])
		}
	}
	ts.ok("DELETE", "/notebooks/"+nid, nil)
	ts.advance(time.Minute)
	for _, q := range []string{"sort_key=update_at&sort_dir=DESC", "sort_key=name&sort_dir=DESC", "sort_key=status"} {
		if strings.Contains(ts.raw("GET", "/notebooks?limit=100&"+q), nid) {
			t.Fatalf("%s: deleted notebook still listed", q)
		}
	}
	ts.fail("GET", "/notebooks?sort_key=flavor", nil, "ModelArts.6303")
}

// GET /notebooks/all answers an administrator's credentials with every
// user's notebooks and refuses others' with 403 ModelArts.0108; the owner
// filter applies for administrators.
func TestListAllNeedsAdmin(t *testing.T) {
	admin := newSim(t, Options{Seed: 1})
	all := list(admin.ok("GET", "/notebooks/all?limit=100", nil)["data"])
	own := list(admin.ok("GET", "/notebooks?limit=100", nil)["data"])
	owners := map[string]int{}
	for _, it := range all {
		owners[obj(obj(it)["user"])["name"].(string)]++
	}
	if len(owners) < 3 || owners["sim-user"] != len(own) || len(all) < len(own)+3 {
		t.Fatalf("/all owners %v (own %d)", owners, len(own))
	}
	for _, it := range own {
		if obj(obj(it)["user"])["name"] != "sim-user" {
			t.Fatalf("/notebooks lists a colleague's notebook: %v", obj(it)["name"])
		}
	}
	var liID string
	for _, it := range all {
		if u := obj(obj(it)["user"]); u["name"] == "li.wei" {
			liID = u["id"].(string)
		}
	}
	for _, path := range []string{"/notebooks/all", "/notebooks"} {
		byOwner := list(admin.ok("GET", path+"?limit=100&owner="+liID, nil)["data"])
		if len(byOwner) != owners["li.wei"] {
			t.Errorf("%s owner=li.wei: %d notebooks, want %d", path, len(byOwner), owners["li.wei"])
		}
	}
	admin.fail("GET", "/notebooks/all?owner=Not-An-ID", nil, "ModelArts.0107")

	// Gen 1: show_self=false lists colleagues' instances for an admin.
	devs := list(admin.ok("GET", "/demanager/instances?de_type=Notebook&show_self=false", nil)["instances"])
	mine := list(admin.ok("GET", "/demanager/instances?de_type=Notebook", nil)["instances"])
	if len(devs) <= len(mine) {
		t.Errorf("show_self=false: %d instances, own %d", len(devs), len(mine))
	}

	user := newSim(t, Options{Seed: 1, NotAdmin: true})
	code, b, _ := user.do("GET", "/notebooks/all", nil)
	if code != 403 || !strings.Contains(string(b), `"ModelArts.0108"`) {
		t.Fatalf("non-admin /notebooks/all: %d %s", code, b)
	}
	if n := len(list(user.ok("GET", "/notebooks?limit=100&owner="+liID, nil)["data"])); n != len(own) {
		t.Errorf("a non-admin's owner filter is ignored: %d, want own %d", n, len(own))
	}
	if n := len(list(user.ok("GET", "/demanager/instances?de_type=Notebook&show_self=false", nil)["instances"])); n != len(mine) {
		t.Errorf("a non-admin's show_self=false lists %d, want own %d", n, len(mine))
	}
}

// The demo's colleagues' instances take their IDs from a stream of their
// own: the user's instances keep the IDs they had before colleagues were
// added (goldens and scripts rely on them). Pinned for seed 1.
func TestColleaguesDoNotShiftIDs(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	for name, want := range map[string]string{
		"train-resnet50":    "61ed3250-3c7c-43f0-96eb-b0269a64ab99",
		"pool-cpu":          "ed108733-5c68-4197-bd1b-9df2e46097ed",
		"notebook_5ee4bf0e": "f90b5182-1059-4f93-831f-719864b30ce0",
	} {
		if got := ts.nbID(name); got != want {
			t.Errorf("%s: ID %s, want %s", name, got, want)
		}
	}
	if got := ts.devID("dev-start-failed"); got != "DE-d3190453-5962-11eb-8797-0255ac10b5be" {
		t.Errorf("dev-start-failed: ID %s", got)
	}
}

// BenchmarkListPage100000 is one listing request against 100,000
// instances (80,000 Gen 2): the first page a dashboard asks for, the
// steady-state incremental page, and the same after a change (the
// update_at order is brought up to date, not re-sorted).
func BenchmarkListPage100000(b *testing.B) {
	ts := newSim(b, Options{Seed: 1, Instances: MaxInstances})
	get := func(q string) {
		if code, body, _ := ts.do("GET", "/notebooks?limit=50&"+q, nil); code != 200 {
			b.Fatal(code, string(body))
		}
	}
	get("sort_key=update_at&sort_dir=DESC")
	id := obj(list(ts.ok("GET", "/notebooks?limit=1", nil)["data"])[0])["id"].(string)
	for _, c := range []struct{ name, q string }{
		{"default", "feature=NOTEBOOK"},
		{"update_at", "feature=NOTEBOOK&sort_key=update_at&sort_dir=DESC"},
		{"update_at-after-change", "feature=NOTEBOOK&sort_key=update_at&sort_dir=DESC"},
		{"name-offset-40000", "feature=NOTEBOOK&sort_key=name&offset=40000"},
	} {
		b.Run(c.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if c.name == "update_at-after-change" {
					b.StopTimer()
					i++
					ts.advance(time.Millisecond)
					ts.ok("PUT", "/notebooks/"+id, map[string]any{"description": fmt.Sprint("change ", i)})
					b.StartTimer()
				}
				get(c.q)
			}
		})
	}
}

// The update_at and name orders stay exact through random creations,
// deletions, renames, starts, stops and lazily computed transitions, and
// after more changes than the change log keeps (the index is rebuilt).
func TestSortIndexesFollowRandomChanges(t *testing.T) {
	ts := newSim(t, Options{Seed: 3})
	rng := rand.New(rand.NewPCG(3, 3))
	all := func() map[string]map[string]any {
		m := map[string]map[string]any{}
		for off := 0; ; off += 100 {
			data := list(ts.ok("GET", fmt.Sprintf("/notebooks?limit=100&offset=%d", off), nil)["data"])
			for _, it := range data {
				m[obj(it)["id"].(string)] = obj(it)
			}
			if len(data) < 100 {
				return m
			}
		}
	}
	verify := func(step int) {
		t.Helper()
		want := all()
		for _, c := range []struct {
			q     string
			after func(a, b map[string]any) bool // a must not come after b
		}{
			{"sort_key=update_at&sort_dir=DESC", func(a, b map[string]any) bool { return num(a["update_at"]) > num(b["update_at"]) }},
			{"sort_key=name&sort_dir=ASC", func(a, b map[string]any) bool { return a["name"].(string) < b["name"].(string) }},
		} {
			var got []any
			for off := 0; ; off += 100 {
				data := list(ts.ok("GET", fmt.Sprintf("/notebooks?limit=100&offset=%d&%s", off, c.q), nil)["data"])
				got = append(got, data...)
				if len(data) < 100 {
					break
				}
			}
			if len(got) != len(want) {
				t.Fatalf("step %d %s: %d notebooks, want %d", step, c.q, len(got), len(want))
			}
			for i, it := range got {
				nb := obj(it)
				if want[nb["id"].(string)] == nil {
					t.Fatalf("step %d %s: %v is not in the default listing", step, c.q, nb["name"])
				}
				if i > 0 && c.after(nb, obj(got[i-1])) {
					t.Fatalf("step %d %s: %v before %v", step, c.q, obj(got[i-1])["name"], nb["name"])
				}
			}
		}
	}
	ids := func() []string {
		var out []string
		for id := range all() {
			out = append(out, id)
		}
		slices.Sort(out)
		return out
	}
	for step := range 150 {
		ts.advance(time.Duration(rng.IntN(4000)) * time.Millisecond)
		cur := ids()
		id := cur[rng.IntN(len(cur))]
		switch rng.IntN(6) {
		case 0:
			ts.do("POST", "/notebooks", createBody(fmt.Sprintf("r%03d-%d", step, rng.IntN(1000)), "modelarts.vm.cpu.2u", cpuImage))
		case 1:
			ts.do("DELETE", "/notebooks/"+id, nil)
		case 2:
			ts.do("PUT", "/notebooks/"+id, map[string]any{"name": fmt.Sprintf("n%03d-%d", rng.IntN(1000), step)})
		case 3:
			ts.do("POST", "/notebooks/"+id+"/start", nil)
		case 4:
			ts.do("POST", "/notebooks/"+id+"/stop", nil)
		case 5:
			ts.advance(time.Duration(rng.IntN(3600)) * time.Second)
		}
		if step%10 == 0 {
			verify(step)
		}
	}
	// More changes than the log keeps, with no listing in between.
	var id string
	for nid, nb := range all() {
		if nb["status"] == "STOPPED" || nb["status"] == "RUNNING" {
			id = nid
		}
	}
	for i := range maxChangeLog + 10 {
		ts.advance(time.Millisecond)
		if code, b, _ := ts.do("POST", "/notebooks/"+id+"/tags/create", fmt.Sprintf(`{"tags":[{"key":"k","value":"v%d"}]}`, i)); code/100 != 2 {
			t.Fatalf("tag: %d %s", code, b)
		}
	}
	verify(-1)
}
