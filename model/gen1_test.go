package model

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The Ascend sample of §2.1 and seeds 000/001.
var ascendSpec = Spec{Kind: KindAscend, Count: 1, CardMemoryBytes: 32 << 30, Type: "Ascend 910", VCPUs: 24, MemoryBytes: 96 << 30}

func TestGen1ListSample(t *testing.T) {
	resp, ins, err := DecodeDevList(sample(t, "gen1_list.json"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.TotalCount != 1 || len(resp.Instances) != 1 || len(ins) != 1 {
		t.Fatalf("%+v", resp)
	}
	d := resp.Instances[0]
	if d.CreationTimestamp != 1614669154682 || d.LatestUpdateTimestamp != 1614669154682 ||
		d.FlavorDetails.Type != "Ascend" || d.FlavorDetails.Status != "onSale" ||
		!reflect.DeepEqual(d.FlavorDetails.StorageList, []string{"obs", "efs"}) ||
		d.FlavorDetails.Params["CPU"] != float64(24) || d.FlavorDetails.Params["type"] != "Ascend 910" ||
		d.Profile.Provision.Spec.Params.ImageName != "mul-kernel-d910-arm-cp37" || d.Profile.Provision.Spec.Engine != "CCE" ||
		d.Spec.AutoStop != (DevAutoStop{Enable: true, Duration: 3600, Prompt: true, RemainTime: 3465, StopTimestamp: 1614672767697}) ||
		d.AIProject.ID != "default-ai-project" || d.Workspace.ID != "0" {
		t.Errorf("wire: %+v", d)
	}
	want := Instance{
		Generation: Gen1, ID: "DE-a970f5d4-7b26-11eb-91ca-0255ac10003b", Name: "notebook-d115",
		Status: "RUNNING", Class: ClassRunning, Flavor: "modelarts.kat1.xlarge",
		Spec:     ascendSpec,
		Image:    "Ascend-Powered-Engine 1.0 (python3)",
		ImageID:  "efa847c0-7359-11eb-b34f-0255ac100057",
		Storage:  Storage{Kind: "OBS", Path: "/aaaaaaaaa/output/"},
		AutoStop: AutoStop{Enabled: true, Type: "TIMING", Duration: time.Hour, Deadline: ms(1614672767697)},
		Created:  ms(1614669154682), Updated: ms(1614669154682),
		Owner: "modelarts_manage_admin",
	}
	got := ins[0]
	got.Raw, got.wire = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("instance:\n got %+v\nwant %+v", got, want)
	}
	if raw := ins[0].RawJSON(); !strings.Contains(string(raw), `"creation_timestamp":"1614669154682"`) {
		t.Errorf("Raw must be the original item: %s", raw)
	}
}

func TestGen1GetGPUSample(t *testing.T) {
	_, in, err := DecodeDevInstance(sample(t, "gen1_get_gpu.json"))
	if err != nil {
		t.Fatal(err)
	}
	if in.Spec != (Spec{Kind: KindGPU, Count: 1, Type: "V100", VCPUs: 8, MemoryBytes: 64 << 30}) {
		t.Errorf("spec %+v", in.Spec)
	}
	if in.Storage != (Storage{Kind: "EVS", CapacityGB: 5, Path: "/home/ma-user/work"}) {
		t.Errorf("storage %+v", in.Storage)
	}
	// §5: stop_timestamp − latest_update_timestamp ≈ remain_time.
	if !in.AutoStop.Deadline.Equal(ms(1594891408723)) || in.AutoStop.Deadline.Sub(in.Updated).Round(time.Second) != 3338*time.Second {
		t.Errorf("auto-stop %+v", in.AutoStop)
	}
}

func TestGen1CreateAndModifyResponses(t *testing.T) {
	d, in, err := DecodeDevInstance(sample(t, "gen1_create_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if in.Status != "CREATING" || in.Class != ClassTransitional || in.Spec != ascendSpec || in.URL != "" {
		t.Errorf("create: %+v", in)
	}
	// Enabled but no stop_timestamp yet: no deadline.
	if !in.AutoStop.Enabled || !in.AutoStop.Deadline.IsZero() {
		t.Errorf("create auto-stop: %+v", in.AutoStop)
	}
	if d.Profile.Provision.Annotations["type"] != "system" || d.Spec.FailedReasons != nil || d.Spec.Repository != nil || d.Spec.ExtendStorage != nil {
		t.Errorf("create wire: %+v", d)
	}

	_, in, err = DecodeDevInstance(sample(t, "gen1_modify_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if in.Description != "This is for test." || !in.Updated.Equal(ms(1614671231851)) || !in.Created.Equal(ms(1614669154682)) ||
		in.URL != "https://10.176.46.12:32000/modelarts/internal/hub/notebook/user/DE-a970f5d4-7b26-11eb-91ca-0255ac10003b" ||
		!in.AutoStop.Deadline.Equal(ms(1614672767697)) || in.Spec != ascendSpec {
		t.Errorf("modify: %+v", in)
	}
}

func TestGen1SmallResponses(t *testing.T) {
	var del DeleteDevResponse
	if err := json.Unmarshal(sample(t, "gen1_delete_response.json"), &del); err != nil || del.InstanceID != "6fa459ea-ee8a-3ca4-894e-db77e160355e" {
		t.Errorf("delete: %+v %v", del, err)
	}
	var act DevActionResponse
	if err := json.Unmarshal(sample(t, "gen1_action_response.json"), &act); err != nil || act.CurrentStatus != "STARTING" || act.PreviousState != "STOPPED" {
		t.Errorf("action: %+v %v", act, err)
	}
	var tok DevTokenResponse
	if err := json.Unmarshal(sample(t, "gen1_token_response.json"), &tok); err != nil || tok.Token.Reveal() != "7211546f57cd432790643bb6612da19d" {
		t.Errorf("token: %v", err)
	}
	if e, ok := ParseErrorBody(sample(t, "gen1_delete_error_6304.json")); !ok || e.Code != "ModelArts.6304" {
		t.Errorf("6304: %+v", e)
	}
}

// §1/§8.19: the creation/update timestamps are strings on the wire; the
// simulator must write them so, and the decoder must accept numbers too.
func TestGen1TimestampsRoundTrip(t *testing.T) {
	d, _, _ := DecodeDevInstance(sample(t, "gen1_modify_response.json"))
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.Contains(s, `"creation_timestamp":"1614669154682"`) || !strings.Contains(s, `"latest_update_timestamp":"1614671231851"`) ||
		!strings.Contains(s, `"stop_timestamp":1614672767697`) || strings.Count(s, "creation_timestamp") != 1 {
		t.Errorf("marshal: %s", s)
	}
	var back DevInstance
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, d) {
		t.Errorf("round trip differs:\n%+v\n%+v", back, d)
	}
	var num DevInstance
	_ = json.Unmarshal([]byte(`{"creation_timestamp":1614669154682,"latest_update_timestamp":"","spec":{"auto_stop":{"stop_timestamp":"1614672767697","enable":true}}}`), &num)
	if num.CreationTimestamp != 1614669154682 || num.LatestUpdateTimestamp != 0 || num.Spec.AutoStop.StopTimestamp != 1614672767697 {
		t.Errorf("numeric: %+v", num)
	}
}

// §8.3: params keys and kind values vary in case and type.
func TestGen1ParamsVariants(t *testing.T) {
	cases := []struct {
		name string
		body string
		want Spec
	}{
		{"ASCEND upper, lowercase keys, numeric strings",
			`{"flavor":"modelarts.kat1.xlarge","flavor_details":{"type":"ASCEND","params":{"cpu":"24","npu":"1","Graphics_Memory":"32 GB","MEMORY":"96GiB","Type":"Ascend 910"}}}`,
			ascendSpec},
		{"kind from profile.flavor_type",
			`{"flavor":"x","flavor_details":{"params":{"CPU":24,"NPU":1,"memory":96}},"profile":{"flavor_type":"Ascend"}}`,
			Spec{Kind: KindAscend, Count: 1, VCPUs: 24, MemoryBytes: 96 << 30}},
		{"kind from card counts",
			`{"flavor":"x","flavor_details":{"params":{"CPU":8,"GPU":2,"gpu_type":"Tesla P100","memory":"64GiB","arch":"X86_64"}}}`,
			Spec{Kind: KindGPU, Count: 2, Type: "P100", VCPUs: 8, MemoryBytes: 64 << 30, Arch: "x86_64"}},
		{"CPU from params",
			`{"flavor":"modelarts.vm.cpu.8u","flavor_details":{"type":"cpu","params":{"CPU":8,"memory":"32GiB"}}}`,
			Spec{Kind: KindCPU, VCPUs: 8, MemoryBytes: 32 << 30}},
		{"no params: flavor id",
			`{"flavor":"modelarts.vm.gpu.p100","flavor_details":{"params":null}}`,
			Spec{Kind: KindGPU, Type: "P100"}},
		{"garbage params",
			`{"flavor":"modelarts.vm.cpu.2u","flavor_details":{"params":{"CPU":"lots","memory":"big","NPU":-1,"GPU":{"n":1}}}}`,
			Spec{Kind: KindCPU, VCPUs: 2}},
		{"params not an object",
			`{"flavor":"modelarts.vm.cpu.2u","flavor_details":{"params":"CPU=2"}}`,
			Spec{Kind: KindCPU, VCPUs: 2}},
	}
	for _, c := range cases {
		_, in, err := DecodeDevInstance([]byte(c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if in.Spec != c.want {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, in.Spec, c.want)
		}
	}
}

func TestGen1QueueFailureAndOwner(t *testing.T) {
	body := `{"id":"DE-q","status":"create_queuing","error_code":"ModelArts.6360",
	  "queuing_info":{"status":"CREATE_QUEUING","rank":"3","begin_timestamp":1600000000000,"remain_time":600},
	  "spec":{"failed_reasons":{"code":"ModelArts.6360","message":"insufficient backend resources","detail":{"a":"b"}},
	          "auto_stop":{"enable":false,"duration":3600,"stop_timestamp":1600000003600}},
	  "pool":{"id":"pool-1","type":"USER_DEFINED","owner":{"project_id":"p"}},"user":{"id":"u-1"}}`
	d, in, err := DecodeDevInstance([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if in.Status != "CREATE_QUEUING" || in.Class != ClassQueued || in.QueueRank != 3 ||
		!in.QueueDeadline.Equal(ms(1600000000000+600000)) {
		t.Errorf("queue: %+v", in)
	}
	if in.FailReason != "insufficient backend resources (ModelArts.6360)" || in.Owner != "u-1" || in.Pool != "pool-1" {
		t.Errorf("fail/owner/pool: %+v", in)
	}
	// Auto-stop disabled: stop_timestamp is ignored.
	if in.AutoStop.Enabled || !in.AutoStop.Deadline.IsZero() || in.AutoStop.Duration != time.Hour {
		t.Errorf("auto-stop: %+v", in.AutoStop)
	}
	if d.Pool.Owner.ProjectID != "p" || d.Spec.FailedReasons.Detail["a"] != "b" {
		t.Errorf("wire: %+v", d)
	}
	// end_timestamp wins over begin + remain_time.
	_, in, _ = DecodeDevInstance([]byte(`{"queuing_info":{"begin_timestamp":1,"remain_time":5,"end_timestamp":1600000000000,"rank":1}}`))
	if !in.QueueDeadline.Equal(ms(1600000000000)) || in.QueueRank != 1 {
		t.Errorf("end_timestamp: %+v", in)
	}
	// Only a code, or only a message.
	_, in, _ = DecodeDevInstance([]byte(`{"spec":{"failed_reasons":{"code":"ModelArts.6200"}}}`))
	if in.FailReason != "ModelArts.6200" {
		t.Errorf("code only: %q", in.FailReason)
	}
}

// volume_size as a string (DevLocation.VolumeSize in requests.go is an int).
func TestGen1VolumeSizeString(t *testing.T) {
	var d DevInstance
	_ = json.Unmarshal([]byte(`{"spec":{"storage":{"type":"EVS","location":{"path":"/home/ma-user/work","volume_size":"20"}},
	  "extend_storage":[{"type":"obsfs","location":{"path":"bucket","volume_size":"7.0"}},{"type":"obsfs"}]}}`), &d)
	if d.Spec.Storage.Location == nil || d.Spec.Storage.Location.VolumeSize != 20 ||
		len(d.Spec.ExtendStorage) != 2 || d.Spec.ExtendStorage[0].Location.VolumeSize != 7 || d.Spec.ExtendStorage[1].Location != nil {
		t.Errorf("%+v", d.Spec)
	}
	if in := FromDevInstance(d); in.Storage.CapacityGB != 20 || in.Storage.Kind != "EVS" {
		t.Errorf("%+v", in.Storage)
	}
}

func TestGen1NullsEverywhere(t *testing.T) {
	body := `{"id":null,"status":null,"creation_timestamp":null,"flavor_details":null,"profile":null,"spec":null,
	  "workspace":null,"pool":null,"ai_project":null,"queuing_info":null,"user":null,"repository":null,"unknown":{"deep":[null]}}`
	d, in, err := DecodeDevInstance([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if d.QueuingInfo != nil || d.Repository != nil || in.Class != ClassTransitional || in.QueueRank != 0 || !in.Created.IsZero() {
		t.Errorf("%+v %+v", d, in)
	}
	if raw := in.RawJSON(); !strings.Contains(string(raw), `"unknown"`) {
		t.Errorf("raw %s", raw)
	}
}
