package mount

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"matui/client"
	"matui/model"
	"matui/ui/forms"
	"matui/ui/forms/formtest"
	"matui/ui/overlay"
)

func running() model.Instance {
	return model.Instance{ID: "nb-1", Name: "data-prep", Generation: model.Gen2, Status: "RUNNING",
		Mounts: []model.Mount{
			{ID: "m-1", Kind: "OBS", MountPath: "/data/imagenet/", URI: "obs://datasets/imagenet/", Status: "MOUNTED", Dynamic: true},
			// Unmounted: its directory is free again.
			{ID: "m-0", Kind: "OBS", MountPath: "/data/old/", URI: "obs://datasets/old/", Status: "UNMOUNTED", Dynamic: true},
		}}
}

func body(t *testing.T, m any) string {
	t.Helper()
	return formtest.JSON(t, formtest.Sent[AttachMsg](t, nil, m).Req)
}

// Typing only the bucket directory and pressing enter through the form
// attaches it at the suggested /data/<directory>/.
func TestTypeURIAndEnter(t *testing.T) {
	f := New(formtest.Ctx(), running(), nil)
	m := formtest.Drive(f, `enter "obs://my-bucket/train/" enter enter enter`)
	if got, want := body(t, m), `{"category":"OBS","mount_path":"/data/train/","uri":"obs://my-bucket/train/"}`; got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	if am := m.(AttachMsg); am.NotebookID != "nb-1" {
		t.Errorf("notebook %q", am.NotebookID)
	}
}

// The suggestion avoids a directory in use, follows the storage until the
// user types in the path, and an overlapping path typed by hand is refused
// as typed, naming the mount it collides with.
func TestMountPathSuggestionAndOverlap(t *testing.T) {
	f := New(formtest.Ctx(), running(), nil)
	formtest.Drive(f, `enter "obs://datasets/"`)
	if got := f.Field(keyPath).Text(); got != "/data/datasets/" {
		t.Errorf("bucket root suggestion %q", got)
	}
	formtest.Drive(f, `"imagenet/"`)
	if got := f.Field(keyPath).Text(); got != "/data/imagenet-2/" {
		t.Errorf("suggestion beside the mount in use: %q", got)
	}
	// The unmounted mount's directory is free.
	formtest.Drive(f, `ctrl+u "obs://datasets/old/"`)
	if got := f.Field(keyPath).Text(); got != "/data/old/" {
		t.Errorf("suggestion over an unmounted mount: %q", got)
	}
	formtest.Drive(f, `enter ctrl+u "/data/imagenet/val/"`)
	v := ansi.Strip(f.View(200, 30))
	if !strings.Contains(v, "mount_path: overlaps /data/imagenet/, where obs://datasets/imagenet/ is mounted") {
		t.Errorf("no overlap error:\n%s", v)
	}
	if m := formtest.Drive(f, "enter enter"); m != nil || f.Reviewing() {
		t.Fatalf("an overlapping mount went to review: %#v", m)
	}
	// Typed by hand, the path no longer follows the storage.
	formtest.Drive(f, `shift+tab ctrl+u "obs://other-bucket/x/"`)
	if got := f.Field(keyPath).Text(); got != "/data/imagenet/val/" {
		t.Errorf("the typed path was replaced: %q", got)
	}
}

