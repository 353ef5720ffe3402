package devenv

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"matui/client"
	"matui/model"
	"matui/ui/forms"
	"matui/ui/forms/formtest"
	"matui/ui/overlay"
)

// sameJSON compares two JSON documents by value.
func sameJSON(t *testing.T, got any, want string) {
	t.Helper()
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("body\n got %s\nwant %s", b, want)
	}
}

// Seed 001's sample request, verbatim.
const seed001 = `{ "name": "notebook-d115", "description": "", "profile_id": "Ascend-Power-Engine 1.0(python3)", "flavor": "modelarts.kat1.xlarge", "spec": { "storage": { "location": { "path": "/aaaaaaaaa/output/" }, "type": "obs" }, "auto_stop": { "enable": true, "duration": 3600 } }, "workspace": { "id": "0" } }`

func TestCreateSeed001(t *testing.T) {
	c := NewCreate(formtest.Ctx(), CreateOptions{
		Profiles: []string{"other-profile", "Ascend-Power-Engine 1.0(python3)"},
		Flavors:  []string{"modelarts.kat1.xlarge"},
	})
	m := formtest.Drive(c, `"notebook-d115" enter right enter enter "/aaaaaaaaa/output/" enter enter enter enter enter`)
	cm, ok := m.(CreateMsg)
	if !ok {
		t.Fatalf("no CreateMsg (%#v):\n%s", m, ansi.Strip(c.View(120, 40)))
	}
	sameJSON(t, cm.Req, seed001)
}

func TestCreateFreeTextAndValidation(t *testing.T) {
	c := NewCreate(formtest.Ctx(), CreateOptions{})
	formtest.Drive(c, `"`+strings.Repeat("n", 65)+`" enter "prof" enter "flv" enter "/bucket" enter enter ctrl+u "25" enter "a<b" ctrl+s`)
	if c.Reviewing() {
		t.Fatal("invalid form reviewed")
	}
	for key, want := range map[string]string{
		forms.KeyName:        "name:",
		keyPath:              "must end with /",
		keyHours:             "too long",
		forms.KeyDescription: "description:",
	} {
		if got := c.Field(key).Err; !strings.Contains(got, want) {
			t.Errorf("%s error = %q, want %q", key, got, want)
		}
	}
	// Nothing typed is lost; the server's path error lands on the path.
	if c.Field(keyPath).Text() != "/bucket" || c.Field(keyHours).Text() != "25" {
		t.Error("values lost")
	}
	formtest.Drive(c, `up up up up up up ctrl+u "nb" down down down ctrl+u "/bucket/out/" down down ctrl+u "2" down ctrl+u`)
	req, ok := c.Request()
	if !ok {
		t.Fatalf("still invalid:\n%s", ansi.Strip(c.View(160, 40)))
	}
	if req.ProfileID != "prof" || req.Flavor != "flv" || *req.Spec.AutoStop.Duration != 7200 {
		t.Errorf("req = %+v", req)
	}
	formtest.Drive(c, "ctrl+s")
	c.Update(overlay.Done{Err: &client.APIError{Code: "ModelArts.6318", Message: "The param path needs to end with /."}})
	if c.Reviewing() || !strings.Contains(c.Field(keyPath).Err, "ModelArts.6318") {
		t.Errorf("6318 not on the path: %q", c.Field(keyPath).Err)
	}
	c.Update(overlay.Done{Err: &client.APIError{Code: "ModelArts.6349", Message: "bad duration"}})
	if !strings.Contains(c.Field(keyHours).Err, "ModelArts.6349") {
		t.Errorf("6349 not on the duration: %q", c.Field(keyHours).Err)
	}
}

func running() model.DevInstance {
	return model.DevInstance{ID: "DE-1", Name: "nb", Description: "old", Status: "RUNNING",
		Spec: model.DevSpec{AutoStop: model.DevAutoStop{Enable: true, Duration: 3600}}}
}

func TestModifySeed000(t *testing.T) {
	m := NewModify(formtest.Ctx(), running(), nil)
	if !strings.Contains(ansi.Strip(m.View(120, 30)), "applies from its next start") {
		t.Error("no running note")
	}
	if msg := formtest.Drive(m, "ctrl+s"); msg != nil || m.Reviewing() {
		t.Fatal("unchanged form reviewed")
	}
	msg := formtest.Drive(m, `ctrl+u "This is for test." enter enter enter enter`)
	mm, ok := msg.(ModifyMsg)
	if !ok || mm.ID != "DE-1" {
		t.Fatalf("no ModifyMsg: %#v", msg)
	}
	sameJSON(t, mm.Req, `{"description":"This is for test."}`)
}

