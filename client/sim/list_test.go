package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestListPaginationFiltersSort(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	all := ts.ok("GET", "/notebooks?limit=100", nil)
	total := num(all["total"])
	data := list(all["data"])
	if int64(len(data)) != total || total < 15 {
		t.Fatalf("total %d, %d items", total, len(data))
	}
	// Default: create_at DESC, feature NOTEBOOK, own instances only.
	for i, it := range data {
		nb := obj(it)
		if nb["feature"] != "NOTEBOOK" || obj(nb["user"])["name"] != "sim-user" {
			t.Fatalf("item %d: %v %v", i, nb["feature"], nb["user"])
		}
		if i > 0 && num(obj(data[i-1])["create_at"]) < num(nb["create_at"]) {
			t.Fatal("default order is not create_at DESC")
		}
	}
	if strings.Contains(ts.raw("GET", "/notebooks?limit=100"), "li-wei-dataset-clean") ||
		!strings.Contains(ts.raw("GET", "/notebooks/all?limit=100"), "li-wei-dataset-clean") {
		t.Fatal("/notebooks must hide and /notebooks/all show a colleague's instance")
	}

	def := ts.ok("GET", "/notebooks", nil)
	if num(def["size"]) != 10 || len(list(def["data"])) != 10 || num(def["current"]) != 0 || num(def["pages"]) != (total+9)/10 {
		t.Fatalf("default page: size %v current %v pages %v", def["size"], def["current"], def["pages"])
	}
	p := ts.ok("GET", "/notebooks?limit=5&offset=10", nil)
	if num(p["current"]) != 2 || num(p["size"]) != 5 || num(p["total"]) != total ||
		obj(list(p["data"])[0])["id"] != obj(data[10])["id"] {
		t.Fatalf("page 2: %v", p)
	}
	if p := ts.ok("GET", fmt.Sprintf("/notebooks?offset=%d", total), nil); len(list(p["data"])) != 0 || num(p["total"]) != total {
		t.Fatalf("past the end: %v", p)
	}

	for _, st := range []string{"RUNNING", "STOPPED"} {
		for _, it := range list(ts.ok("GET", "/notebooks?limit=100&status="+st, nil)["data"]) {
			if obj(it)["status"] != st {
				t.Fatalf("status=%s returned %v", st, obj(it)["status"])
			}
		}
	}
	if d := list(ts.ok("GET", "/notebooks?name=RESNET", nil)["data"]); len(d) != 1 || obj(d[0])["name"] != "train-resnet50" {
		t.Fatalf("fuzzy name: %v", d)
	}
	if d := list(ts.ok("GET", "/notebooks?name=模型", nil)["data"]); len(d) != 1 {
		t.Fatalf("CJK name filter: %v", d)
	}
	if d := list(ts.ok("GET", "/notebooks?pool_id=pool-a1b2c3d4", nil)["data"]); len(d) != 2 {
		t.Fatalf("pool filter: %d", len(d))
	}
	asc := list(ts.ok("GET", "/notebooks?limit=100&sort_key=name&sort_dir=ASC", nil)["data"])
	for i := 1; i < len(asc); i++ {
		if obj(asc[i-1])["name"].(string) > obj(asc[i])["name"].(string) {
			t.Fatal("sort_key=name ASC is not sorted")
		}
	}
	byStatus := list(ts.ok("GET", "/notebooks?limit=100&sort_key=status,name", nil)["data"])
	for i := 1; i < len(byStatus); i++ {
		a, b := obj(byStatus[i-1]), obj(byStatus[i])
		if a["status"].(string) < b["status"].(string) ||
			a["status"] == b["status"] && a["name"].(string) < b["name"].(string) {
			t.Fatal("sort_key=status,name DESC is not sorted")
		}
	}
	// The cached order follows changes: a rename re-sorts.
	id := ts.nbID("archive-2023")
	ts.ok("PUT", "/notebooks/"+id, map[string]any{"name": "aaa-first"})
	if first := obj(list(ts.ok("GET", "/notebooks?sort_key=name&sort_dir=ASC", nil)["data"])[0]); first["id"] != id {
		t.Fatalf("after rename, first by name ASC is %v", first["name"])
	}

	ts.fail("GET", "/notebooks?sort_key=flavor", nil, "ModelArts.6303")
	ts.fail("GET", "/notebooks?sort_key=name,size", nil, "ModelArts.6303")
	for _, q := range []string{"limit=0", "limit=101", "limit=x", "offset=-1", "sort_dir=UP", "feature=FREE", "status=SLEEPING"} {
		ts.fail("GET", "/notebooks?"+q, nil, "ModelArts.0107")
	}
}

