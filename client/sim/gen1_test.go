package sim

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// seed001 is seed 001's sample create request, verbatim.
const seed001 = `{ "name": "notebook-d115", "description": "", "profile_id": "Ascend-Power-Engine 1.0(python3)", "flavor": "modelarts.kat1.xlarge", "spec": { "storage": { "location": { "path": "/aaaaaaaaa/output/" }, "type": "obs" }, "auto_stop": { "enable": true, "duration": 3600 } }, "workspace": { "id": "0" } }`

func TestGen1Seed001CreateAndAutoStop(t *testing.T) {
	ts := newSim(t, Options{Seed: 1, Instances: 10}) // no demo "notebook-d115", so the seed's name is free
	created := ts.nowMs()
	d := ts.ok("POST", "/demanager/instances", seed001)
	id := d["id"].(string)
	if !strings.HasPrefix(id, "DE-") || d["status"] != "CREATING" || d["creation_timestamp"] != strconv.FormatInt(created, 10) {
		t.Fatalf("create: %v", d)
	}
	p := obj(d["profile"])
	if p["name"] != "Ascend-Powered-Engine 1.0 (python3)" || p["id"] != "efa847c0-7359-11eb-b34f-0255ac100057" || p["flavor_type"] != "Ascend" {
		t.Fatalf("profile: %v", p)
	}
	fd := obj(d["flavor_details"])
	if fd["type"] != "Ascend" || obj(fd["params"])["type"] != "Ascend 910" || num(obj(fd["params"])["NPU"]) != 1 {
		t.Fatalf("flavor_details: %v", fd)
	}
	if as := obj(obj(d["spec"])["auto_stop"]); as["stop_timestamp"] != nil || as["enable"] != true || num(as["duration"]) != 3600 {
		t.Fatalf("auto_stop while creating: %v", as)
	}
	ts.fail("POST", "/demanager/instances", seed001, "ModelArts.6301") // same name again

	ts.advance(devCreateMs * time.Millisecond)
	running := ts.nowMs()
	d = ts.ok("GET", "/demanager/instances/"+id, nil)
	as := obj(obj(d["spec"])["auto_stop"])
	if d["status"] != "RUNNING" || num(as["stop_timestamp"]) != running+3600_000 || num(as["remain_time"]) != 3600 {
		t.Fatalf("running: %v %v", d["status"], as)
	}
	ts.advance(100 * time.Second)
	d = ts.ok("GET", "/demanager/instances/"+id, nil)
	as = obj(obj(d["spec"])["auto_stop"])
	if num(as["stop_timestamp"]) != running+3600_000 || num(as["remain_time"]) != 3500 {
		t.Fatalf("remain_time must follow the clock: %v", as)
	}
	// The deadline stops the instance.
	ts.clk.Set(time.UnixMilli(running + 3600_000))
	if s := ts.ok("GET", "/demanager/instances/"+id, nil)["status"]; s != "STOPPING" {
		t.Fatalf("at stop_timestamp: %v", s)
	}
	ts.advance(stopMs * time.Millisecond)
	if s := ts.ok("GET", "/demanager/instances/"+id, nil)["status"]; s != "STOPPED" {
		t.Fatalf("after stop_timestamp: %v", s)
	}
}

