package model

import (
	"encoding/json"
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
