package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

const (
	cpuImage   = "e1a07296-22a8-4f05-8bc8-e936c8e54090"
	torchImage = "278e88d1-5b71-4766-8502-b3ba72e824d9"
	msImage    = "7f3e2d1c-0b9a-4887-a6b5-c4d3e2f1a0b9"
)

func createBody(name, flavor, image string) map[string]any {
	return map[string]any{
		"name": name, "flavor": flavor, "image_id": image, "description": "api-test",
		"volume": map[string]any{"category": "EVS", "ownership": "MANAGED", "capacity": 10},
		"lease":  map[string]any{"duration": 3600000, "type": "timing"},
	}
}

func TestUnknownPathWrongProjectAndHeaders(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	code, b, h := ts.do("GET", "/v1/"+ts.pid+"/notebooks/x/nonsense", nil)
	if code != http.StatusNotFound || !strings.Contains(string(b), `"error_code":"APIG.0101"`) || !strings.Contains(string(b), `"request_id"`) {
		t.Fatalf("unknown path: %d %s", code, b)
	}
	code, _, _ = ts.do("PATCH", "/notebooks", nil)
	if code != http.StatusNotFound {
		t.Fatalf("unknown method: %d", code)
	}
	ts.fail("GET", "/v1/0123456789abcdef0123456789abcdef/notebooks", nil, "ModelArts.0210")
	ts.fail("GET", "/v1/0123456789abcdef0123456789abcdef/demanager/instances?de_type=Notebook", nil, "ModelArts.0210")

	ts.advance(90 * time.Second)
	_, _, h = ts.do("GET", "/notebooks", nil)
	if got, want := h.Get("Date"), t0.Add(90*time.Second).Format(http.TimeFormat); got != want {
		t.Errorf("Date = %q, want the sim clock %q", got, want)
	}
	if len(h.Get("X-Request-Id")) != 32 {
		t.Errorf("X-Request-Id = %q", h.Get("X-Request-Id"))
	}
	ts.fail("GET", "/notebooks/00000000-0000-4000-8000-000000000000", nil, "ModelArts.6404")
	if msg := ts.fail("GET", "/notebooks/nope", nil, "ModelArts.6404"); msg != "Notebook not found" {
		t.Errorf("not-found message %q", msg)
	}
}

func TestSeedDeterminism(t *testing.T) {
	a, b := newSim(t, Options{Seed: 42}), newSim(t, Options{Seed: 42})
	for _, p := range []string{"/notebooks?limit=100", "/notebooks/all?limit=100", "/notebooks?feature=DEFAULT",
		"/demanager/instances?de_type=Notebook&show_self=false", "/notebooks/flavors", "/images"} {
		if x, y := a.raw("GET", p), b.raw("GET", p); x != y {
			t.Errorf("%s differs between two simulators with the same seed", p)
		}
	}
	if a.s.Credentials() != b.s.Credentials() {
		t.Error("credentials differ for the same seed")
	}
	c := newSim(t, Options{Seed: 43})
	if a.raw("GET", "/notebooks?limit=100") == strings.ReplaceAll(c.raw("GET", "/notebooks?limit=100"), c.pid, a.pid) {
		t.Error("different seeds gave identical lists")
	}
	// The demo covers both generations and every interesting state.
	seen := map[string]bool{}
	for _, it := range list(a.ok("GET", "/notebooks/all?limit=100", nil)["data"]) {
		seen[obj(it)["status"].(string)] = true
	}
	for _, it := range list(a.ok("GET", "/demanager/instances?de_type=Notebook", nil)["instances"]) {
		seen["gen1:"+obj(it)["status"].(string)] = true
	}
	for _, s := range []string{"RUNNING", "STOPPED", "CREATING", "STARTING", "STOPPING", "CREATE_FAILED", "START_FAILED",
		"gen1:RUNNING", "gen1:STOPPED", "gen1:CREATING", "gen1:CREATE_QUEUING", "gen1:START_FAILED"} {
		if !seen[s] {
			t.Errorf("demo data has no %s instance", s)
		}
	}
}