func TestGen1CreateRejections(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	mk := func(path, flavor, profile, auto string) string {
		return `{"name":"nb-x","profile_id":"` + profile + `","flavor":"` + flavor + `","spec":{"storage":{"type":"obs","location":{"path":"` + path + `"}}` + auto + `}}`
	}
	cpu, cpuProf := "modelarts.vm.cpu.2u", "Multi-Engine 1.0 (python3)-cpu"
	cases := []struct {
		name, body, code, msg string
	}{
		{"path without slash (seed 001)", mk("/aaaaaaaaa/output", cpu, cpuProf, ""), "ModelArts.6318", "The param path needs to end with /."},
		{"bucket root", mk("/aaaaaaaaa/", cpu, cpuProf, ""), "ModelArts.6358", ""},
		{"no path", mk("", cpu, cpuProf, ""), "ModelArts.6317", ""},
		{"duration out of range", mk("/b/d/", cpu, cpuProf, `,"auto_stop":{"enable":true,"duration":100}`), "ModelArts.6349", ""},
		{"duration missing", mk("/b/d/", cpu, cpuProf, `,"auto_stop":{"enable":true}`), "ModelArts.6348", ""},
		{"unknown flavor", mk("/b/d/", "modelarts.vm.cpu.64u", cpuProf, ""), "ModelArts.6323", ""},
		{"Gen 2 only flavor", mk("/b/d/", "modelarts.vm.gpu.t4", "Multi-Engine 1.0 (python3)-gpu", ""), "ModelArts.6323", ""},
		{"unknown profile", mk("/b/d/", cpu, "Quantum-Engine 9", ""), "ModelArts.6336", ""},
		{"profile/flavor mismatch", mk("/b/d/", cpu, "Ascend-Powered-Engine 1.0 (python3)", ""), "ModelArts.6330", ""},
		{"illegal name", `{"name":"a b","profile_id":"x","flavor":"y","spec":{"storage":{"type":"obs","location":{"path":"/b/d/"}}}}`, "ModelArts.6334", ""},
		{"name missing", `{"profile_id":"x","flavor":"y","spec":{"storage":{"type":"obs","location":{"path":"/b/d/"}}}}`, "ModelArts.6335", ""},
		{"EVS size", `{"name":"n","profile_id":"` + cpuProf + `","flavor":"` + cpu + `","spec":{"storage":{"type":"evs","location":{"volume_size":5000}}}}`, "ModelArts.6331", ""},
		{"storage type not offered", `{"name":"n","profile_id":"Ascend-Powered-Engine 1.0 (python3)","flavor":"modelarts.kat1.xlarge","spec":{"storage":{"type":"evs"}}}`, "ModelArts.6324", ""},
		{"unknown pool", `{"name":"n","profile_id":"` + cpuProf + `","flavor":"` + cpu + `","spec":{"storage":{"type":"evs"}},"pool":{"id":"pool-x"}}`, "ModelArts.6336", ""},
	}
	before := ts.raw("GET", "/demanager/instances?de_type=Notebook")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts.t = t
			msg := ts.fail("POST", "/demanager/instances", c.body, c.code)
			if c.msg != "" && msg != c.msg {
				t.Errorf("message %q, want %q", msg, c.msg)
			}
		})
	}
	ts.t = t
	if after := ts.raw("GET", "/demanager/instances?de_type=Notebook"); after != before {
		t.Fatal("rejected creates changed the list")
	}
}

func TestGen1ModifySeed000AndDurationFromNextStart(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	id := ts.devID("notebook-d115") // RUNNING, auto-stop 3600 s, 3 minutes left
	show := "/demanager/instances/" + id
	before := obj(obj(ts.ok("GET", show, nil)["spec"])["auto_stop"])

	d := ts.ok("PUT", show, `{"description":"This is for test."}`) // seed 000's sample
	if d["description"] != "This is for test." || d["latest_update_timestamp"] != strconv.FormatInt(ts.nowMs(), 10) {
		t.Fatalf("modify: %v", d)
	}
	d = ts.ok("PUT", show, `{"spec":{"auto_stop":{"enable":true,"duration":7200}}}`)
	as := obj(obj(d["spec"])["auto_stop"])
	if num(as["duration"]) != 7200 || num(as["stop_timestamp"]) != num(before["stop_timestamp"]) {
		t.Fatalf("a duration edit on a RUNNING instance must not move stop_timestamp: %v (before %v)", as, before)
	}
	ts.rejects("PUT", show, `{"description":"a&b"}`, "ModelArts.6334", show)
	ts.rejects("PUT", show, `{"spec":{"auto_stop":{"enable":true}}}`, "ModelArts.6348", show)
	ts.rejects("PUT", show, `{"spec":{"auto_stop":{"enable":true,"duration":90000}}}`, "ModelArts.6349", show)
	ts.fail("PUT", "/demanager/instances/DE-nope", `{"description":"x"}`, "ModelArts.6309")

	// Stop and start: the new duration applies.
	ts.ok("POST", show+"/action", `{"action":"stop"}`)
	ts.advance(stopMs * time.Millisecond)
	ts.ok("POST", show+"/action", `{"action":"start"}`)
	ts.advance(startMs * time.Millisecond)
	as = obj(obj(ts.ok("GET", show, nil)["spec"])["auto_stop"])
	if num(as["stop_timestamp"]) != ts.nowMs()+7200_000 || num(as["remain_time"]) != 7200 {
		t.Fatalf("after restart: %v", as)
	}
	// Disabling auto stop cancels the pending stop at once.
	as = obj(obj(ts.ok("PUT", show, `{"spec":{"auto_stop":{"enable":false}}}`)["spec"])["auto_stop"])
	if as["stop_timestamp"] != nil || as["enable"] != false {
		t.Fatalf("after disabling: %v", as)
	}
	ts.advance(10 * time.Hour)
	if s := ts.ok("GET", show, nil)["status"]; s != "RUNNING" {
		t.Fatalf("auto stop disabled, yet %v", s)
	}
}

