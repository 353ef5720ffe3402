package model

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestClusterDecodes(t *testing.T) {
	// Field names and kinds as the SDK's ClusterResponse documents them:
	// resource_categories and the timestamps are strings.
	b := []byte(`{"pool_id":"pool-a1b2c3d4","logic_cluster_id":"lc-1","status":"ACTIVE","type":"DEDICATED",
		"resource_categories":"GPU","workspace_id":"0","create_at":"1687656452470","update_at":"1687656479880",
		"project_id":"p","domain_id":"d","is_allow_root":false,
		"flavors":[{"id":"modelarts.vm.gpu.t4","category":"GPU","memory":"33554432","vcpus":8,"storages":["EVS","EFS"]}]}`)
	var c Cluster
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if c.PoolID != "pool-a1b2c3d4" || !c.Usable() || !reflect.DeepEqual([]string(c.ResourceCategories), []string{"GPU"}) ||
		c.CreateAt != 1687656452470 || c.UpdateAt != 1687656479880 || len(c.Flavors) != 1 || c.Flavors[0].Memory != 33554432 ||
		c.IsAllowRoot == nil || *c.IsAllowRoot {
		t.Fatalf("decoded %+v", c)
	}
	for in, want := range map[string][]string{
		`"GPU, CPU"`:       {"GPU", "CPU"},
		`["ASCEND","CPU"]`: {"ASCEND", "CPU"},
		`["GPU",3,""]`:     {"GPU"},
		`7`:                nil,
		`null`:             nil,
		`""`:               nil,
	} {
		var s Strings
		if err := json.Unmarshal([]byte(in), &s); err != nil || !reflect.DeepEqual([]string(s), want) {
			t.Errorf("Strings from %s = %v (%v), want %v", in, s, err, want)
		}
	}
	var odd Cluster
	if err := json.Unmarshal([]byte(`{"pool_id":"p","status":5,"flavors":"none"}`), &odd); err != nil || odd.PoolID != "p" || odd.Usable() {
		t.Fatalf("lenient decode: %+v %v", odd, err)
	}
}
