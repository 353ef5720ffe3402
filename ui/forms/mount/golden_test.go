package mount

import (
	"flag"
	"testing"

	"matui/ui/forms/formtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden renders the mount form from fixed data: fresh, with an
// overlapping path typed, and the review.
func TestGolden(t *testing.T) {
	for _, s := range formtest.Sizes {
		f := New(formtest.Ctx(), running(), nil)
		formtest.Golden(t, "mount", s.W, s.H, f.View(s.W, s.H), *update)
		formtest.Drive(f, `enter "obs://datasets/imagenet/" enter ctrl+u "/data/imagenet/val/"`)
		formtest.Golden(t, "mount_overlap", s.W, s.H, f.View(s.W, s.H), *update)
		f = New(formtest.Ctx(), running(), nil)
		formtest.Drive(f, `enter "obs://my-bucket/train/" ctrl+s`)
		formtest.Golden(t, "mount_review", s.W, s.H, f.View(s.W, s.H), *update)
	}
}