func TestCreateProgressAndLeaseExpiry(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	created := ts.nowMs()
	nb := ts.ok("POST", "/notebooks", createBody("notebooks_test", "modelarts.vm.cpu.2u", cpuImage))
	id := nb["id"].(string)
	if nb["status"] != "CREATING" || nb["feature"] != "NOTEBOOK" || num(obj(nb["volume"])["capacity"]) != 10 {
		t.Fatalf("create response: %v", nb)
	}
	l := obj(nb["lease"])
	if num(l["create_at"]) != created || num(l["duration"]) != 3600000 || l["enable"] != true || l["type"] != "TIMING" {
		t.Fatalf("lease at create: %v", l)
	}
	steps := func() string {
		var s []string
		for _, p := range list(ts.ok("GET", "/notebooks/"+id, nil)["action_progress"]) {
			s = append(s, fmt.Sprintf("%v:%v", num(obj(p)["step"]), obj(p)["status"]))
		}
		return strings.Join(s, " ")
	}
	want := []string{
		"1:WAITING 2:WAITING 3:WAITING 4:WAITING",
		"1:PROCESSING 2:WAITING 3:WAITING 4:WAITING",
		"1:COMPLETED 2:PROCESSING 3:WAITING 4:WAITING",
		"1:COMPLETED 2:COMPLETED 3:PROCESSING 4:WAITING",
		"1:COMPLETED 2:COMPLETED 3:COMPLETED 4:PROCESSING",
	}
	for i, w := range want {
		if got := steps(); got != w {
			t.Fatalf("after %d steps: progress %q, want %q", i, got, w)
		}
		ts.advance(stepMs * time.Millisecond)
	}
	got := ts.ok("GET", "/notebooks/"+id, nil)
	running := created + createMs
	if got["status"] != "RUNNING" || got["action_progress"] != nil {
		t.Fatalf("after creation: %v", got)
	}
	// Reference §5: the timer starts when the instance is actually running.
	l = obj(got["lease"])
	if num(l["create_at"]) != created || leaseExpiry(l) != running+3600000 || num(l["update_at"]) != running {
		t.Fatalf("lease after running: %v (running at %d)", l, running)
	}

	// Expiry: still running 1 ms before, STOPPING at it, STOPPED 4 s later.
	ts.clk.Set(time.UnixMilli(running + 3600000 - 1))
	if s := ts.ok("GET", "/notebooks/"+id, nil)["status"]; s != "RUNNING" {
		t.Fatalf("1 ms before expiry: %v", s)
	}
	ts.advance(time.Millisecond)
	if s := ts.ok("GET", "/notebooks/"+id, nil)["status"]; s != "STOPPING" {
		t.Fatalf("at expiry: %v", s)
	}
	ts.advance(stopMs * time.Millisecond)
	got = ts.ok("GET", "/notebooks/"+id, nil)
	if got["status"] != "STOPPED" || num(got["update_at"]) != running+3600000+stopMs {
		t.Fatalf("after expiry: %v", got)
	}
}

func TestClockJumpAppliesEveryTransitionAtItsTime(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	created := ts.nowMs()
	id := ts.ok("POST", "/notebooks", createBody("jump", "modelarts.vm.cpu.2u", cpuImage))["id"].(string)
	ts.advance(5 * time.Hour)
	got := ts.ok("GET", "/notebooks/"+id, nil)
	if got["status"] != "STOPPED" || num(got["update_at"]) != created+createMs+3600000+stopMs {
		t.Fatalf("after a 5 h jump: %v %v", got["status"], got["update_at"])
	}
}

