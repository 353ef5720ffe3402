package notebook

import (
	"flag"
	"testing"

	"matui/ui/forms/formtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden renders each step of the Gen 2 forms from fixed data.
func TestGolden(t *testing.T) {
	for _, s := range formtest.Sizes {
		c := NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
		formtest.Golden(t, "create", s.W, s.H, c.View(s.W, s.H), *update)
		formtest.Drive(c, customScript("pool-1"))
		formtest.Golden(t, "create_custom", s.W, s.H, c.View(s.W, s.H), *update)
		c = NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images})
		formtest.Drive(c, offScript+" ctrl+s")
		formtest.Golden(t, "create_review_off", s.W, s.H, c.View(s.W, s.H), *update)
		c = NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: manyImages(60)})
		formtest.Drive(c, "down down down space"+repeat(" down", 30))
		formtest.Golden(t, "create_images", s.W, s.H, c.View(s.W, s.H), *update)

		e := NewEdit(formtest.Ctx(), stoppedNB(), UpdateOptions{Flavors: catalog, Images: images})
		formtest.Golden(t, "update", s.W, s.H, e.View(s.W, s.H), *update)
		running := stoppedNB()
		running.Status = "RUNNING"
		e = NewEdit(formtest.Ctx(), running, UpdateOptions{Flavors: catalog, Images: images})
		formtest.Golden(t, "update_running", s.W, s.H, e.View(s.W, s.H), *update)
	}
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}
