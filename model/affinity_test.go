package model

import (
	"encoding/json"
	"testing"
)

// The three update intents of seed 002 must encode exactly as the seed's
// example bodies.
func TestAffinityUpdateEncodesSeed002Bodies(t *testing.T) {
	rule := AffinityRule{Key: "kubernetes.io/hostname", Operator: OpIn, Values: []string{"192.168.1.1"}}
	cases := []struct {
		name string
		req  UpdateNotebookRequest
		want string
	}{
		{"replace", UpdateNotebookRequest{Affinity: ReplaceAffinity(Affinity{Required: []AffinityRule{rule}, Preferred: []AffinityRule{rule}})},
			`{"affinity":{"required_during_scheduling_ignored_during_execution":[{"key":"kubernetes.io/hostname","operator":"In","values":["192.168.1.1"]}],"preferred_during_scheduling_ignored_during_execution":[{"key":"kubernetes.io/hostname","operator":"In","values":["192.168.1.1"]}]}}`},
		{"per-list null leaves both unchanged", UpdateNotebookRequest{Affinity: &AffinityUpdate{}},
			`{"affinity":{"required_during_scheduling_ignored_during_execution":null,"preferred_during_scheduling_ignored_during_execution":null}}`},
		{"clear", UpdateNotebookRequest{Affinity: ClearAffinity()},
			`{"affinity":{"required_during_scheduling_ignored_during_execution":[],"preferred_during_scheduling_ignored_during_execution":[]}}`},
		{"leave unchanged: absent", UpdateNotebookRequest{}, `{}`},
		// Replacing with only required rules must clear the preferred list,
		// not leave it as it was: "replace" means the result is exactly
		// these rules.
		{"replace required only", UpdateNotebookRequest{Affinity: ReplaceAffinity(Affinity{Required: []AffinityRule{rule}})},
			`{"affinity":{"required_during_scheduling_ignored_during_execution":[{"key":"kubernetes.io/hostname","operator":"In","values":["192.168.1.1"]}],"preferred_during_scheduling_ignored_during_execution":[]}}`},
	}
	for _, c := range cases {
		got, err := json.Marshal(c.req)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != c.want {
			t.Errorf("%s:\n got  %s\n want %s", c.name, got, c.want)
		}
	}
}

func TestAffinityUpdateIntentAndApply(t *testing.T) {
	r1 := AffinityRule{Key: "a", Operator: OpExists}
	r2 := AffinityRule{Key: "b", Operator: OpExists}
	cur := Affinity{Required: []AffinityRule{r1}, Preferred: []AffinityRule{r2}}

	var nilUpd *AffinityUpdate
	if nilUpd.Intent() != AffinityUnchanged || (&AffinityUpdate{}).Intent() != AffinityUnchanged {
		t.Fatal("nil and all-null updates leave affinity unchanged")
	}
	if ClearAffinity().Intent() != AffinityClear {
		t.Fatal("ClearAffinity intent")
	}
	if ReplaceAffinity(cur).Intent() != AffinityReplace {
		t.Fatal("ReplaceAffinity intent")
	}
	if got := nilUpd.Apply(cur); len(got.Required) != 1 || len(got.Preferred) != 1 {
		t.Fatalf("nil update changed affinity: %+v", got)
	}
	// A per-list update touches only that list (seed 002: "update the value
	// of either strong or weak affinity based on the input value").
	onlyReq := &AffinityUpdate{Required: &[]AffinityRule{r2}}
	if got := onlyReq.Apply(cur); len(got.Required) != 1 || got.Required[0].Key != "b" || len(got.Preferred) != 1 || got.Preferred[0].Key != "b" {
		t.Fatalf("per-list update: %+v", got)
	}
	if got := ClearAffinity().Apply(cur); len(got.Required) != 0 || len(got.Preferred) != 0 {
		t.Fatalf("clear: %+v", got)
	}
}

// A decoded seed 002 body must come back with the same intent it was sent
// with, so the simulator applies what the client meant.
func TestAffinityUpdateRoundTrip(t *testing.T) {
	for body, want := range map[string]AffinityIntent{
		`{"affinity":{"required_during_scheduling_ignored_during_execution":[{"key":"k","operator":"Exists"}],"preferred_during_scheduling_ignored_during_execution":null}}`: AffinityReplace,
		`{"affinity":{"required_during_scheduling_ignored_during_execution":[],"preferred_during_scheduling_ignored_during_execution":[]}}`:                                  AffinityClear,
		`{"affinity":{"required_during_scheduling_ignored_during_execution":null,"preferred_during_scheduling_ignored_during_execution":null}}`:                              AffinityUnchanged,
		`{"affinity":null}`: AffinityUnchanged,
		`{}`:                AffinityUnchanged,
	} {
		var req UpdateNotebookRequest
		if err := json.Unmarshal([]byte(body), &req); err != nil {
			t.Fatal(err)
		}
		if got := req.Affinity.Intent(); got != want {
			t.Errorf("%s: intent %v, want %v", body, got, want)
		}
	}
}