func TestStartStopStateMachine(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	id := ts.nbID("archive-2023") // STOPPED
	show := "/notebooks/" + id

	ts.rejects("POST", show+"/stop", nil, "ModelArts.6357", show)
	ts.rejects("POST", show+"/start?duration=60000", nil, "ModelArts.6349", show)
	ts.rejects("POST", show+"/start?duration=abc", nil, "ModelArts.6332", show)
	ts.rejects("POST", show+"/start?type=sometimes", nil, "ModelArts.6336", show)
	ts.rejects("PATCH", show+"/lease", map[string]any{"duration": 3600000}, "ModelArts.6327", show)

	oldToken := ts.ok("GET", show, nil)["token"]
	now := ts.nowMs()
	nb := ts.ok("POST", show+"/start?duration=7200000", nil)
	if nb["status"] != "STARTING" || nb["token"] == oldToken || leaseExpiry(obj(nb["lease"])) != now+7200000 {
		t.Fatalf("start response: %v", nb)
	}
	ts.rejects("POST", show+"/start", nil, "ModelArts.6306", show)
	ts.rejects("POST", show+"/stop", nil, "ModelArts.6306", show)
	ts.rejects("PUT", show, map[string]any{"name": "x"}, "ModelArts.6306", show)

	ts.advance(startMs * time.Millisecond)
	nb = ts.ok("GET", show, nil)
	if nb["status"] != "RUNNING" || leaseExpiry(obj(nb["lease"])) != ts.nowMs()+7200000 {
		t.Fatalf("after start: %v", nb)
	}
	ts.rejects("POST", show+"/start", nil, "ModelArts.6357", show)

	nb = ts.ok("POST", show+"/stop", nil)
	if nb["status"] != "STOPPING" {
		t.Fatalf("stop: %v", nb)
	}
	ts.rejects("POST", show+"/stop", nil, "ModelArts.6308", show)
	ts.rejects("POST", show+"/start", nil, "ModelArts.6308", show)
	ts.advance(stopMs * time.Millisecond)
	if s := ts.ok("GET", show, nil)["status"]; s != "STOPPED" {
		t.Fatalf("after stop: %v", s)
	}

	// duration=-1 disables auto-stop: the instance runs indefinitely.
	nb = ts.ok("POST", show+"/start?duration=-1", nil)
	if obj(nb["lease"])["enable"] != false {
		t.Fatalf("start with -1: %v", nb["lease"])
	}
	ts.advance(100 * time.Hour)
	if s := ts.ok("GET", show, nil)["status"]; s != "RUNNING" {
		t.Fatalf("with auto-stop disabled after 100 h: %v", s)
	}
}

func TestStartSoldOutFlavor(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	id := ts.nbID("big-gpu-job")
	ts.rejects("POST", "/notebooks/"+id+"/start", nil, "ModelArts.6360", "/notebooks/"+id)
}

func TestRenewLease(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	id := ts.nbID("train-resnet50") // RUNNING, 3 minutes left
	show := "/notebooks/" + id
	ts.advance(time.Minute)
	now := ts.nowMs()
	l := ts.ok("PATCH", show+"/lease", map[string]any{"duration": 7200000, "type": "timing"})
	if leaseExpiry(l) != now+7200000 || num(l["update_at"]) != now || l["type"] != "TIMING" {
		t.Fatalf("renew: %v", l)
	}
	// Renew resets (now + duration); it does not add to what was left.
	ts.advance(time.Hour)
	now = ts.nowMs()
	l = ts.ok("PATCH", show+"/lease?duration=3600000", map[string]any{"duration": 7200000, "type": "idle"})
	if leaseExpiry(l) != now+3600000 || l["type"] != "TIMING" {
		t.Fatalf("query duration must win over the body and force timing: %v", l)
	}
	if got := ts.ok("GET", show+"/lease", nil); leaseExpiry(got) != now+3600000 {
		t.Fatalf("show lease: %v", got)
	}
	ts.rejects("PATCH", show+"/lease?duration=300000000", nil, "ModelArts.6349", show)
	ts.rejects("PATCH", show+"/lease", map[string]any{"duration": 1000}, "ModelArts.6349", show)
	ts.rejects("PATCH", show+"/lease", `{"duration":`, "ModelArts.6400", show)
	ts.rejects("PATCH", show+"/lease", `{"duration":"long"}`, "ModelArts.6332", show)
	ts.fail("GET", "/notebooks/nope/lease", nil, "ModelArts.6404")
}