// The rules of model.AttachStorageRequest, shown once a field is touched:
// not below /data/, not an obs:// directory, EFS without a UUID.
func TestValidatedAsTyped(t *testing.T) {
	f := New(formtest.Ctx(), running(), nil)
	if v := ansi.Strip(f.View(200, 30)); strings.Contains(v, "✗") {
		t.Errorf("a fresh form shows errors:\n%s", v)
	}
	formtest.Drive(f, `enter "s3://bucket/dir"`)
	v := ansi.Strip(f.View(200, 30))
	if !strings.Contains(v, "uri: does not start with obs://") {
		t.Errorf("no uri error:\n%s", v)
	}
	formtest.Drive(f, `ctrl+u "obs://bucket/dir" enter ctrl+u "/mnt/x/"`)
	v = ansi.Strip(f.View(200, 30))
	for _, want := range []string{"uri: must end with / (a directory)", "mount_path: is not below /data/"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if f.Field(keyPath).Text() != "/mnt/x/" || f.Field(keyURI).Text() != "obs://bucket/dir" {
		t.Error("typed values lost")
	}
}

// EFS needs a dedicated pool (the AttachDynamicStorage page) and an SFS
// Turbo UUID; on a pool notebook the body carries efs_id.
func TestEFS(t *testing.T) {
	f := New(formtest.Ctx(), running(), nil)
	formtest.Drive(f, "right right")
	if f.Field(keyEfsID).Hidden {
		t.Fatal("no SFS Turbo ID field for EFS")
	}
	if got := f.Field(keyCategory).Err; !strings.Contains(got, "dedicated pool") {
		t.Errorf("EFS on the public pool: %q", got)
	}
	in := running()
	in.Pool = "pool-train"
	f = New(formtest.Ctx(), in, nil)
	formtest.Drive(f, `right right enter "share.sfsturbo.internal:/notebook" enter "not-a-uuid"`)
	if got := f.Field(keyEfsID).Err; !strings.Contains(got, "efs_id: is not a UUID") {
		t.Errorf("efs_id error %q", got)
	}
	m := formtest.Drive(f, `ctrl+u "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9" enter enter enter`)
	want := `{"category":"EFS","mount_path":"/data/notebook/","uri":"share.sfsturbo.internal:/notebook","efs_id":"1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"}`
	if got := body(t, m); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
}

// A refusal keeps what was typed and puts the error on its field: the
// mount path and the URI the messages name, the OBS access codes on the
// storage, 6324 on the type; the quota and status errors are banners.
func TestServerErrorsOnFields(t *testing.T) {
	cases := []struct{ code, message, field string }{
		{"ModelArts.6336", "The 'mount_path' property value is incorrect: /data/a/ overlaps /data/a/b/.", keyPath},
		{"ModelArts.6335", "'uri' is a required property.", keyURI},
		{"ModelArts.6320", "Failed to access OBS.", keyURI},
		{"ModelArts.6624", "The storage path does not exist.", keyURI},
		{"ModelArts.6324", "The storage type OBSFS is not supported.", keyCategory},
		{"ModelArts.0118", "The expected number of dynamic storages (11) exceeds the quota (10).", ""},
		{"ModelArts.6327", "The instance is not running.", ""},
		{"ModelArts.6782", "Mounting OBS needs AK/SK in the global settings.", ""},
	}
	for _, c := range cases {
		f := New(formtest.Ctx(), running(), nil)
		formtest.Drive(f, `enter "obs://bucket/x/" ctrl+s`)
		if !f.Reviewing() {
			t.Fatalf("not reviewing:\n%s", ansi.Strip(f.View(120, 30)))
		}
		f.Update(overlay.Done{Err: &client.APIError{HTTPStatus: 400, Code: c.code, Message: c.message}})
		f.View(120, 30) // frames re-validate; the error must outlive them
		f.View(120, 30)
		if f.Reviewing() {
			t.Errorf("%s: still reviewing", c.code)
		}
		if c.field == "" {
			if !strings.Contains(f.banner, c.code) {
				t.Errorf("%s: banner %q", c.code, f.banner)
			}
		} else if got := f.Field(c.field).Err; !strings.Contains(got, c.code) {
			t.Errorf("%s: field %s error %q (banner %q)", c.code, c.field, got, f.banner)
		}
		if f.Field(keyURI).Text() != "obs://bucket/x/" {
			t.Errorf("%s: uri lost", c.code)
		}
	}
}

// The simulator accepts what the form sends to a running notebook, the
// Change shows the new mount at once, and a stopped notebook's refusal
// comes back as a banner.
func TestAttachOnSimulator(t *testing.T) {
	c, _ := formtest.SimClient(t)
	ctx := context.Background()
	all, err := c.ListNotebooks(ctx, client.ListNotebooksOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var run, stopped model.Instance
	for _, nb := range all {
		in := model.FromNotebook(nb, nil)
		switch {
		case nb.Status == "RUNNING" && len(in.Mounts) > 0 && run.ID == "":
			run = in
		case nb.Status == "STOPPED" && stopped.ID == "":
			stopped = in
		}
	}
	if run.ID == "" || stopped.ID == "" {
		t.Fatal("the demo data lacks a running notebook with a mount or a stopped one")
	}
	f := New(formtest.Ctx(), run, c.AttachStorage)
	m := formtest.Drive(f, `enter "obs://matui-test/extra/" enter enter enter`)
	am := formtest.Sent[AttachMsg](t, f, m)
	v, err := f.submit(am.Req).Run(ctx)
	if err != nil {
		t.Fatalf("simulator refused %+v: %v", am.Req, err)
	}
	ch := v.(overlay.Change)
	if n := len(ch.Instance.Mounts); n != len(run.Mounts)+1 {
		t.Fatalf("mounts in the change: %d, want %d", n, len(run.Mounts)+1)
	}
	got := ch.Instance.Mounts[len(ch.Instance.Mounts)-1]
	if got.ID == "" || got.MountPath != "/data/extra/" || got.Status != model.MountMounting || got.URI != "obs://matui-test/extra/" {
		t.Errorf("new mount %+v", got)
	}
	if ch.Note != run.Name+": mounting /data/extra/" {
		t.Errorf("note %q", ch.Note)
	}
	if len(run.Mounts) == len(ch.Instance.Mounts) {
		t.Error("the opener's instance was modified")
	}
	vols, err := c.ListStorage(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, vol := range vols {
		found = found || vol.ID == got.ID && vol.MountPath == "/data/extra/"
	}
	if !found {
		t.Errorf("the simulator does not list the mount: %+v", vols)
	}

	f = New(formtest.Ctx(), stopped, c.AttachStorage)
	am = formtest.Drive(f, `enter "obs://matui-test/extra/" ctrl+s enter`).(AttachMsg)
	_, err = f.submit(am.Req).Run(ctx)
	if err == nil {
		t.Fatal("the simulator mounted on a stopped notebook")
	}
	f.Update(overlay.Done{Err: err})
	if !strings.Contains(f.banner, "ModelArts.6327") {
		t.Errorf("banner %q", f.banner)
	}
}

func TestEscAndDiscard(t *testing.T) {
	f := New(formtest.Ctx(), running(), nil)
	if f.EscAction() != forms.EscCancel {
		t.Errorf("esc: %q", f.EscAction())
	}
	if _, ok := formtest.Drive(f, "esc").(formtest.Cancelled); !ok {
		t.Error("esc on a fresh form did not close it")
	}
	f = New(formtest.Ctx(), running(), nil)
	if m := formtest.Drive(f, `enter "obs://b/x/" esc`); m != nil || !strings.Contains(ansi.Strip(f.View(100, 30)), "Discard this mount?") {
		t.Errorf("esc after typing did not ask: %#v", m)
	}
}
