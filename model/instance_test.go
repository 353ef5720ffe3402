package model

import (
	"encoding/json"
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