func TestDeleteNotebook(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	id := ts.nbID("data-prep") // Gen 2 deletes running instances too
	before := num(ts.ok("GET", "/notebooks", nil)["total"])
	nb := ts.ok("DELETE", "/notebooks/"+id, nil)
	if nb["status"] != "DELETING" {
		t.Fatalf("delete: %v", nb)
	}
	ts.rejects("DELETE", "/notebooks/"+id, nil, "ModelArts.6357", "/notebooks/"+id)
	ts.advance(deleteMs * time.Millisecond)
	ts.fail("GET", "/notebooks/"+id, nil, "ModelArts.6404")
	ts.fail("DELETE", "/notebooks/"+id, nil, "ModelArts.6404")
	if after := num(ts.ok("GET", "/notebooks", nil)["total"]); after != before-1 {
		t.Fatalf("total %d → %d", before, after)
	}
}

func TestCreateRejections(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	with := func(mut func(b map[string]any)) map[string]any {
		b := createBody("ok-name", "modelarts.vm.cpu.2u", cpuImage)
		mut(b)
		return b
	}
	cases := []struct {
		name string
		body any
		code string
	}{
		{"missing name", with(func(b map[string]any) { delete(b, "name") }), "ModelArts.6335"},
		{"illegal name", with(func(b map[string]any) { b["name"] = "bad name!" }), "ModelArts.6334"},
		{"name too long", with(func(b map[string]any) { b["name"] = strings.Repeat("a", 129) }), "ModelArts.6336"},
		{"illegal description", with(func(b map[string]any) { b["description"] = "a/b" }), "ModelArts.6334"},
		{"missing image", with(func(b map[string]any) { delete(b, "image_id") }), "ModelArts.6335"},
		{"unknown flavor", with(func(b map[string]any) { b["flavor"] = "modelarts.vm.cpu.999u" }), "ModelArts.6323"},
		{"Gen 1 only flavor", with(func(b map[string]any) { b["flavor"] = "modelarts.kat1.xlarge" }), "ModelArts.6323"},
		{"sold out", with(func(b map[string]any) { b["flavor"] = "modelarts.bm.gpu.8v100NV32"; b["image_id"] = torchImage }), "ModelArts.6716"},
		{"free sold out", with(func(b map[string]any) { b["flavor"] = "modelarts.vm.gpu.free"; b["image_id"] = torchImage }), "ModelArts.6716"},
		{"CodeLab flavor as NOTEBOOK", with(func(b map[string]any) { b["flavor"] = "modelarts.vm.cpu.free" }), "ModelArts.6870"},
		{"unknown image", with(func(b map[string]any) { b["image_id"] = "00000000-0000-4000-8000-000000000000" }), "ModelArts.6797"},
		{"image for another arch", with(func(b map[string]any) { b["image_id"] = msImage }), "ModelArts.6336"},
		{"lease too short", with(func(b map[string]any) { b["lease"] = map[string]any{"duration": 60000} }), "ModelArts.6349"},
		{"legacy duration too long", with(func(b map[string]any) { b["duration"] = 300000000 }), "ModelArts.6349"},
		{"EVS too large", with(func(b map[string]any) { obj(b["volume"])["capacity"] = 4097 }), "ModelArts.6331"},
		{"storage not offered", with(func(b map[string]any) {
			b["flavor"] = "modelarts.bm.d910.xlarge.1"
			b["image_id"] = msImage
			b["volume"] = map[string]any{"category": "OBS", "ownership": "MANAGED", "uri": "obs://b/d/", "dew_secret_name": "s"}
		}), "ModelArts.6324"},
		{"unknown pool", with(func(b map[string]any) { b["pool_id"] = "pool-00000000" }), "ModelArts.6336"},
		{"affinity without pool", with(func(b map[string]any) {
			b["affinity"] = map[string]any{"required_during_scheduling_ignored_during_execution": []any{
				map[string]any{"key": "kubernetes.io/hostname", "operator": "In", "values": []string{"192.168.0.11"}}}}
		}), "ModelArts.6335"}, // model's Validate: pool_id is required with affinity
		{"bad JSON", `{"name":`, "ModelArts.6400"},
		{"wrong type", `{"name": 5}`, "ModelArts.6332"},
	}
	before := ts.raw("GET", "/notebooks/all?limit=100")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts.t = t
			ts.fail("POST", "/notebooks", c.body, c.code)
		})
	}
	ts.t = t
	if after := ts.raw("GET", "/notebooks/all?limit=100"); after != before {
		t.Fatal("rejected creates changed the list")
	}
	// Legacy top-level duration -1 disables auto-stop and wins over lease.
	nb := ts.ok("POST", "/notebooks", with(func(b map[string]any) { b["duration"] = -1 }))
	if obj(nb["lease"])["enable"] != false {
		t.Fatalf("duration -1: %v", nb["lease"])
	}
}

