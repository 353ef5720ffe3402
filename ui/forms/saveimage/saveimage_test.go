package saveimage

import (
	"context"
	"flag"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"matui/client"
	"matui/model"
	"matui/ui/forms"
	"matui/ui/forms/formtest"
	"matui/ui/overlay"
	"matui/ui/text"
)

var update = flag.Bool("update", false, "rewrite golden files")

func running() model.Instance {
	return model.Instance{ID: "nb-1", Name: "Train-ResNet50", Generation: model.Gen2, Status: "RUNNING", Class: model.ClassRunning}
}

var known = []model.Image{
	{ID: "img-builtin", Name: "pytorch", Tag: "1.8", Namespace: "atelier", Type: model.ImageTypeBuiltIn},
	{ID: "img-mine", Name: "train-resnet50", Tag: "latest", Namespace: "my-team", Type: model.ImageTypeDedicated, Status: model.ImageActive},
	{ID: "img-failed", Name: "train-resnet50", Tag: "v2", Namespace: "my-team", Type: model.ImageTypeDedicated, Status: model.ImageCreateFailed},
}

func body(t *testing.T, m any) string {
	t.Helper()
	return formtest.JSON(t, formtest.Sent[SaveMsg](t, nil, m).Req)
}

// The name starts as the notebook's (lower-cased), the organisation as the
// user's only one, the tag as latest: enter through the form saves.
func TestDefaults(t *testing.T) {
	f := New(formtest.Ctx(), running(), Options{Images: known[:1]})
	if got := f.Field(keyName).Text(); got != "train-resnet50" {
		t.Errorf("name %q", got)
	}
	if got := f.Field(keyNS).Text(); got != "" {
		t.Errorf("a built-in image's namespace was offered: %q", got)
	}
	m := formtest.Drive(f, `enter "my-team" enter enter enter enter`)
	if got, want := body(t, m), `{"name":"train-resnet50","namespace":"my-team","tag":"latest"}`; got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	if sm := m.(SaveMsg); sm.NotebookID != "nb-1" {
		t.Errorf("notebook %q", sm.NotebookID)
	}
}

// A name and tag the organisation has already is refused as typed (not
// a failed save of it); another tag is fine.
func TestDuplicateTagAsTyped(t *testing.T) {
	f := New(formtest.Ctx(), running(), Options{Images: known})
	if got := f.Field(keyNS).Text(); got != "my-team" {
		t.Fatalf("the only organisation was not prefilled: %q", got)
	}
	if got := f.Field(keyTag).Err; !strings.Contains(got, "my-team/train-resnet50:latest exists already (image img-mine)") {
		t.Errorf("duplicate tag error %q", got)
	}
	if m := formtest.Drive(f, "ctrl+s"); m != nil || f.Reviewing() {
		t.Fatal("a duplicate went to review")
	}
	m := formtest.Drive(f, `enter enter ctrl+u "v2" ctrl+s enter`)
	if got, want := body(t, m), `{"name":"train-resnet50","namespace":"my-team","tag":"v2"}`; got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
}

// The SDK's rules, shown once a field is touched; what was typed stays.
func TestValidatedAsTyped(t *testing.T) {
	f := New(formtest.Ctx(), model.Instance{ID: "nb-2", Name: "-x-", Status: "RUNNING"}, Options{})
	if got := f.Field(keyName).Text(); got != "" {
		t.Errorf("an invalid name was prefilled: %q", got)
	}
	if v := ansi.Strip(f.View(200, 30)); strings.Contains(v, "✗") {
		t.Errorf("a fresh form shows errors:\n%s", v)
	}
	formtest.Drive(f, `"My Image" enter "9team" enter ctrl+u "a/b"`)
	v := ansi.Strip(f.View(200, 30))
	for _, want := range []string{`name: contains 'M'`, "namespace: does not start with a lowercase letter", `tag: contains '/'`} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if f.Field(keyName).Text() != "My Image" || f.Field(keyTag).Text() != "a/b" {
		t.Error("typed values lost")
	}
}

func TestServerErrorsOnFields(t *testing.T) {
	cases := []struct{ code, message, field string }{
		{"ModelArts.6737", "The image my-team/x:latest already exists.", keyTag},
		{"ModelArts.6334", "The name x contains illegal characters.", keyName},
		{"ModelArts.6335", "'namespace' is a required property.", keyNS},
		{"ModelArts.6327", "The instance is not running.", ""},
	}
	for _, c := range cases {
		f := New(formtest.Ctx(), running(), Options{})
		formtest.Drive(f, `enter "my-team" ctrl+s`)
		if !f.Reviewing() {
			t.Fatalf("not reviewing:\n%s", ansi.Strip(f.View(120, 30)))
		}
		f.Update(overlay.Done{Err: &client.APIError{HTTPStatus: 400, Code: c.code, Message: c.message}})
		f.View(120, 30) // frames re-validate; the error must outlive them
		f.View(120, 30)
		switch {
		case f.Reviewing():
			t.Errorf("%s: still reviewing", c.code)
		case c.field == "" && !strings.Contains(f.banner, c.code):
			t.Errorf("%s: banner %q", c.code, f.banner)
		case c.field != "" && !strings.Contains(f.Field(c.field).Err, c.code):
			t.Errorf("%s: field %s error %q (banner %q)", c.code, c.field, f.Field(c.field).Err, f.banner)
		}
		if f.Field(keyNS).Text() != "my-team" {
			t.Errorf("%s: namespace lost", c.code)
		}
	}
}