func TestFlavorsAndImages(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	fl := ts.ok("GET", "/notebooks/flavors", nil)
	if len(list(fl["data"])) != len(list(fl["flavors"])) || num(fl["total"]) != int64(len(list(fl["data"]))) {
		t.Fatalf("flavors envelope: %v", fl)
	}
	byID := map[string]map[string]any{}
	for _, f := range list(fl["flavors"]) {
		byID[obj(f)["id"].(string)] = obj(f)
	}
	if _, ok := byID["modelarts.vm.cpu.free"]; ok {
		t.Error("the CodeLab flavor is listed without feature=DEFAULT")
	}
	c2u := byID["modelarts.vm.cpu.2u"]
	if num(c2u["memory"]) != 8388608 || num(c2u["vcpus"]) != 2 || c2u["arch"] != "x86_64" || obj(c2u["billing"])["code"] != "modelarts.vm.cpu.2u" {
		t.Errorf("cpu.2u: %v", c2u)
	}
	a8 := obj(byID["modelarts.bm.d910.xlarge.8"]["ascend"])
	if num(a8["npu"]) != 8 || a8["npu_memory"] != "32GB" || num(byID["modelarts.bm.d910.xlarge.8"]["memory"]) != 1536*1024*1024 {
		t.Errorf("d910.xlarge.8: %v", byID["modelarts.bm.d910.xlarge.8"])
	}
	if b := obj(byID["modelarts.bm.d910b.xlarge.4"]["ascend"]); b["npu_memory"] != "64GB" || num(b["chip"]) != 4 {
		t.Errorf("910B: %v", b)
	}
	if byID["modelarts.bm.gpu.8v100NV32"]["sold_out"] != true || num(obj(byID["modelarts.bm.gpu.8v100NV32"]["gpu"])["gpu"]) != 8 {
		t.Errorf("8-GPU flavor: %v", byID["modelarts.bm.gpu.8v100NV32"])
	}
	for _, f := range list(ts.ok("GET", "/notebooks/flavors?category=ascend", nil)["data"]) {
		if obj(f)["category"] != "ASCEND" || obj(f)["arch"] != "aarch64" {
			t.Fatalf("category=ASCEND: %v", f)
		}
	}
	if d := list(ts.ok("GET", "/notebooks/flavors?feature=DEFAULT", nil)["data"]); len(d) != 1 || obj(d[0])["free"] != true {
		t.Fatalf("feature=DEFAULT: %v", d)
	}
	if p := ts.ok("GET", "/notebooks/flavors?limit=2&offset=2", nil); len(list(p["data"])) != 2 || num(p["current"]) != 1 {
		t.Fatalf("flavor paging: %v", p)
	}
	ts.fail("GET", "/notebooks/flavors?category=TPU", nil, "ModelArts.0107")
	t4 := ts.ok("GET", "/notebooks/"+ts.nbID("train-resnet50")+"/flavors", nil)
	for _, f := range list(t4["flavors"]) {
		if f := obj(f); f["category"] != "GPU" || f["sold_out"] == true || f["id"] == "modelarts.vm.gpu.t4" || f["free"] == true {
			t.Fatalf("switchable from t4: %v", f)
		}
	}
	ts.fail("GET", "/notebooks/nope/flavors", nil, "ModelArts.6404")

	im := ts.ok("GET", "/images", nil)
	if num(im["size"]) != 200 || num(im["total"]) != 8 {
		t.Fatalf("images: size %v total %v", im["size"], im["total"])
	}
	for _, it := range list(im["data"]) {
		if obj(it)["type"] != "BUILD_IN" || obj(it)["swr_path"] == "" || len(list(obj(it)["resource_categories"])) == 0 {
			t.Fatalf("image %v", it)
		}
	}
	if d := list(ts.ok("GET", "/images?type=DEDICATED", nil)["data"]); len(d) != 1 || obj(d[0])["visibility"] != "PRIVATE" {
		t.Fatalf("DEDICATED images: %v", d)
	}
	if d := list(ts.ok("GET", "/images?name=PYTORCH", nil)["data"]); len(d) != 2 {
		t.Fatalf("fuzzy image name: %d", len(d))
	}
	if d := list(ts.ok("GET", "/images?name=pytorch&name_fuzzy_match=false", nil)["data"]); len(d) != 0 {
		t.Fatalf("exact image name: %d", len(d))
	}
	if p := ts.ok("GET", "/images?limit=3&offset=3", nil); len(list(p["data"])) != 3 || num(p["current"]) != 1 || num(p["pages"]) != 3 {
		t.Fatalf("image paging: %v", p)
	}
	if got := ts.ok("GET", "/images/"+cpuImage, nil); got["name"] != "notebook2.0-mul-kernel-cpu-cp36" {
		t.Fatalf("show image: %v", got)
	}
	ts.fail("GET", "/images/nope", nil, "ModelArts.6797")
	ts.fail("GET", "/images?service_type=GAMES", nil, "ModelArts.0107")
}