func TestUpdateRules(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	run := "/notebooks/" + ts.nbID("data-prep")        // RUNNING, cpu.8u, EVS 20 GB
	stop := "/notebooks/" + ts.nbID("archive-2023")    // STOPPED, cpu.2u, EVS 50 GB
	efs := "/notebooks/" + ts.nbID("long-description") // STOPPED, EFS

	// Running: only name/description/storage/hooks.
	msg := ts.rejects("PUT", run, map[string]any{"flavor": "modelarts.vm.cpu.2u"}, "ModelArts.6347", run)
	if msg != "When the instance is in the 'RUNNING' status, the 'flavor' parameter cannot be modified." {
		t.Errorf("6347 message %q", msg)
	}
	for _, b := range []map[string]any{{"image_id": torchImage}, {"endpoints": []any{map[string]any{"service": "SSH", "key_pair_names": []string{"kp"}}}},
		{"custom_spec": map[string]any{"cpu": 1, "memory": 1024}}} {
		ts.rejects("PUT", run, b, "ModelArts.6347", run)
	}
	nb := ts.ok("PUT", run, map[string]any{"name": "data-prep-2", "description": "renamed while running", "storage_new_size": 40,
		"hooks": map[string]any{"container_hooks": map[string]any{"post_start": map[string]any{"script": "/home/ma-user/start.sh", "type": "SCRIPT"}}}})
	if nb["name"] != "data-prep-2" || nb["status"] != "RUNNING" || obj(nb["volume"])["status"] != "RESIZING" || num(obj(nb["volume"])["capacity"]) != 40 || nb["hooks"] == nil {
		t.Fatalf("update while running: %v", nb)
	}
	ts.rejects("PUT", run, map[string]any{"storage_new_size": 50}, "ModelArts.6357", run)
	ts.advance(resizeMs * time.Millisecond)
	if obj(ts.ok("GET", run, nil)["volume"])["status"] != nil {
		t.Fatal("volume still RESIZING")
	}
	ts.rejects("PUT", run, map[string]any{"storage_new_size": 30}, "ModelArts.6331", run)
	ts.rejects("PUT", run, map[string]any{"storage_new_size": 5000}, "ModelArts.6331", run)
	ts.rejects("PUT", efs, map[string]any{"storage_new_size": 100}, "ModelArts.6336", efs)
	ts.rejects("PUT", run, map[string]any{"name": "bad name"}, "ModelArts.6334", run)
	ts.rejects("PUT", run, map[string]any{"description": `say "hi"`}, "ModelArts.6334", run)

	// Stopped: flavor switch only to a switchable flavor.
	ts.rejects("PUT", stop, map[string]any{"flavor": "modelarts.vm.gpu.t4"}, "ModelArts.6792", stop)
	ts.rejects("PUT", stop, map[string]any{"flavor": "modelarts.vm.cpu.free"}, "ModelArts.6792", stop)
	ts.rejects("PUT", stop, map[string]any{"flavor": "modelarts.vm.cpu.64u"}, "ModelArts.6323", stop)
	ts.rejects("PUT", stop, map[string]any{"image_id": "00000000-0000-4000-8000-000000000000"}, "ModelArts.6797", stop)
	ts.rejects("PUT", stop, map[string]any{"image_id": msImage}, "ModelArts.6336", stop)
	ts.rejects("PUT", stop, map[string]any{"affinity": map[string]any{"required_during_scheduling_ignored_during_execution": []any{
		map[string]any{"key": "accelerator", "operator": "Exists", "values": []string{}}}}}, "ModelArts.6336", stop)
	ts.rejects("PUT", stop, map[string]any{"custom_spec": map[string]any{"cpu": 1, "memory": 1024}}, "ModelArts.6336", stop)
	// A rejected field makes the whole request fail: the valid name is not applied either.
	ts.rejects("PUT", stop, map[string]any{"name": "renamed", "flavor": "modelarts.vm.gpu.t4"}, "ModelArts.6792", stop)

	sw := ts.ok("GET", stop+"/flavors", nil)
	var ids []string
	for _, f := range list(sw["flavors"]) {
		ids = append(ids, obj(f)["id"].(string))
	}
	if strings.Join(ids, ",") != "modelarts.vm.cpu.8u" || len(list(sw["data"])) != 1 {
		t.Fatalf("switchable flavors of a cpu.2u instance: %v", ids)
	}
	nb = ts.ok("PUT", stop, map[string]any{"flavor": "modelarts.vm.cpu.8u", "image_id": cpuImage,
		"endpoints": []any{map[string]any{"service": "SSH", "key_pair_names": []string{"KeyPair-1"}, "allowed_access_ips": []string{"1.1.1.1"}}}})
	if nb["flavor"] != "modelarts.vm.cpu.8u" || len(list(nb["endpoints"])) != 2 {
		t.Fatalf("update while stopped: %v", nb)
	}
	ts.fail("PUT", "/notebooks/nope", map[string]any{"name": "x"}, "ModelArts.6404")
}

