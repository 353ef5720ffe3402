package codelab

import (
	"flag"
	"testing"

	"matui/model"
	"matui/ui/forms/formtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden renders the CodeLab form from fixed data.
func TestGolden(t *testing.T) {
	ims := []model.Image{{ID: "img-1", Name: "notebook2.0-mul-kernel-cpu-cp36", Tag: "3.3.2"}, {ID: "img-2", Name: "pytorch1.8-cuda10.2", Tag: "1.0"}}
	for _, s := range formtest.Sizes {
		f := New(formtest.Ctx(), ims, nil)
		formtest.Golden(t, "codelab", s.W, s.H, f.View(s.W, s.H), *update)
		formtest.Drive(f, `right enter "https://example.org/a.ipynb" enter`)
		formtest.Golden(t, "codelab_review", s.W, s.H, f.View(s.W, s.H), *update)
	}
}
