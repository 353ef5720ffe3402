package notebook

import (
	"flag"
	"testing"

	"matui/model"
	"matui/ui/forms"
	"matui/ui/forms/formtest"
	"matui/ui/overlay"
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

		// Issue 11: the pool picker and the tags.
		tf := &tagFuncs{}
		c = NewCreate(formtest.Ctx(), CreateOptions{Flavors: catalog, Images: images, Pools: pools, AddTags: tf.fn("add")})
		formtest.Drive(c, `"nb-pool"`)
		c.set.FocusKey(keyPool)
		formtest.Drive(c, "space")
		formtest.Golden(t, "create_poolpicker", s.W, s.H, c.View(s.W, s.H), *update)
		formtest.Drive(c, "down down")
		formtest.Golden(t, "create_poolpicker_inactive", s.W, s.H, c.View(s.W, s.H), *update)
		formtest.Drive(c, "enter up enter")
		c.set.FocusKey(keyTags)
		formtest.Drive(c, `"team=nlp, project=x"`)
		formtest.Golden(t, "create_pool_tags", s.W, s.H, c.View(s.W, s.H), *update)
		formtest.Drive(c, "ctrl+s")
		formtest.Golden(t, "create_review_tags", s.W, s.H, c.View(s.W, s.H), *update)
		c.Update(overlay.Done{Err: &forms.PartialError{
			Applied: overlay.Change{Instance: model.Instance{ID: "nb-new", Name: "nb-pool"}, Created: true},
			Done:    []string{"creating notebook nb-pool"}, Failed: "adding tags team=nlp, project=x", Err: errQuota}})
		formtest.Golden(t, "create_tags_failed", s.W, s.H, c.View(s.W, s.H), *update)

		e := NewEdit(formtest.Ctx(), taggedNB(), UpdateOptions{Flavors: catalog, Images: images, AddTags: tf.fn("add"), RemoveTags: tf.fn("remove")})
		formtest.Drive(e, `ctrl+u "renamed"`)
		e.set.FocusKey(keyTags)
		formtest.Drive(e, `ctrl+u "team=nlp, env=prod"`)
		formtest.Golden(t, "update_tags", s.W, s.H, e.View(s.W, s.H), *update)
		formtest.Drive(e, "ctrl+s")
		formtest.Golden(t, "update_review_tags", s.W, s.H, e.View(s.W, s.H), *update)

		e = NewEdit(formtest.Ctx(), stoppedNB(), UpdateOptions{Flavors: catalog, Images: images})
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