// TestSeed002Affinity applies seed 002's four example bodies, in order, to
// a stopped instance on the dedicated pool.
func TestSeed002Affinity(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	show := "/notebooks/" + ts.nbID("pool-affinity")
	rule := `[{"key":"kubernetes.io/hostname","operator":"In","values":["192.168.1.1"]}]`
	set := `{"affinity":{"required_during_scheduling_ignored_during_execution":` + rule + `,"preferred_during_scheduling_ignored_during_execution":` + rule + `}}`
	keep := `{"affinity":{"required_during_scheduling_ignored_during_execution":null,"preferred_during_scheduling_ignored_during_execution":null}}`
	clear := `{"affinity":{"required_during_scheduling_ignored_during_execution":[],"preferred_during_scheduling_ignored_during_execution":[]}}`
	none := `{"affinity":null}`
	want := `{"required_during_scheduling_ignored_during_execution":` + rule + `,"preferred_during_scheduling_ignored_during_execution":` + rule + `}`

	affinityOf := func(m map[string]any) string {
		if m["affinity"] == nil {
			return "none"
		}
		return fmt.Sprint(m["affinity"])
	}
	var wantM map[string]any
	ts.ok("PUT", show, set) // seed example 1: set both lists
	got := ts.ok("GET", show, nil)
	wantM = map[string]any{"affinity": mustJSON(t, want)}
	if affinityOf(got) != affinityOf(wantM) {
		t.Fatalf("after set: %v, want %v", got["affinity"], want)
	}
	// Example 2: lists null → unchanged. Example 4: affinity null → unchanged.
	for _, b := range []string{keep, none} {
		if a := affinityOf(ts.ok("PUT", show, b)); a != affinityOf(wantM) {
			t.Fatalf("%s changed affinity to %v", b, a)
		}
	}
	// One list null, the other replaced: only that one changes.
	got = ts.ok("PUT", show, `{"affinity":{"required_during_scheduling_ignored_during_execution":null,"preferred_during_scheduling_ignored_during_execution":[]}}`)
	a := obj(got["affinity"])
	if len(list(a["required_during_scheduling_ignored_during_execution"])) != 1 || len(list(a["preferred_during_scheduling_ignored_during_execution"])) != 0 {
		t.Fatalf("per-list update: %v", a)
	}
	// Example 3: [] clears both.
	if a := affinityOf(ts.ok("PUT", show, clear)); a != "none" {
		t.Fatalf("after clear: %v", a)
	}
	// Affinity may not change on a running pool instance; "no change" bodies may.
	run := "/notebooks/" + ts.nbID("pool-cpu")
	ts.rejects("PUT", run, set, "ModelArts.6347", run)
	ts.ok("PUT", run, keep)
	ts.ok("PUT", run, none)
	// Invalid rules are rejected by model's validators.
	ts.rejects("PUT", show, `{"affinity":{"required_during_scheduling_ignored_during_execution":[{"key":"-bad-","operator":"In","values":["x"]}]}}`, "ModelArts.6336", show)
	ts.rejects("PUT", show, `{"affinity":{"required_during_scheduling_ignored_during_execution":[{"key":"a","operator":"Near","values":["x"]}]}}`, "ModelArts.6336", show)
	if labels := ts.s.PoolLabels(); len(labels["kubernetes.io/hostname"]) != 3 || len(labels["accelerator"]) != 1 || labels["os.architecture"][0] != "x86_64" {
		t.Fatalf("PoolLabels: %v", labels)
	}
}

