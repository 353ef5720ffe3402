package devenv

import (
	"flag"
	"testing"

	"matui/ui/forms/formtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden renders the Gen 1 forms from fixed data.
func TestGolden(t *testing.T) {
	for _, s := range formtest.Sizes {
		c := NewCreate(formtest.Ctx(), CreateOptions{})
		formtest.Golden(t, "create", s.W, s.H, c.View(s.W, s.H), *update)
		formtest.Drive(c, `"nb1" enter`)
		formtest.Golden(t, "create_profile", s.W, s.H, c.View(s.W, s.H), *update)
		formtest.Drive(c, `"ascend" ctrl+n enter "kat" ctrl+n enter "/bkt/out/" ctrl+s`)
		formtest.Golden(t, "create_review", s.W, s.H, c.View(s.W, s.H), *update)

		m := NewModify(formtest.Ctx(), running(), nil)
		formtest.Golden(t, "modify", s.W, s.H, m.View(s.W, s.H), *update)
	}
}