func TestGen1ActionsAndDelete(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	id := ts.devID("dev-cpu-old") // STOPPED
	show := "/demanager/instances/" + id
	act := func(a string) map[string]any { return ts.ok("POST", show+"/action", `{"action":"`+a+`"}`) }

	ts.rejects("POST", show+"/action", `{"action":"stop"}`, "ModelArts.6307", show)
	ts.rejects("POST", show+"/action", `{"action":"restart"}`, "ModelArts.6336", show)
	ts.rejects("POST", show+"/action", `{}`, "ModelArts.6335", show)
	if r := act("start"); r["current_status"] != "STARTING" || r["previous_state"] != "STOPPED" || len(r) != 2 {
		t.Fatalf("start: %v", r)
	}
	ts.rejects("POST", show+"/action", `{"action":"start"}`, "ModelArts.6306", show)
	ts.rejects("DELETE", show, nil, "ModelArts.6306", show)
	ts.advance(startMs * time.Millisecond)
	ts.rejects("POST", show+"/action", `{"action":"start"}`, "ModelArts.6305", show)
	ts.rejects("DELETE", show, nil, "ModelArts.6304", show)
	if r := act("stop"); r["current_status"] != "STOPPING" || r["previous_state"] != "RUNNING" {
		t.Fatalf("stop: %v", r)
	}
	ts.rejects("POST", show+"/action", `{"action":"stop"}`, "ModelArts.6308", show)
	ts.rejects("PUT", show, `{"description":"x"}`, "ModelArts.6308", show)
	ts.advance(stopMs * time.Millisecond)

	if tok := ts.ok("GET", show+"/token", nil)["token"].(string); len(tok) != 32 {
		t.Fatalf("token %q", tok)
	}
	r := ts.ok("DELETE", show, nil)
	if r["instance_id"] != id || len(r) != 1 {
		t.Fatalf("delete: %v", r)
	}
	ts.fail("GET", show, nil, "ModelArts.6309")
	ts.fail("POST", show+"/action", `{"action":"start"}`, "ModelArts.6309")
	if strings.Contains(ts.raw("GET", "/demanager/instances?de_type=Notebook"), id) {
		t.Fatal("deleted instance still listed")
	}
}

