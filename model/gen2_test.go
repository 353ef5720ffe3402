package model

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sample reads a file of testdata/.
func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ms(n int64) time.Time { return time.UnixMilli(n) }

// catalogFrom builds a flavor lookup from a flavor list sample.
func catalogFrom(t testing.TB, file string) func(string) (NotebookFlavor, bool) {
	t.Helper()
	var p Page[NotebookFlavor]
	if err := json.Unmarshal(sample(t, file), &p); err != nil {
		t.Fatal(err)
	}
	m := map[string]NotebookFlavor{}
	for _, f := range p.Items() {
		m[f.ID] = f
	}
	return func(id string) (NotebookFlavor, bool) { f, ok := m[id]; return f, ok }
}

func TestGen2FullNotebook(t *testing.T) {
	nb, in, err := DecodeNotebook(sample(t, "gen2_notebook_full.json"), catalogFrom(t, "gen2_flavors.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Wire fields.
	if nb.ID != "936bea3e-d3df-435e-8b58-d817283284ae" || nb.Name != "notebooks_test" || nb.Description != "api-test" ||
		nb.Feature != "NOTEBOOK" || nb.Status != "RUNNING" || nb.Flavor != "modelarts.vm.cpu.2u" ||
		nb.CreateAt != 1687656452472 || nb.UpdateAt != 1687656479880 || nb.WorkspaceID != "0" {
		t.Errorf("scalars: %+v", nb)
	}
	if nb.Image.ID != "e1a07296-22a8-4f05-8bc8-e936c8e54090" || nb.Image.Type != "BUILD_IN" ||
		nb.Image.SwrPath != "swr.com/atelier/notebook2.0-mul-kernel-cpu-cp36:5.0.1-release-v2-20220505" {
		t.Errorf("image: %+v", nb.Image)
	}
	if want := (Lease{CreateAt: 1687656452470, Duration: 3627372, Enable: true, Type: "TIMING", UpdateAt: 1687656479842}); nb.Lease != want {
		t.Errorf("lease: %+v", nb.Lease)
	}
	if len(nb.Endpoints) != 1 || nb.Endpoints[0].Service != "NOTEBOOK" || !strings.HasSuffix(nb.Endpoints[0].URI, "/lab") {
		t.Errorf("endpoints: %+v", nb.Endpoints)
	}
	if want := (VolumeRes{Category: "EFS", Ownership: "MANAGED", MountPath: "/home/ma-user/work/", Capacity: 50}); nb.Volume != want {
		t.Errorf("volume: %+v", nb.Volume)
	}
	if nb.User.Name != "test" || nb.User.Domain.Name != "hwstaff_test" || nb.UserID != "99250e43…a885" {
		t.Errorf("user: %+v %q", nb.User, nb.UserID)
	}
	if !reflect.DeepEqual(nb.BillingItems, []string{"COMPUTE"}) || nb.DataVolumes == nil || len(nb.DataVolumes) != 0 {
		t.Errorf("billing/data volumes: %v %#v", nb.BillingItems, nb.DataVolumes)
	}
	if nb.Token.Reveal() != "3452e0d5-15fe-a20d-18a2-010a574aeaaf" {
		t.Error("token")
	}

	// Normalised view.
	want := Instance{
		Generation: Gen2, ID: nb.ID, Name: "notebooks_test", Description: "api-test",
		Status: "RUNNING", Class: ClassRunning, Feature: "NOTEBOOK", Flavor: "modelarts.vm.cpu.2u",
		Spec:    Spec{Kind: KindCPU, VCPUs: 2, MemoryBytes: 8 << 30, Arch: "x86_64"},
		Image:   "notebook2.0-mul-kernel-cpu-cp36:5.0.1-release-v2-20220505",
		ImageID: "e1a07296-22a8-4f05-8bc8-e936c8e54090",
		Storage: Storage{Kind: "EFS", CapacityGB: 50, Path: "/home/ma-user/work/"},
		AutoStop: AutoStop{Enabled: true, Type: "TIMING", Duration: 3627372 * time.Millisecond,
			// create_at + duration = the moment it became RUNNING + 1 h (§5).
			Deadline: ms(1687656479842 + 3600000)},
		Created: ms(1687656452472), Updated: ms(1687656479880),
		Owner:     "test",
		URL:       "https://authoring-modelarts.com/936bea3e-d3df-435e-8b58-d817283284ae/lab",
		Endpoints: []Access{{Service: "NOTEBOOK", URI: "https://authoring-modelarts.com/936bea3e-d3df-435e-8b58-d817283284ae/lab"}},
	}
	got := in
	got.Raw, got.wire = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("instance:\n got %+v\nwant %+v", got, want)
	}
	if raw := string(in.RawJSON()); strings.Contains(raw, "3452e0d5") || !strings.Contains(raw, `"token":"[redacted]"`) ||
		!strings.Contains(raw, `"billing_items":["COMPUTE"]`) {
		t.Errorf("raw: %s", raw)
	}
}

func TestGen2WithoutCatalogGuessesFromFlavorID(t *testing.T) {
	miss := func(string) (NotebookFlavor, bool) { return NotebookFlavor{}, false }
	for name, lookup := range map[string]func(string) (NotebookFlavor, bool){"nil": nil, "miss": miss} {
		_, in, err := DecodeNotebook(sample(t, "gen2_notebook_full.json"), lookup)
		if err != nil {
			t.Fatal(err)
		}
		if in.Spec != (Spec{Kind: KindCPU, VCPUs: 2}) {
			t.Errorf("%s: %+v", name, in.Spec)
		}
	}
}

func TestGen2LifecycleResponses(t *testing.T) {
	cases := []struct {
		file     string
		status   string
		class    StatusClass
		deadline int64
		feature  string
		steps    int
		token    string
	}{
		{"gen2_create_response.json", "CREATING", ClassTransitional, 1638841744515 + 3600000, "NOTEBOOK", 4, "3eff13f2-3d70-5456-6dc7-e3f99f562022"},
		{"gen2_delete_response.json", "DELETING", ClassTransitional, 1638841805439 + 3600000, "DEFAULT", 0, ""},
		{"gen2_start_response.json", "STARTING", ClassTransitional, 1687659392569 + 3600000, "", 0, "6f773860-21d4-9fe8-75c8-a38ea13ebf08"},
		{"gen2_stop_response.json", "STOPPING", ClassTransitional, 1687659052284 + 3600000, "", 0, ""},
		{"gen2_codelab_open_response.json", "CREATING", ClassTransitional, 1638841805439 + 3600000, "DEFAULT", 4, "58ba50c6-e8ff-245c-4840-49e51aa70737"},
	}
	for _, c := range cases {
		nb, in, err := DecodeNotebook(sample(t, c.file), nil)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if in.Status != c.status || in.Class != c.class || in.Feature != c.feature || len(in.Progress) != c.steps {
			t.Errorf("%s: %+v", c.file, in)
		}
		if !in.AutoStop.Enabled || in.AutoStop.Type != "TIMING" || !in.AutoStop.Deadline.Equal(ms(c.deadline)) {
			t.Errorf("%s: auto-stop %+v, want deadline %d", c.file, in.AutoStop, c.deadline)
		}
		if nb.Token.Reveal() != c.token {
			t.Errorf("%s: token", c.file)
		}
		if c.token != "" && strings.Contains(string(in.RawJSON()), c.token) {
			t.Errorf("%s: token in Raw", c.file)
		}
	}
}

func TestGen2CodeLabOpen(t *testing.T) {
	_, in, err := DecodeNotebook(sample(t, "gen2_codelab_open_response.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if in.Flavor != "modelarts.vm.cpu.free" || in.Spec.Kind != KindCPU ||
		in.Image != "notebook2.0-mul-kernel-cpu-cp36:3.3.2-release_v1" ||
		!in.Created.Equal(ms(1638841805440)) || !in.Updated.Equal(ms(1638841805440)) {
		t.Errorf("%+v", in)
	}
	wantSteps := []Step{
		{1, "WAITING", "Prepare the storage."},
		{2, "WAITING", "Prepare the compute resource."},
		{3, "WAITING", "Configuring the network."},
		{4, "WAITING", "Initialize the notebook instance."},
	}
	if !reflect.DeepEqual(in.Progress, wantSteps) {
		t.Errorf("progress %+v", in.Progress)
	}
}

func TestGen2List(t *testing.T) {
	page, ins, err := DecodeNotebookList(sample(t, "gen2_list.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if page.Current != 0 || page.Pages != 1 || page.Size != 10 || page.Total != 2 || len(page.Data) != 2 || len(ins) != 2 {
		t.Fatalf("page: %+v", page)
	}
	if ins[0].ID != "936bea3e-d3df-435e-8b58-d817283284ae" || ins[1].ID != "f9937afa-ca78-45b6-bc12-7ecf42553c48" {
		t.Errorf("ids: %s %s", ins[0].ID, ins[1].ID)
	}
	// Each item's Raw is its own original object, redacted.
	var raw0 map[string]any
	if err := json.Unmarshal(ins[0].RawJSON(), &raw0); err != nil || raw0["id"] != ins[0].ID || raw0["token"] != Redacted {
		t.Errorf("raw0: %s", ins[0].RawJSON())
	}
	if strings.Contains(string(ins[1].RawJSON()), "token") {
		t.Errorf("raw1 has a token member it never had: %s", ins[1].RawJSON())
	}
	// Non-object items are skipped.
	_, ins, err = DecodeNotebookList([]byte(`{"data":[1,null,{"id":"x"}],"total":"3"}`), nil)
	if err != nil || len(ins) != 1 || ins[0].ID != "x" {
		t.Errorf("odd items: %+v %v", ins, err)
	}
}

func TestLease(t *testing.T) {
	var l Lease
	if err := json.Unmarshal(sample(t, "gen2_lease.json"), &l); err != nil {
		t.Fatal(err)
	}
	// Renew at update_at resets the deadline to now + 1 h (§5).
	if !l.Deadline().Equal(ms(1687657510014 + 3600000)) {
		t.Errorf("deadline %v", l.Deadline())
	}
	if r, ok := l.Remaining(ms(1687657510014)); !ok || r != time.Hour {
		t.Errorf("remaining %v %v", r, ok)
	}
	if r, ok := l.Remaining(ms(1687657510014 + 2*3600000)); !ok || r != 0 {
		t.Errorf("past deadline should clamp to 0: %v", r)
	}

	// §8.21: the inconsistent prolong sample is taken at face value.
	_ = json.Unmarshal(sample(t, "gen2_lease_prolong_inconsistent.json"), &l)
	if !l.Deadline().Equal(ms(1638841744515 + 3600000)) {
		t.Errorf("prolong deadline %v", l.Deadline())
	}

	// Disabled, no auto-stop (-1) and empty leases have no deadline.
	for _, in := range []string{
		`{"create_at":1687656452470,"duration":3600000,"enable":false}`,
		`{"create_at":1687656452470,"duration":-1,"enable":true}`,
		`{"enable":true}`,
		`{"create_at":1,"duration":9223372036854775807,"enable":true}`,
	} {
		var l Lease
		_ = json.Unmarshal([]byte(in), &l)
		if !l.Deadline().IsZero() {
			t.Errorf("%s: deadline %v", in, l.Deadline())
		}
		if _, ok := l.Remaining(time.Now()); ok {
			t.Errorf("%s: Remaining should report no deadline", in)
		}
	}
}

// §8.2: OTC-2024 (seed 003's table) names the lease times create_time/update_time.
func TestLeaseCreateTimeFallback(t *testing.T) {
	var l Lease
	_ = json.Unmarshal([]byte(`{"create_time":"1638841805439","update_time":1638841805440,"duration":"3600000","enable":true}`), &l)
	if l.CreateAt != 1638841805439 || l.UpdateAt != 1638841805440 || l.Duration != 3600000 {
		t.Fatalf("%+v", l)
	}
	_ = json.Unmarshal([]byte(`{"create_at":5,"create_time":7}`), &l)
	if l.CreateAt != 5 {
		t.Errorf("create_at must win: %d", l.CreateAt)
	}
	// Through a whole notebook, and lowercase type (§8.6).
	_, in, _ := DecodeNotebook([]byte(`{"id":"n","status":"running","lease":{"create_time":1000000000000,"duration":3600000,"enable":true,"type":"idle"}}`), nil)
	if in.Status != "RUNNING" || in.Class != ClassRunning || in.AutoStop.Type != "IDLE" ||
		!in.AutoStop.Deadline.Equal(ms(1000003600000)) || !in.Created.Equal(ms(1000000000000)) {
		t.Errorf("%+v", in)
	}
}

// §8.5: step_description alias and unordered steps.
func TestJobProgressAliasesAndOrder(t *testing.T) {
	in := `{"id":"n","status":"CREATING","action_progress":[
	  {"step":4,"status":"waiting","step_description":"Initialize the notebook instance.","notebook_id":"n"},
	  {"step":"3","status":"WAITING","description":"Configuring the network."},
	  {"step":2,"status":"PROCESSING","description":"Prepare the compute resource.","step_description":"ignored"},
	  {"step":1,"status":"COMPLETED","description":"Prepare the storage."}]}`
	nb, inst, err := DecodeNotebook([]byte(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	if nb.ActionProgress[0].NotebookID != "n" || nb.ActionProgress[0].Description != "Initialize the notebook instance." {
		t.Errorf("alias: %+v", nb.ActionProgress[0])
	}
	want := []Step{
		{1, "COMPLETED", "Prepare the storage."},
		{2, "PROCESSING", "Prepare the compute resource."},
		{3, "WAITING", "Configuring the network."},
		{4, "WAITING", "Initialize the notebook instance."},
	}
	if !reflect.DeepEqual(inst.Progress, want) {
		t.Errorf("progress: %+v", inst.Progress)
	}
}

// §8.4: dev_service/ssh_keys (OTC-2024) and service/key_pair_names (SDK).
func TestEndpointAliases(t *testing.T) {
	var nb Notebook
	_ = json.Unmarshal([]byte(`{"endpoints":[
	  {"dev_service":"SSH","ssh_keys":["kp-1"],"uri":"192.168.0.10","allowed_access_ips":["1.1.1.1"]},
	  {"service":"NOTEBOOK","dev_service":"SSH","key_pair_names":["kp-2"],"ssh_keys":["kp-3"]},
	  {"allowed_access_ips":["1.1.1.1"]}]}`), &nb)
	want := []Endpoint{
		{Service: "SSH", URI: "192.168.0.10", KeyPairNames: []string{"kp-1"}, AllowedAccessIPs: []string{"1.1.1.1"}},
		{Service: "NOTEBOOK", KeyPairNames: []string{"kp-2"}},
		{AllowedAccessIPs: []string{"1.1.1.1"}},
	}
	if !reflect.DeepEqual(nb.Endpoints, want) {
		t.Errorf("%+v", nb.Endpoints)
	}
	// The current names go on the wire.
	b, _ := json.Marshal(nb.Endpoints[0])
	if string(b) != `{"service":"SSH","uri":"192.168.0.10","key_pair_names":["kp-1"],"allowed_access_ips":["1.1.1.1"]}` {
		t.Errorf("marshal: %s", b)
	}
	// URL falls back to the NOTEBOOK endpoint.
	_, in, _ := DecodeNotebook([]byte(`{"id":"x","endpoints":[{"service":"SSH","uri":"10.0.0.1"},{"dev_service":"notebook","uri":"https://h/x/lab"}]}`), nil)
	if in.URL != "https://h/x/lab" {
		t.Errorf("url %q", in.URL)
	}
}

func TestFlavorList(t *testing.T) {
	var p Page[NotebookFlavor]
	if err := json.Unmarshal(sample(t, "gen2_flavors_both.json"), &p); err != nil {
		t.Fatal(err)
	}
	if p.Current != 1 || len(p.Data) != 2 || len(p.Flavors) != 2 || len(p.Items()) != 2 {
		t.Fatalf("%+v", p)
	}
	cpu, asc := p.Items()[0], p.Items()[1]
	if cpu.ID != "modelarts.vm.cpu.2u" || cpu.Name != "CPU: 2 vCPUs 8 GB" || cpu.VCPUs != 2 || cpu.Memory != 8388608 ||
		cpu.MemoryBytes() != 8<<30 || cpu.Billing != (BillingInfo{Code: "modelarts.vm.cpu.2u", UnitNum: 1}) ||
		cpu.Free || cpu.SoldOut || !reflect.DeepEqual(cpu.Storages, []string{"EVS", "OBSFS", "EFS", "OBS"}) {
		t.Errorf("cpu: %+v", cpu)
	}
	if !asc.SoldOut || asc.Ascend != (AscendInfo{NPU: 1, NPUMemory: "32GB", Type: "Ascend 910", Chip: 1}) ||
		asc.Billing.Code != "modelarts.kat1.xlarge" {
		t.Errorf("ascend: %+v", asc)
	}
	want := Spec{Kind: KindAscend, Count: 1, CardMemoryBytes: 32 << 30, Type: "Ascend 910", Chips: 1, VCPUs: 24, MemoryBytes: 96 << 30, Arch: "aarch64"}
	if got := SpecFromFlavor(asc); got != want {
		t.Errorf("ascend spec:\n got %+v\nwant %+v", got, want)
	}

	// OTC-2024's switchable-flavor answer has only "flavors".
	var old Page[NotebookFlavor]
	_ = json.Unmarshal(sample(t, "gen2_flavors_otc2024.json"), &old)
	if len(old.Data) != 0 || len(old.Items()) != 1 || old.Items()[0].ID != "modelarts.vm.cpu.2u" {
		t.Errorf("otc2024: %+v", old)
	}
	// And a page marshals data as [] when empty.
	b, _ := json.Marshal(Page[NotebookFlavor]{})
	if !strings.Contains(string(b), `"data":[]`) || strings.Contains(string(b), "flavors") {
		t.Errorf("empty page: %s", b)
	}
}

// §8.10: billing.unitNum, catalog "CPU" category on an Ascend flavor, uppercase arch.
func TestFlavorQuirks(t *testing.T) {
	var f NotebookFlavor
	_ = json.Unmarshal([]byte(`{"id":"modelarts.bm.snt9.xlarge","category":"CPU","arch":"AARCH64","vcpus":"24","memory":"100663296","billing":{"code":"c","unitNum":2}}`), &f)
	if f.Billing.UnitNum != 2 || f.VCPUs != 24 {
		t.Errorf("%+v", f)
	}
	if s := SpecFromFlavor(f); s.Kind != KindAscend || s.Type != "Ascend 910" || s.Arch != "aarch64" || s.MemoryBytes != 96<<30 {
		t.Errorf("spec %+v", s)
	}
	_ = json.Unmarshal([]byte(`{"billing":{"unit_num":3,"unitNum":2}}`), &f)
	if f.Billing.UnitNum != 3 {
		t.Errorf("unit_num must win: %d", f.Billing.UnitNum)
	}
	// A GPU flavor: card memory without a unit is GiB.
	f = NotebookFlavor{}
	_ = json.Unmarshal([]byte(`{"id":"modelarts.vm.gpu.p100","category":"GPU","vcpus":8,"memory":67108864,"gpu":{"gpu":1,"gpu_memory":16,"type":"nvidia-p100"}}`), &f)
	if s := SpecFromFlavor(f); s != (Spec{Kind: KindGPU, Count: 1, CardMemoryBytes: 16 << 30, Type: "P100", VCPUs: 8, MemoryBytes: 64 << 30}) {
		t.Errorf("gpu spec %+v", s)
	}
}

func TestImagesList(t *testing.T) {
	var p Page[Image]
	if err := json.Unmarshal(sample(t, "gen2_images.json"), &p); err != nil {
		t.Fatal(err)
	}
	if p.Current != 4 || p.Pages != 54 || p.Size != 2 || p.Total != 107 || len(p.Items()) != 1 {
		t.Fatalf("%+v", p)
	}
	im := p.Items()[0]
	if im.ID != "278e88d1-5b71-4766-8502-b3ba72e824d9" || im.Name != "pytorch1.8-cuda10.2-cudnn7-ubuntu18.04" ||
		im.Arch != "x86_64" || im.Type != "BUILD_IN" || im.ServiceType != "COMMON" || im.Status != "ACTIVE" ||
		!reflect.DeepEqual(im.DevServices, []string{"NOTEBOOK", "SSH"}) || !reflect.DeepEqual(im.ResourceCategories, []string{"GPU", "CPU"}) ||
		im.CreateAt != 1638841805439 || im.UpdateAt != 1638234504492 || im.WorkspaceID != "0" {
		t.Errorf("%+v", im)
	}
	if (Image{SwrPath: "swr.x/atelier/img:1.0"}).Ref() != "img:1.0" || (Image{Name: "a"}).Ref() != "a" {
		t.Error("Ref fallbacks")
	}
}

func TestCustomSpecAndStorage(t *testing.T) {
	in := `{"id":"c","flavor":"custom.flavor.spec.code","status":"STOPPED",
	  "custom_spec":{"cpu":"3.5","memory":8192,"gpu":0.5,"gpu_type":"nvidia-t4","arch":"X86_64","category":"GPU"},
	  "volume":{"category":"obs","ownership":"dedicated","uri":"obs://bucket/dir/","mount_path":"/home/ma-user/work/","capacity":"0"},
	  "pool":{"id":"pool41664192","name":""},"user":{"id":"u1"}}`
	nb, inst, err := DecodeNotebook([]byte(in), catalogFrom(t, "gen2_flavors.json"))
	if err != nil {
		t.Fatal(err)
	}
	if nb.CustomSpec == nil || nb.CustomSpec.CPU != 3.5 || nb.CustomSpec.Memory != 8192 || *nb.CustomSpec.GPU != 0.5 {
		t.Fatalf("custom spec %+v", nb.CustomSpec)
	}
	want := Spec{Kind: KindGPU, Count: 1, Type: "T4", VCPUs: 3.5, MemoryBytes: 8 << 30, Arch: "x86_64"}
	if inst.Spec != want {
		t.Errorf("spec %+v", inst.Spec)
	}
	if inst.Storage != (Storage{Kind: "OBS", Path: "obs://bucket/dir/"}) || inst.Pool != "pool41664192" || inst.Owner != "u1" || inst.Class != ClassStopped {
		t.Errorf("%+v", inst)
	}
	if inst.AutoStop != (AutoStop{}) {
		t.Errorf("no lease must mean no auto-stop: %+v", inst.AutoStop)
	}
}

func TestGen2NullsAndUnknownFields(t *testing.T) {
	in := `{"id":"n","name":null,"status":null,"image":null,"lease":null,"action_progress":null,"endpoints":[null],
	  "volume":null,"custom_spec":null,"affinity":null,"hooks":null,"user":null,"token":null,"create_at":null,
	  "brand_new_field":{"x":[1,2,3]},"lease_v2":7}`
	nb, inst, err := DecodeNotebook([]byte(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	if nb.ID != "n" || nb.CustomSpec != nil || nb.Affinity != nil || nb.Token != "" || len(nb.Endpoints) != 1 {
		t.Errorf("%+v", nb)
	}
	if inst.Class != ClassTransitional || !inst.Created.IsZero() || inst.AutoStop != (AutoStop{}) {
		t.Errorf("%+v", inst)
	}
	if raw := inst.RawJSON(); !strings.Contains(string(raw), "brand_new_field") {
		t.Errorf("unknown fields must stay in Raw: %s", raw)
	}
}

func TestAffinityResponse(t *testing.T) {
	var nb Notebook
	if err := json.Unmarshal(sample(t, "gen2_update_response_affinity.json"), &nb); err != nil {
		t.Fatal(err)
	}
	rule := AffinityRule{Key: "kubernetes.io/hostname", Operator: OpIn, Values: []string{"192.168.1.1"}}
	if nb.Affinity == nil || !reflect.DeepEqual(nb.Affinity.Required, []AffinityRule{rule}) || !reflect.DeepEqual(nb.Affinity.Preferred, []AffinityRule{rule}) {
		t.Errorf("%+v", nb.Affinity)
	}
	// OTC's partial update echo.
	_, in, err := DecodeNotebook(sample(t, "gen2_update_response_otc.json"), nil)
	if err != nil || in.Name != "notebook-1111" || in.Flavor != "modelarts.vm.cpu.8u" || in.Spec.VCPUs != 8 {
		t.Errorf("%+v %v", in, err)
	}
}

func TestRequestSamplesDecodeIntoRequestTypes(t *testing.T) {
	var c CreateNotebookRequest
	if err := json.Unmarshal(sample(t, "gen2_create_request.json"), &c); err != nil ||
		c.Volume.Category != "EVS" || c.Volume.Capacity != 50 || c.Lease == nil || c.Lease.Duration != 3600000 || c.Lease.Type != "timing" {
		t.Errorf("%+v %v", c, err)
	}
	for file, intent := range map[string]AffinityIntent{
		"gen2_update_request_affinity_replace.json":         AffinityReplace,
		"gen2_update_request_affinity_unchanged_lists.json": AffinityUnchanged,
		"gen2_update_request_affinity_clear.json":           AffinityClear,
		"gen2_update_request_affinity_null.json":            AffinityUnchanged,
	} {
		var u UpdateNotebookRequest
		if err := json.Unmarshal(sample(t, file), &u); err != nil || u.Affinity.Intent() != intent {
			t.Errorf("%s: %v %v", file, u.Affinity.Intent(), err)
		}
	}
	var d CreateDevInstanceRequest
	if err := json.Unmarshal(sample(t, "gen1_create_request.json"), &d); err != nil ||
		d.ProfileID != "Ascend-Power-Engine 1.0(python3)" || d.Spec.AutoStop == nil || *d.Spec.AutoStop.Duration != 3600 ||
		d.Spec.Storage.Location.Path != "/aaaaaaaaa/output/" {
		t.Errorf("%+v %v", d, err)
	}
	var m ModifyDevInstanceRequest
	if err := json.Unmarshal(sample(t, "gen1_modify_request.json"), &m); err != nil || *m.Description != "This is for test." {
		t.Errorf("%+v %v", m, err)
	}
}