func TestFailNext(t *testing.T) {
	ts := newSim(t, Options{Seed: 1})
	if err := ts.s.FailNext("", "create"); err != nil {
		t.Fatal(err)
	}
	id := ts.ok("POST", "/notebooks", createBody("will-fail", "modelarts.vm.cpu.2u", cpuImage))["id"].(string)
	ts.advance(time.Minute)
	nb := ts.ok("GET", "/notebooks/"+id, nil)
	prog := list(nb["action_progress"])
	if nb["status"] != "CREATE_FAILED" || !strings.Contains(nb["fail_reason"].(string), "ModelArts.6360") ||
		obj(prog[0])["status"] != "COMPLETED" || obj(prog[1])["status"] != "FAILED" || obj(prog[2])["status"] != "WAITING" {
		t.Fatalf("failed create: %v", nb)
	}
	// One-shot: the next create succeeds.
	id2 := ts.ok("POST", "/notebooks", createBody("will-run", "modelarts.vm.cpu.2u", cpuImage))["id"].(string)
	ts.advance(time.Minute)
	if s := ts.ok("GET", "/notebooks/"+id2, nil)["status"]; s != "RUNNING" {
		t.Fatalf("second create: %v", s)
	}
	// Start failure for a named instance, then a retry from START_FAILED works.
	stopped := ts.nbID("archive-2023")
	if err := ts.s.FailNext(stopped, "start"); err != nil {
		t.Fatal(err)
	}
	ts.ok("POST", "/notebooks/"+stopped+"/start", nil)
	ts.advance(time.Minute)
	nb = ts.ok("GET", "/notebooks/"+stopped, nil)
	if nb["status"] != "START_FAILED" || nb["fail_reason"] == nil {
		t.Fatalf("failed start: %v", nb)
	}
	ts.ok("POST", "/notebooks/"+stopped+"/start", nil)
	ts.advance(time.Minute)
	if nb = ts.ok("GET", "/notebooks/"+stopped, nil); nb["status"] != "RUNNING" || nb["fail_reason"] != nil {
		t.Fatalf("retry: %v", nb)
	}
	// Name markers, Gen 1.
	d := ts.ok("POST", "/demanager/instances", `{"name":"x-fail-create","profile_id":"Multi-Engine 1.0 (python3)-cpu","flavor":"modelarts.vm.cpu.2u","spec":{"storage":{"type":"evs"}}}`)
	ts.advance(time.Minute)
	d = ts.ok("GET", "/demanager/instances/"+d["id"].(string), nil)
	if d["status"] != "CREATE_FAILED" || d["error_code"] != "ModelArts.6360" || obj(obj(d["spec"])["failed_reasons"])["code"] != "ModelArts.6360" {
		t.Fatalf("Gen 1 failed create: %v", d)
	}
	for _, bad := range [][2]string{{"", "delete"}, {"nope", "start"}, {stopped, "create"}} {
		if err := ts.s.FailNext(bad[0], bad[1]); err == nil {
			t.Errorf("FailNext(%q, %q) succeeded", bad[0], bad[1])
		}
	}
}