func TestModifyAutoStop(t *testing.T) {
	m := NewModify(formtest.Ctx(), running(), nil)
	msg := formtest.Drive(m, `down down ctrl+u "4" ctrl+s enter`)
	sameJSON(t, msg.(ModifyMsg).Req, `{"spec":{"auto_stop":{"enable":true,"duration":14400}}}`)

	m = NewModify(formtest.Ctx(), running(), nil)
	msg = formtest.Drive(m, `down right ctrl+s enter`)
	sameJSON(t, msg.(ModifyMsg).Req, `{"spec":{"auto_stop":{"enable":false}}}`)

	m = NewModify(formtest.Ctx(), running(), nil)
	formtest.Drive(m, `down down ctrl+u "0"`)
	if !strings.Contains(m.Field(keyHours).Err, "too short") {
		t.Errorf("0 h accepted: %q", m.Field(keyHours).Err)
	}
	if _, ok := formtest.Drive(m, "esc").(formtest.Cancelled); ok {
		t.Fatal("esc on a changed form discarded without asking")
	}
	if _, ok := formtest.Drive(m, "y").(formtest.Cancelled); !ok {
		t.Fatal("y did not discard")
	}
}

func TestCreateFreshShowsNoErrors(t *testing.T) {
	c := NewCreate(formtest.Ctx(), CreateOptions{})
	v := ansi.Strip(c.View(120, 40))
	if strings.Contains(v, "✗") || strings.Contains(v, "is required") {
		t.Fatalf("fresh form greets with errors:\n%s", v)
	}
	if !strings.Contains(v, "review disabled until Name, Profile, Flavor, OBS path are valid") {
		t.Errorf("no disabled reason:\n%s", v)
	}
	formtest.Drive(c, "ctrl+s")
	v = ansi.Strip(c.View(120, 40))
	if c.Reviewing() || !strings.Contains(v, "✗ name:") || !strings.Contains(v, "✗ profile_id: is required") {
		t.Errorf("after ctrl+s:\n%s", v)
	}
}

func TestCreateDocumentedSuggestions(t *testing.T) {
	c := NewCreate(formtest.Ctx(), CreateOptions{})
	if v := ansi.Strip(c.View(200, 40)); strings.Contains(v, "Multi-Engine") {
		t.Errorf("profile suggestions shown while the name is focused:\n%s", v)
	}
	formtest.Drive(c, `"nb1" enter`)
	v := ansi.Strip(c.View(400, 40))
	for _, p := range DocumentedProfiles {
		if !strings.Contains(v, p) {
			t.Errorf("profile %q not suggested:\n%s", p, v)
		}
	}
	// Profile: the Ascend one by filter; flavor: the Ascend flavor by
	// filter; path; defaults.
	m := formtest.Drive(c, `"ascend" ctrl+n enter "kat" ctrl+n enter "/bkt/out/" enter enter enter enter enter`)
	cm, ok := m.(CreateMsg)
	if !ok {
		t.Fatalf("no CreateMsg (%#v):\n%s", m, ansi.Strip(c.View(120, 40)))
	}
	sameJSON(t, cm.Req, `{"name":"nb1","description":"","profile_id":"Ascend-Powered-Engine 1.0 (python3)","flavor":"modelarts.kat1.xlarge",`+
		`"spec":{"storage":{"location":{"path":"/bkt/out/"},"type":"obs"},"auto_stop":{"enable":true,"duration":3600}},"workspace":{"id":"0"}}`)

	// Region-specific values are typed freely.
	c = NewCreate(formtest.Ctx(), CreateOptions{})
	formtest.Drive(c, `"nb2" enter "0e1f-profile-uuid" enter "modelarts.vm.cpu.4u" enter "/bkt/out/"`)
	req, ok := c.Request()
	if !ok || req.ProfileID != "0e1f-profile-uuid" || req.Flavor != "modelarts.vm.cpu.4u" {
		t.Errorf("free entry: %+v (valid %v)", req, ok)
	}
	// ctrl+n on an empty flavor takes the first documented one.
	c = NewCreate(formtest.Ctx(), CreateOptions{})
	formtest.Drive(c, `down down ctrl+n`)
	if got := c.Field(keyFlavor).Text(); got != DocumentedFlavors[0] {
		t.Errorf("first flavor = %q", got)
	}
}

func TestEscAction(t *testing.T) {
	m := NewModify(formtest.Ctx(), running(), nil)
	if m.EscAction() != forms.EscCancel {
		t.Errorf("edit: %q", m.EscAction())
	}
	formtest.Drive(m, `"x" ctrl+s`)
	if !m.Reviewing() || m.EscAction() != forms.EscBackToForm {
		t.Errorf("review: %q", m.EscAction())
	}
	if msg := formtest.Drive(m, "esc"); msg != nil || m.Reviewing() {
		t.Fatalf("esc in review: %#v", msg)
	}
	formtest.Drive(m, "esc")
	if m.EscAction() != forms.EscKeepEditing {
		t.Errorf("discard question: %q", m.EscAction())
	}
}