func TestCodeLab(t *testing.T) {
	ts := newSim(t, Options{Seed: 1, Instances: 30}) // generated sets have no CodeLab instance
	ts.fail("POST", "/notebooks/open", map[string]any{"image_id": "00000000-0000-4000-8000-000000000000"}, "ModelArts.6797")
	ts.fail("POST", "/notebooks/open", map[string]any{"image_id": msImage}, "ModelArts.6336")
	ts.fail("POST", "/notebooks/open", map[string]any{"share_url": "not base64!"}, "ModelArts.6336")
	if d := list(ts.ok("GET", "/notebooks?feature=DEFAULT", nil)["data"]); len(d) != 0 {
		t.Fatalf("rejected opens created %v", d)
	}
	nb := ts.ok("POST", "/notebooks/open", "{ }")
	id := nb["id"].(string)
	l := obj(nb["lease"])
	if nb["feature"] != "DEFAULT" || nb["flavor"] != "modelarts.vm.cpu.free" || nb["status"] != "CREATING" ||
		obj(nb["image"])["id"] != cpuImage || l["type"] != nil || num(l["duration"]) != 3600000 || len(list(nb["action_progress"])) != 4 {
		t.Fatalf("open: %v", nb)
	}
	// One per user: opening again returns the same instance.
	if again := ts.ok("POST", "/notebooks/open", nil); again["id"] != id {
		t.Fatalf("second open created %v", again["id"])
	}
	ts.fail("POST", "/notebooks", map[string]any{"name": "lab2", "feature": "DEFAULT", "flavor": "modelarts.vm.cpu.free", "image_id": cpuImage,
		"volume": map[string]any{"category": "EFS", "ownership": "MANAGED"}}, "ModelArts.6302")
	// Hidden from the default list, shown with feature=DEFAULT.
	if strings.Contains(ts.raw("GET", "/notebooks?limit=100"), id) {
		t.Error("CodeLab instance in the default (NOTEBOOK) list")
	}
	if d := list(ts.ok("GET", "/notebooks?feature=DEFAULT", nil)["data"]); len(d) != 1 || obj(d[0])["id"] != id {
		t.Errorf("feature=DEFAULT list: %v", d)
	}
}

func mustJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	m := map[string]any{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}
