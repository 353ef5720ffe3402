package model

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestAutoStopJSONUsesSeconds(t *testing.T) {
	b, err := json.Marshal(AutoStop{Enabled: true, Type: "TIMING", Duration: 3600 * 1e9})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"enabled":true,"type":"TIMING","duration_seconds":3600}`; string(b) != want {
		t.Fatalf("got %s, want %s", b, want)
	}
}

// Seed 002's update response carries affinity rules; the OTC walkthrough's
// full notebook carries a NOTEBOOK endpoint. Both must reach the normalised
// view, where the details screen reads them.
func TestInstanceCarriesAffinityAndEndpoints(t *testing.T) {
	b, err := os.ReadFile("testdata/gen2_update_response_affinity.json")
	if err != nil {
		t.Fatal(err)
	}
	_, in, err := DecodeNotebook(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if in.Affinity == nil || len(in.Affinity.Required) != 1 || len(in.Affinity.Preferred) != 1 {
		t.Fatalf("affinity: %+v", in.Affinity)
	}
	r := in.Affinity.Required[0]
	if r.Key != "kubernetes.io/hostname" || r.Operator != OpIn || len(r.Values) != 1 || r.Values[0] != "192.168.1.1" {
		t.Fatalf("rule: %+v", r)
	}

	b, err = os.ReadFile("testdata/gen2_notebook_full.json")
	if err != nil {
		t.Fatal(err)
	}
	_, in, err = DecodeNotebook(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Endpoints) != 1 || in.Endpoints[0].Service != "NOTEBOOK" || !strings.HasSuffix(in.Endpoints[0].URI, "/lab") {
		t.Fatalf("endpoints: %+v", in.Endpoints)
	}
	if in.Affinity != nil {
		t.Fatalf("no rules must mean nil affinity, got %+v", in.Affinity)
	}
}

func TestCreateNotebookLegacyDuration(t *testing.T) {
	base := func(d int64) *CreateNotebookRequest {
		return &CreateNotebookRequest{Name: "nb", ImageID: "img", Flavor: "modelarts.vm.cpu.2u",
			Volume: VolumeReq{Category: "EVS", Ownership: "MANAGED"}, Duration: &d}
	}
	if err := base(-1).Validate(); err != nil {
		t.Fatalf("-1 (no auto-stop) must be accepted: %v", err)
	}
	if err := base(3_600_000).Validate(); err != nil {
		t.Fatalf("1 h must be accepted: %v", err)
	}
	err := base(60_000).Validate()
	var fe FieldErrors
	if !errors.As(err, &fe) || fe[0].Field != "duration" {
		t.Fatalf("a one-minute duration must be refused on field duration, got %v", err)
	}
	b, _ := json.Marshal(base(-1))
	if !strings.Contains(string(b), `"duration":-1`) {
		t.Fatalf("body %s", b)
	}
}

// FromNotebook defers the raw JSON to first use; it must then be the
// notebook with its token redacted, and be kept.
func TestRawJSONIsLazyAndRedacted(t *testing.T) {
	b, err := os.ReadFile("testdata/gen2_notebook_full.json")
	if err != nil {
		t.Fatal(err)
	}
	var nb Notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatal(err)
	}
	in := FromNotebook(nb, nil)
	if in.Raw != nil {
		t.Fatal("FromNotebook rendered the raw JSON eagerly")
	}
	raw := string(in.RawJSON())
	if !strings.Contains(raw, `"token":"[redacted]"`) || strings.Contains(raw, "3452e0d5") || !strings.Contains(raw, `"id":"936bea3e-d3df-435e-8b58-d817283284ae"`) {
		t.Fatalf("raw: %s", raw)
	}
	if in.Raw == nil {
		t.Fatal("RawJSON did not keep what it rendered")
	}
	d := FromDevInstance(DevInstance{ID: "DE-1", Name: "old"})
	if got, ok := d.DevInstance(); !ok || got.Name != "old" {
		t.Fatalf("DevInstance(): %v %+v", ok, got)
	}
	if !strings.Contains(string(d.RawJSON()), `"id":"DE-1"`) {
		t.Fatalf("gen1 raw: %s", d.RawJSON())
	}
}
