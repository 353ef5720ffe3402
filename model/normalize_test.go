package model

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestClassOfEveryStatus(t *testing.T) {
	cases := map[string]StatusClass{
		// §4.2 Gen 2
		"INIT": ClassTransitional, "CREATING": ClassTransitional, "STARTING": ClassTransitional,
		"RUNNING": ClassRunning, "STOPPING": ClassTransitional, "STOPPED": ClassStopped,
		"SNAPSHOTTING": ClassTransitional, "DELETING": ClassTransitional, "DELETED": ClassStopped,
		"CREATE_FAILED": ClassFailed, "START_FAILED": ClassFailed, "DELETE_FAILED": ClassFailed,
		"ERROR": ClassFailed, "FROZEN": ClassStopped,
		// §4.1 Gen 1 additions
		"RESTARTING": ClassTransitional, "UNAVAILABLE": ClassFailed, "RESIZING": ClassTransitional,
		"RESIZE_FAILED": ClassFailed, "CREATE_QUEUING": ClassQueued, "START_QUEUING": ClassQueued,
		"READY_TO_START": ClassTransitional,
		// case and whitespace, unknown
		"running": ClassRunning, " Stopped ": ClassStopped, "start_queuing": ClassQueued,
		"SOMETHING_NEW": ClassTransitional, "": ClassTransitional,
	}
	for s, want := range cases {
		for _, g := range []Generation{Gen1, Gen2} {
			if got := ClassOf(g, s); got != want {
				t.Errorf("ClassOf(%v, %q) = %s, want %s", g, s, got, want)
			}
		}
	}
	if !IsTransitional("starting") || IsTransitional("RUNNING") || IsTransitional("START_QUEUING") {
		t.Error("IsTransitional")
	}
	if !IsFailed("create_failed") || !IsFailed("ERROR") || IsFailed("STOPPED") {
		t.Error("IsFailed")
	}
}

func TestParseMemory(t *testing.T) {
	good := map[string]int64{
		"96GiB": 96 << 30, "32GB": 32 << 30, "64 GB": 64 << 30, "1.5TiB": 3 << 39, "512MiB": 512 << 20,
		"8G": 8 << 30, "8gi": 8 << 30, "1024": 1024, "100KB": 102400, "2k": 2048, "1PiB": 1 << 50,
		" 16 gib ": 16 << 30, "0.5GB": 1 << 29, "7B": 7, "0": 0,
	}
	for in, want := range good {
		got, ok := ParseMemory(in)
		if !ok || got != want {
			t.Errorf("ParseMemory(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "GB", "-1GB", "1e3GB", "12 parsecs", "1.2.3G", "NaN", "Inf", "99999999999PiB", ".", "0x10"} {
		if got, ok := ParseMemory(in); ok {
			t.Errorf("ParseMemory(%q) = %d, true; want false", in, got)
		}
	}
}

func TestSpecFromFlavorID(t *testing.T) {
	cases := map[string]Spec{
		"modelarts.vm.cpu.2u":        {Kind: KindCPU, VCPUs: 2},
		"modelarts.vm.cpu.8u":        {Kind: KindCPU, VCPUs: 8},
		"modelarts.vm.cpu.free":      {Kind: KindCPU},
		"modelarts.vm.gpu.free":      {Kind: KindGPU},
		"modelarts.bm.gpu.v100NV32":  {Kind: KindGPU, Type: "V100"},
		"modelarts.vm.gpu.p100":      {Kind: KindGPU, Type: "P100"},
		"modelarts.kat1.xlarge":      {Kind: KindAscend, Type: "Ascend 910"},
		"modelarts.bm.d910.xlarge.8": {Kind: KindAscend, Type: "Ascend 910", Count: 8},
		"modelarts.bm.npu.example.1": {Kind: KindAscend, Count: 1},
		"modelarts.bm.snt9b.xlarge":  {Kind: KindAscend, Type: "Ascend 910B"},
		"modelarts.vm.d310.large":    {Kind: KindAscend, Type: "Ascend 310"},
		"custom.flavor.spec.code":    {},
		"":                           {},
		"something.else":             {},
	}
	for id, want := range cases {
		if got := SpecFromFlavorID(id); got != want {
			t.Errorf("SpecFromFlavorID(%q) = %+v, want %+v", id, got, want)
		}
	}
}

func TestFromNotebookWithoutBytes(t *testing.T) {
	nb := Notebook{ID: "n", Status: "stopped", Token: "very-secret-token-value", Flavor: "modelarts.kat1.xlarge",
		User: NotebookUser{ID: "uid"}, Volume: VolumeRes{Category: "evs", Capacity: 5, MountPath: "/home/ma-user/work/", Status: "RESIZING"}}
	lookups := 0
	in := FromNotebook(nb, func(id string) (NotebookFlavor, bool) {
		lookups++
		return NotebookFlavor{ID: id, Category: "ASCEND", VCPUs: 24, Ascend: AscendInfo{NPU: 1, NPUMemory: "32GB", Type: "Ascend 910"}}, true
	})
	if lookups != 1 || in.Spec.Kind != KindAscend || in.Spec.Count != 1 || in.Spec.CardMemoryBytes != 32<<30 || in.Spec.VCPUs != 24 {
		t.Errorf("spec %+v", in.Spec)
	}
	if in.Status != "STOPPED" || in.Class != ClassStopped || in.Owner != "uid" ||
		in.Storage != (Storage{Kind: "EVS", CapacityGB: 5, Path: "/home/ma-user/work/", Status: "RESIZING"}) {
		t.Errorf("%+v", in)
	}
	if raw := in.RawJSON(); strings.Contains(string(raw), "very-secret-token-value") || !json.Valid(raw) {
		t.Errorf("raw %s", raw)
	}
	// No flavor: no lookup.
	FromNotebook(Notebook{ID: "x"}, func(string) (NotebookFlavor, bool) {
		t.Error("looked up an empty flavor")
		return NotebookFlavor{}, false
	})
}

func TestRedactJSON(t *testing.T) {
	in := `{"token":"t1","nested":{"Access_Token":"t2","list":[{"ssh_private_key":"t3","password":""}]},
	  "count":12345678901234567890,"url":"https://h/a?b=1&c=2","token_name":"keep"}`
	out := string(RedactJSON([]byte(in)))
	for _, leak := range []string{"t1", "t2", "t3"} {
		if strings.Contains(out, `"`+leak+`"`) {
			t.Errorf("%s leaked: %s", leak, out)
		}
	}
	for _, keep := range []string{`"count":12345678901234567890`, `"url":"https://h/a?b=1&c=2"`, `"token_name":"keep"`, `"password":""`} {
		if !strings.Contains(out, keep) {
			t.Errorf("missing %s in %s", keep, out)
		}
	}
	for _, bad := range []string{`{"token":`, `{"a":1} {"token":"x"}`, ``, `nope`} {
		if r := RedactJSON([]byte(bad)); r != nil {
			t.Errorf("RedactJSON(%q) = %s, want nil", bad, r)
		}
	}
}
