package ui_test

import (
	"strings"
	"testing"
	"time"

	"matui/model"
)

// A mount attached to a running notebook shows in its details and moves
// from MOUNTING to MOUNTED as the simulator's clock runs; M detaches it
// (after a confirmation) and the simulator starts unmounting it.
func TestE2EMountInDetailsAndDetach(t *testing.T) {
	e := startE2E(t, slowPolls)
	const name = "train-resnet50"
	nb := e.notebook(name)
	if nb.Status != "RUNNING" {
		t.Fatalf("%s is %s", name, nb.Status)
	}
	vol, err := e.c.AttachStorage(t.Context(), nb.ID, model.AttachStorageRequest{
		Category: "OBS", MountPath: "/data/datasets/", URI: "obs://team-bucket/datasets/"})
	if err != nil {
		t.Fatal(err)
	}
	e.filterTo(name)
	e.refresh()
	e.keys("enter")
	e.waitScreen("mounting in the details", func(s string) bool {
		return strings.Contains(s, "/data/datasets/ ← OBS obs://team-bucket/datasets/  MOUNTING")
	})
	e.advance(10 * time.Second)
	e.refresh()
	e.waitScreen("mounted in the details", func(s string) bool {
		return strings.Contains(s, "/data/datasets/ ← OBS obs://team-bucket/datasets/  MOUNTED")
	})
	e.keys("M")
	e.waitScreen("detach confirmation", func(s string) bool { return strings.Contains(s, "Detach /data/datasets/ from "+name+"?") })
	e.keys("y")
	e.waitScreen("detach sent", func(s string) bool { return strings.Contains(s, "detach /data/datasets/ from "+name+": sent") })
	got, err := e.c.ShowStorage(t.Context(), nb.ID, vol.ID)
	if err != nil || got.Status != model.MountUnmounting {
		t.Fatalf("simulator: %+v, %v", got, err)
	}
}