// TestConcurrentMixedOperations runs 50 goroutines of mixed requests (under
// -race) while the clock moves, then checks the state is still coherent.
func TestConcurrentMixedOperations(t *testing.T) {
	ts := newSim(t, Options{Seed: 7})
	ids := list(ts.ok("GET", "/notebooks?limit=100", nil)["data"])
	devs := list(ts.ok("GET", "/demanager/instances?de_type=Notebook", nil)["instances"])
	var wg sync.WaitGroup
	for g := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for i := range 20 {
				id := obj(ids[r.IntN(len(ids))])["id"].(string)
				did := obj(devs[r.IntN(len(devs))])["id"].(string)
				var method, path, body string
				switch r.IntN(10) {
				case 0:
					method, path = "GET", "/notebooks?sort_key=name&limit=50"
				case 1:
					method, path = "POST", "/notebooks/"+id+"/start"
				case 2:
					method, path = "POST", "/notebooks/"+id+"/stop"
				case 3:
					method, path, body = "PUT", "/notebooks/"+id, fmt.Sprintf(`{"name":"g%d-%d"}`, g, i)
				case 4:
					method, path, body = "POST", "/notebooks", fmt.Sprintf(`{"name":"c%d-%d","flavor":"modelarts.vm.cpu.2u","image_id":"%s","volume":{"category":"EFS","ownership":"MANAGED"}}`, g, i, cpuImage)
				case 5:
					method, path = "PATCH", "/notebooks/"+id+"/lease"
				case 6:
					method, path = "GET", "/demanager/instances?de_type=Notebook"
				case 7:
					method, path, body = "POST", "/demanager/instances/"+did+"/action", `{"action":"start"}`
				case 8:
					method, path = "DELETE", "/notebooks/"+id
				case 9:
					ts.clk.Advance(time.Duration(r.IntN(5000)) * time.Millisecond)
					method, path = "GET", "/notebooks/"+id
				}
				var rd io.Reader
				if body != "" {
					rd = strings.NewReader(body)
				}
				req, _ := http.NewRequest(method, "/v1/"+ts.pid+path, rd)
				rec := httptest.NewRecorder()
				ts.s.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
					t.Errorf("%s %s: %d %s", method, path, rec.Code, rec.Body.String())
				}
				var v any
				if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
					t.Errorf("%s %s: invalid JSON %q", method, path, rec.Body.String())
				}
			}
		}()
	}
	wg.Wait()
	// Coherent afterwards: the list's total matches its items and every
	// listed instance can be shown.
	all := ts.ok("GET", "/notebooks/all?limit=100", nil)
	if num(all["total"]) > 100 {
		all = ts.ok("GET", "/notebooks/all?limit=100&offset=0", nil)
	}
	for _, it := range list(all["data"]) {
		ts.ok("GET", "/notebooks/"+obj(it)["id"].(string), nil)
	}
}

func TestGenerateLargeSet(t *testing.T) {
	ts := newSim(t, Options{Seed: 3, Instances: 20_000})
	g2 := ts.ok("GET", "/notebooks/all?limit=1", nil)
	g1 := ts.ok("GET", "/demanager/instances?de_type=Notebook&limit=1", nil)
	if num(g2["total"])+num(g1["total_count"]) != 20_000 || num(g1["total_count"]) != 4_000 {
		t.Fatalf("generated %v + %v", g2["total"], g1["total_count"])
	}
	if _, err := New(Options{Instances: MaxInstances + 1}); err == nil {
		t.Error("more than MaxInstances accepted")
	}
	// Time passes; lease expiries stop generated instances lazily.
	running := num(ts.ok("GET", "/notebooks?status=RUNNING&limit=1", nil)["total"])
	ts.advance(13 * time.Hour)
	if after := num(ts.ok("GET", "/notebooks?status=RUNNING&limit=1", nil)["total"]); after >= running || after != 0 {
		t.Fatalf("running %d → %d after 13 h", running, after)
	}
}

func TestStartServesOverTCP(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rn, err := Start(ctx, Options{Seed: 1, NoAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rn.Close()
	if rn.Credentials.Endpoint != rn.URL || rn.Credentials.ProjectID == "" || rn.Credentials.AK == "" || rn.Credentials.SK == "" {
		t.Fatalf("credentials: %+v", rn.Credentials)
	}
	resp, err := http.Get(rn.URL + "/v1/" + rn.Credentials.ProjectID + "/notebooks")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Date") == "" {
		t.Fatalf("GET: %d", resp.StatusCode)
	}
	if err := rn.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(rn.URL + "/v1/x/notebooks"); err == nil {
		t.Fatal("still serving after Close")
	}
}

func BenchmarkNew100000(b *testing.B) {
	for b.Loop() {
		if _, err := New(Options{Seed: 1, Instances: MaxInstances, Clock: NewManualClock(t0)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkList10000 lists pages out of 10,000 Gen 2 instances with a
// filter and a non-default sort (cached between requests), and the whole
// Gen 1 list of a 10,000-instance Gen 1 set.
func BenchmarkList10000(b *testing.B) {
	ts := newSim(b, Options{Seed: 1, Instances: 12_500}) // 10,000 Gen 2
	b.Run("gen2-page", func(b *testing.B) {
		for b.Loop() {
			code, _, _ := ts.do("GET", "/notebooks?limit=50&offset=5000&status=RUNNING&sort_key=name", nil)
			if code != 200 {
				b.Fatal(code)
			}
		}
	})
	big := newSim(b, Options{Seed: 1, Instances: 50_000}) // 10,000 Gen 1
	b.Run("gen1-all", func(b *testing.B) {
		for b.Loop() {
			code, _, _ := big.do("GET", "/demanager/instances?de_type=Notebook", nil)
			if code != 200 {
				b.Fatal(code)
			}
		}
	})
}
