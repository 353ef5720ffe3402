package listing

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"matui/model"
)

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func fixture() []model.Instance {
	return []model.Instance{
		{
			ID: "id-1", Name: "ascend-train", Status: "RUNNING", Class: model.ClassRunning, Generation: model.Gen2,
			Spec:     model.Spec{Kind: model.KindAscend, Type: "Ascend 910", Count: 8, VCPUs: 192, MemoryBytes: 1536 << 30},
			Owner:    "alice",
			Created:  now.Add(-26 * time.Hour),
			AutoStop: model.AutoStop{Enabled: true, Type: "TIMING", Deadline: now.Add(4*time.Minute + 30*time.Second)},
		},
		{
			ID: "id-2", Name: "free-tier", Status: "START_QUEUING", Class: model.ClassQueued, QueueRank: 3,
			Generation: model.Gen1, Flavor: "modelarts.vm.gpu.free",
			QueueDeadline: now.Add(4*time.Minute + 10*time.Second),
		},
		{
			ID: "id-3", Name: "笔记本-实验🚀", Status: "CREATING", Class: model.ClassTransitional, Generation: model.Gen2,
			Spec:    model.Spec{Kind: model.KindCPU, VCPUs: 2, MemoryBytes: 8 << 30},
			Owner:   "bob\x1b[31m",
			Created: now.Add(-3 * time.Minute),
		},
	}
}

// The plain listing has no status symbols or spinner frames (the queue
// position follows the status), "—" for empty cells, the ID last, and
// columns aligned by display width.
func TestTable(t *testing.T) {
	var b bytes.Buffer
	if err := Table(&b, fixture(), now); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"NAME           GEN  STATUS            FLAVOR                              AUTO-STOP  AGE  OWNER  ID",
		"ascend-train   G2   RUNNING           Ascend 910 ×8 · 192 vCPU · 1.5 TiB  04:30      26h  alice  id-1",
		"free-tier      G1   START_QUEUING #3  modelarts.vm.gpu.free               q 04:10    —    —      id-2",
		"笔记本-实验🚀  G2   CREATING          CPU · 2 vCPU · 8 GiB                —          3m   bob    id-3",
		"",
	}, "\n")
	if got := b.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