// On the simulator: the save is accepted, the Change shows the notebook
// SNAPSHOTTING with a note naming the image, the image is listed as
// DEDICATED, and saving it again is refused with 6737 on the tag.
func TestSaveOnSimulator(t *testing.T) {
	c, _ := formtest.SimClient(t)
	ctx := context.Background()
	all, err := c.ListNotebooks(ctx, client.ListNotebooksOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var runs []model.Instance
	for _, nb := range all {
		if nb.Status == "RUNNING" && nb.Feature != "DEFAULT" {
			runs = append(runs, model.FromNotebook(nb, nil))
		}
	}
	if len(runs) < 2 {
		t.Fatal("the demo data lacks two running notebooks")
	}
	run := runs[0]
	f := New(formtest.Ctx(), run, Options{Save: c.SaveImage})
	script := `ctrl+u "matui-img" enter "matui-test" enter ctrl+u "v1" enter "from the form" ctrl+s enter`
	sm := formtest.Sent[SaveMsg](t, f, formtest.Drive(f, script))
	v, err := f.submit(sm.Req).Run(ctx)
	if err != nil {
		t.Fatalf("simulator refused %+v: %v", sm.Req, err)
	}
	ch := v.(overlay.Change)
	if ch.Instance.ID != run.ID || ch.Instance.Status != Snapshotting || ch.Instance.Class != model.ClassTransitional {
		t.Errorf("change %+v", ch.Instance)
	}
	if want := text.Sanitize(run.Name) + ": saving image matui-test/matui-img:v1 ("; !strings.HasPrefix(ch.Note, want) {
		t.Errorf("note %q, want it to start %q", ch.Note, want)
	}
	ims, err := c.ListImages(ctx, client.ImageOptions{Type: model.ImageTypeDedicated})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, im := range ims {
		found = found || im.Namespace == "matui-test" && im.Name == "matui-img" && im.Tag == "v1" && im.Type == model.ImageTypeDedicated
	}
	if !found {
		t.Errorf("the saved image is not listed: %+v", ims)
	}
	if nb, err := c.ShowNotebook(ctx, run.ID); err != nil || nb.Status != Snapshotting {
		t.Errorf("notebook after the save: %v %q", err, nb.Status)
	}

	// The same image from another notebook, with a form that does not
	// know it yet: the server's refusal lands on the tag.
	f = New(formtest.Ctx(), runs[1], Options{Save: c.SaveImage})
	sm = formtest.Drive(f, script).(SaveMsg)
	_, err = f.submit(sm.Req).Run(ctx)
	f.Update(overlay.Done{Err: err})
	if got := f.Field(keyTag).Err; !strings.Contains(got, "ModelArts.6737") {
		t.Errorf("second save: err %v, tag error %q, banner %q", err, got, f.banner)
	}
	// Knowing it, the form refuses as typed.
	f = New(formtest.Ctx(), runs[1], Options{Images: ims, Save: c.SaveImage})
	if m := formtest.Drive(f, script); m != nil {
		t.Errorf("a known duplicate was submitted: %#v", m)
	}
}

func TestEsc(t *testing.T) {
	f := New(formtest.Ctx(), running(), Options{})
	if f.EscAction() != forms.EscCancel {
		t.Errorf("esc: %q", f.EscAction())
	}
	if _, ok := formtest.Drive(f, "esc").(formtest.Cancelled); !ok {
		t.Error("esc on a fresh form did not close it")
	}
}

// TestGolden renders the form fresh, with errors, and the review.
func TestGolden(t *testing.T) {
	for _, s := range formtest.Sizes {
		f := New(formtest.Ctx(), running(), Options{Images: known})
		formtest.Golden(t, "saveimage", s.W, s.H, f.View(s.W, s.H), *update)
		f = New(formtest.Ctx(), running(), Options{})
		formtest.Drive(f, `ctrl+u "Bad" enter "9x"`)
		formtest.Golden(t, "saveimage_errors", s.W, s.H, f.View(s.W, s.H), *update)
		f = New(formtest.Ctx(), running(), Options{Images: known})
		formtest.Drive(f, `enter enter ctrl+u "v3" enter "ResNet-50 with our augmentations" ctrl+s`)
		formtest.Golden(t, "saveimage_review", s.W, s.H, f.View(s.W, s.H), *update)
	}
}