func TestGen1QueueForFreeSoldOutFlavor(t *testing.T) {
	ts := newSim(t, Options{Seed: 1}) // the demo has two instances queued for modelarts.vm.gpu.free
	body := `{"name":"free-gpu","profile_id":"Multi-Engine 1.0 (python3)-gpu","flavor":"modelarts.vm.gpu.free","spec":{"storage":{"type":"evs"},"auto_stop":{"enable":true,"duration":3600}}}`
	d := ts.ok("POST", "/demanager/instances", body)
	id := d["id"].(string)
	qi := obj(d["queuing_info"])
	now := ts.nowMs()
	// The demo queue ends in 2 and 4 minutes; each slot is 2 minutes.
	if d["status"] != "CREATE_QUEUING" || num(qi["rank"]) != 3 || num(qi["end_timestamp"]) != now+6*60_000 ||
		num(qi["remain_time"]) != 360 || num(qi["begin_timestamp"]) != now || qi["status"] != "CREATE_QUEUING" {
		t.Fatalf("queued create: %v", d)
	}
	fd := obj(d["flavor_details"])
	if fd["status"] != "soldOut" || fd["promo_type"] != "Free" || num(fd["queuing_num"]) != 3 {
		t.Fatalf("flavor_details: %v", fd)
	}
	ts.advance(2*time.Minute + time.Second) // the first demo instance leaves the queue
	d = ts.ok("GET", "/demanager/instances/"+id, nil)
	if qi := obj(d["queuing_info"]); num(qi["rank"]) != 2 || num(qi["remain_time"]) != 239 {
		t.Fatalf("after one slot: %v", qi)
	}
	ts.advance(4 * time.Minute)
	d = ts.ok("GET", "/demanager/instances/"+id, nil)
	if d["status"] != "CREATING" || d["queuing_info"] != nil {
		t.Fatalf("after the queue: %v", d)
	}
	ts.advance(devCreateMs * time.Millisecond)
	if s := ts.ok("GET", "/demanager/instances/"+id, nil)["status"]; s != "RUNNING" {
		t.Fatalf("after creating: %v", s)
	}
	// A paid sold-out flavor is refused instead.
	ts.fail("POST", "/demanager/instances", strings.Replace(strings.Replace(body, "modelarts.vm.gpu.free", "modelarts.vm.gpu.p100", 1), "free-gpu", "p100", 1), "ModelArts.6329")
}

func TestGen1List(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	ts.fail("GET", "/demanager/instances", nil, "ModelArts.6335")
	ts.fail("GET", "/demanager/instances?de_type=notebook", nil, "ModelArts.6336")
	ts.fail("GET", "/demanager/instances?de_type=Notebook&sortby=status", nil, "ModelArts.6303")
	ts.fail("GET", "/demanager/instances?de_type=Notebook&order=up", nil, "ModelArts.6336")
	ts.fail("GET", "/demanager/instances?de_type=Notebook&limit=-1", nil, "ModelArts.0107")

	all := ts.ok("GET", "/demanager/instances?de_type=Notebook", nil)
	insts := list(all["instances"])
	if num(all["total_count"]) != int64(len(insts)) || len(insts) < 8 || len(all) != 2 {
		t.Fatalf("list: total %v, %d items", all["total_count"], len(insts))
	}
	var names []string
	for _, it := range insts {
		names = append(names, obj(it)["name"].(string))
		if _, ok := obj(it)["creation_timestamp"].(string); !ok {
			t.Fatalf("creation_timestamp is not a string: %v", obj(it)["creation_timestamp"])
		}
	}
	for i := 1; i < len(names); i++ {
		if names[i-1] > names[i] {
			t.Fatalf("default order is not by name ascending: %v", names)
		}
	}
	page := ts.ok("GET", "/demanager/instances?de_type=Notebook&offset=2&limit=3&order=desc", nil)
	if num(page["total_count"]) != int64(len(insts)) || len(list(page["instances"])) != 3 ||
		obj(list(page["instances"])[0])["name"] != names[len(names)-3] {
		t.Fatalf("page: %v", page)
	}
	running := ts.ok("GET", "/demanager/instances?de_type=Notebook&status=RUNNING&sortby=creation_timestamp", nil)
	prev := ""
	for _, it := range list(running["instances"]) {
		if obj(it)["status"] != "RUNNING" {
			t.Fatalf("status filter: %v", obj(it)["status"])
		}
		ct := obj(it)["creation_timestamp"].(string)
		if prev != "" && len(ct) == len(prev) && ct < prev {
			t.Fatal("not sorted by creation_timestamp")
		}
		prev = ct
	}
}
