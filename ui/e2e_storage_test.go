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

// focus presses down until the form's focused field is label (at most 40
// presses).
func (e *e2e) focus(label string) {
	e.t.Helper()
	for range 40 {
		s, _ := e.rec.Screen()
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, "▸ "+label) {
				return
			}
		}
		e.keys("down")
		e.barrier()
		e.idle()
	}
	s, _ := e.rec.Screen()
	e.t.Fatalf("no field %q:\n%s", label, s)
}

// m attaches storage through the form; the row counts it and the details
// watch it reach MOUNTED.
func TestE2EAttachThroughTheForm(t *testing.T) {
	e := startE2E(t, slowPolls)
	const name = "train-resnet50"
	e.filterTo(name)
	e.keys("m")
	e.waitScreen("attach form", func(s string) bool { return strings.Contains(s, "Attach storage to "+name) })
	e.keys("down")
	e.tm.Type("obs://team-bucket/datasets/")
	e.keys("enter", "enter")
	e.waitScreen("review", func(s string) bool { return strings.Contains(s, `"mount_path": "/data/datasets/"`) })
	e.keys("enter")
	e.waitScreen("mounting toast", func(s string) bool { return strings.Contains(s, name+": mounting /data/datasets/") })
	vols, err := e.c.ListStorage(t.Context(), e.notebook(name).ID)
	if err != nil || len(vols) != 1 || vols[0].MountPath != "/data/datasets/" {
		t.Fatalf("simulator storage %+v, %v", vols, err)
	}
	e.advance(10 * time.Second)
	e.refresh()
	e.keys("enter")
	e.waitScreen("mounted", func(s string) bool {
		return strings.Contains(s, "/data/datasets/ ← OBS obs://team-bucket/datasets/  MOUNTED")
	})
}

// Tags added in the edit form reach the server, and / tag:team=nlp finds
// the notebook.
func TestE2ETagAndFilterByTag(t *testing.T) {
	e := startE2E(t, slowPolls)
	const name = "train-resnet50"
	e.filterTo(name)
	e.keys("e")
	e.waitScreen("edit form", func(s string) bool { return strings.Contains(s, "Edit notebook "+name) })
	e.focus("Tags")
	e.keys("ctrl+u")
	e.tm.Type("team=nlp")
	e.keys("ctrl+s")
	e.waitScreen("review", func(s string) bool { return strings.Contains(s, "team") && strings.Contains(s, "Review") })
	e.keys("enter")
	e.waitScreen("closed", func(s string) bool { return !strings.Contains(s, "Edit notebook") })
	if tags := e.notebook(name).Tags; len(tags) != 1 || tags[0] != (model.Tag{Key: "team", Value: "nlp"}) {
		t.Fatalf("the simulator has tags %+v", tags)
	}
	e.keys("esc") // clear the name filter
	e.keys("/")
	e.tm.Type("tag:team=nlp")
	e.keys("enter")
	e.refresh()
	e.waitScreen("tag filter", func(s string) bool {
		lines := strings.Split(s, "\n")
		return len(lines) > 1 && strings.Contains(lines[1], "/tag:team=nlp") && row(s, name) != ""
	})
}

// i saves a running notebook as an image: the row goes SNAPSHOTTING, and
// once the image is ACTIVE the create form's image picker offers it.
func TestE2ESaveImageThenPickIt(t *testing.T) {
	e := startE2E(t, slowPolls)
	const name = "train-resnet50"
	e.filterTo(name)
	e.keys("i")
	e.waitScreen("save form", func(s string) bool { return strings.Contains(s, "SWR namespace") })
	e.focus("SWR namespace")
	e.keys("ctrl+u")
	e.tm.Type("team-ns")
	e.keys("ctrl+s")
	e.waitScreen("review", func(s string) bool { return strings.Contains(s, `"namespace": "team-ns"`) })
	e.keys("enter")
	e.waitRow(name, "G2", "SNAPSHOTTING", "")
	e.advance(30 * time.Second) // the snapshot takes 20 s
	e.refresh()
	e.waitRow(name, "G2", "RUNNING", "")
	e.keys("esc", "n", "enter")
	e.waitScreen("create form", func(s string) bool { return strings.Contains(s, "New notebook (Gen 2)") })
	e.focus("Image")
	e.keys("space")
	e.tm.Type("train-resnet50")
	e.waitScreen("the saved image in the picker", func(s string) bool { return strings.Contains(s, "train-resnet50:latest") })
}

// The create form's pool field picks among the dedicated pools.
func TestE2EPickAPool(t *testing.T) {
	e := startE2E(t, slowPolls)
	e.keys("n", "enter")
	e.waitScreen("create form", func(s string) bool { return strings.Contains(s, "New notebook (Gen 2)") })
	e.focus("Pool")
	e.keys("space")
	e.waitScreen("pool picker", func(s string) bool { return strings.Contains(s, "pool-a1b2c3d4") })
}

// The / filter's tag terms ask the service (the list API's tags filter):
// a notebook tagged, and one created with the tag, behind the dashboard's
// back are both on screen at enter, with no poll in between.
func TestE2ETagFilterAsksTheService(t *testing.T) {
	e := startE2E(t, slowPolls)
	const name = "train-resnet50"
	if err := e.c.AddNotebookTags(t.Context(), e.notebook(name).ID, []model.Tag{{Key: "squad", Value: "alpha"}}); err != nil {
		t.Fatal(err)
	}
	nb, err := e.c.CreateNotebook(t.Context(), model.CreateNotebookRequest{Name: "tagged-elsewhere",
		Flavor: "modelarts.vm.cpu.2u", ImageID: cpuImage(t, e), Volume: model.VolumeReq{Category: "EVS", Ownership: "MANAGED", Capacity: 5}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.c.AddNotebookTags(t.Context(), nb.ID, []model.Tag{{Key: "squad", Value: "alpha"}}); err != nil {
		t.Fatal(err)
	}
	e.keys("/")
	e.tm.Type("tag:squad=alpha")
	e.keys("enter")
	e.waitScreen("both found by the service", func(s string) bool {
		return row(s, name) != "" && row(s, "tagged-elsewhere") != "" && strings.Contains(s, " 1/2 of ")
	})
}
