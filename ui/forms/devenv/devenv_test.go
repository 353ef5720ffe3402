package devenv

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	cm := formtest.Sent[CreateMsg](t, c, m)
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
	cm := formtest.Sent[CreateMsg](t, c, m)
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

// Issue 13 item 1: editing only the description of an instance whose
// auto-stop is 5400 s must send only the description, and the form shows
// the stored duration exactly.
func TestModifyDescriptionOnlyKeepsAutoStop(t *testing.T) {
	inst := running()
	inst.Spec.AutoStop.Duration = 5400
	m := NewModify(formtest.Ctx(), inst, nil)
	if got := m.Field(keyHours).Text(); got != "1h30m" {
		t.Errorf("stored 5400 s shown as %q, want 1h30m", got)
	}
	formtest.Drive(m, `end " and more" ctrl+s`)
	if v := ansi.Strip(m.View(120, 40)); !m.Reviewing() || strings.Contains(v, "auto_stop") {
		t.Fatalf("review sends the auto-stop:\n%s", v)
	}
	msg := formtest.Drive(m, "enter")
	mm := formtest.Sent[ModifyMsg](t, m, msg)
	sameJSON(t, mm.Req, `{"description":"old and more"}`)
}

// Durations the way users write them: the modify form reads 90m, 1.5h,
// 1h30m and 5400s alike and sends seconds.
func TestModifyDurationsAsWritten(t *testing.T) {
	for _, typed := range []string{"90m", "1.5h", "1h30m", "5400s", "1.5"} {
		m := NewModify(formtest.Ctx(), running(), nil)
		msg := formtest.Drive(m, `down down ctrl+u "`+typed+`" ctrl+s enter`)
		mm := formtest.Sent[ModifyMsg](t, m, msg)
		sameJSON(t, mm.Req, `{"spec":{"auto_stop":{"enable":true,"duration":5400}}}`)
	}
	// The same duration written another way changes nothing.
	inst := running()
	inst.Spec.AutoStop.Duration = 5400
	m := NewModify(formtest.Ctx(), inst, nil)
	formtest.Drive(m, `down down ctrl+u "90m" ctrl+s`)
	if m.Reviewing() || !strings.Contains(ansi.Strip(m.View(120, 40)), "nothing changed") {
		t.Errorf("90m on a 5400 s instance is a change:\n%s", ansi.Strip(m.View(120, 40)))
	}
	// Out of range: the message gives the range in seconds.
	formtest.Drive(m, `ctrl+u "59m"`)
	if got := m.Field(keyHours).Err; !strings.Contains(got, "59m is too short") || !strings.Contains(got, "3,600–86,400 seconds") {
		t.Errorf("59m: %q", got)
	}
	formtest.Drive(m, `ctrl+u "5400"`)
	if got := m.Field(keyHours).Err; !strings.Contains(got, "did you mean 5400s?") {
		t.Errorf("5400 (hours): %q", got)
	}
}

// devInstances are stored Gen 1 instances whose values need not round-trip
// through the form's inputs (durations that are not whole hours, missing or
// out-of-range durations, descriptions the API would refuse today).
func devInstances() []model.DevInstance {
	var out []model.DevInstance
	for _, as := range []model.DevAutoStop{
		{Enable: true, Duration: 3600}, {Enable: true, Duration: 5400}, {Enable: true, Duration: 5430},
		{Enable: true, Duration: 86400}, {Enable: true}, {Enable: true, Duration: 120}, {Enable: true, Duration: 1 << 40},
		{Enable: false, Duration: 7200}, {Enable: false},
	} {
		for _, desc := range []string{"", "old", "a/b & <c>", "two\nlines\tand tab", " padded "} {
			for _, status := range []string{"RUNNING", "STOPPED"} {
				out = append(out, model.DevInstance{ID: "DE-1", Name: "nb", Description: desc, Status: status,
					Spec: model.DevSpec{AutoStop: as}})
			}
		}
	}
	return out
}

// Opening the modify form on any stored instance and reviewing without
// touching anything must change nothing; so must undoing an edit, and esc
// then closes without asking.
func TestModifyUntouchedChangesNothing(t *testing.T) {
	for _, inst := range devInstances() {
		name := fmt.Sprintf("%+v/%q/%s", inst.Spec.AutoStop, inst.Description, inst.Status)
		for _, script := range []string{"", `"x" backspace`, `down right left`, `down down "1" backspace`} {
			m := NewModify(formtest.Ctx(), inst, nil)
			formtest.Drive(m, script+" ctrl+s")
			if m.Reviewing() || !strings.Contains(ansi.Strip(m.View(200, 40)), "nothing changed") {
				req, _ := m.Request()
				b, _ := json.Marshal(req)
				t.Errorf("%s after %q: not 'nothing changed' (body %s):\n%s", name, script, b, ansi.Strip(m.View(200, 40)))
				continue
			}
			if _, ok := formtest.Drive(m, "esc").(formtest.Cancelled); !ok {
				t.Errorf("%s after %q: esc asked before closing an unchanged form", name, script)
			}
		}
	}
}

// Issue 13 item 7: the simulator's refusals of a Gen 1 create land on the
// field they are about, not in a banner (6336 names the property, 6323 is
// the flavor).
func TestCreateServerErrorsOnFieldsFromSimulator(t *testing.T) {
	c, _ := formtest.SimClient(t)
	for _, tc := range []struct{ profile, flavor, field, code string }{
		{"no-such-profile", "modelarts.vm.cpu.2u", keyProfile, "ModelArts.6336"},
		{"Multi-Engine 1.0 (python3)-cpu", "modelarts.vm.nope", keyFlavor, "ModelArts.6323"},
	} {
		f := NewCreate(formtest.Ctx(), CreateOptions{Create: c.CreateDevInstance})
		cm := formtest.Sent[CreateMsg](t, f, formtest.Drive(f, `"nb-srv" enter "`+tc.profile+`" enter "`+tc.flavor+`" enter "/bkt/out/" ctrl+s enter`))
		_, err := c.CreateDevInstance(context.Background(), cm.Req)
		if err == nil {
			t.Fatalf("%s/%s accepted", tc.profile, tc.flavor)
		}
		f.Update(overlay.Done{Err: err})
		if got := f.Field(tc.field).Err; !strings.Contains(got, tc.code) {
			t.Errorf("%s/%s: field %s error %q (err %v)", tc.profile, tc.flavor, tc.field, got, err)
		}
		if v := ansi.Strip(f.View(120, 40)); strings.Count(v, tc.code) != 1 {
			t.Errorf("%s shown %d times (banner and field?):\n%s", tc.code, strings.Count(v, tc.code), v)
		}
	}
}

// An opener that gives no call gets errors.ErrUnsupported from the
// submission, as the other forms' do, not a nil call.
func TestNoCallIsUnsupported(t *testing.T) {
	c := NewCreate(formtest.Ctx(), CreateOptions{})
	formtest.Drive(c, `"nb" enter "prof" enter "flv" enter "/bucket/out/"`)
	m := NewModify(formtest.Ctx(), model.DevInstance{ID: "DE-1", Name: "d", Description: "old"}, nil)
	formtest.Drive(m, `ctrl+u "new"`)
	for name, submit := range map[string]func() (overlay.Submit, bool){"create": c.Lifecycle.Submit, "modify": m.Lifecycle.Submit} {
		sub, ok := submit()
		if !ok {
			t.Fatalf("%s: not fit to send", name)
		}
		if _, err := sub.Run(context.Background()); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("%s: %v, want errors.ErrUnsupported", name, err)
		}
	}
}

// A refusal's error stays on its field while the user edits another one,
// and, being shown but not enforced (forms.ServerErrors), does not make
// the footer claim the review is disabled: ctrl+s opens it.
func TestServerErrorKeptNotEnforced(t *testing.T) {
	c := NewCreate(formtest.Ctx(), CreateOptions{})
	formtest.Drive(c, `"nb" enter "no-such-profile" enter "flv" enter "/bucket/out/" ctrl+s`)
	if !c.Reviewing() {
		t.Fatalf("not reviewing:\n%s", ansi.Strip(c.View(120, 40)))
	}
	c.Update(overlay.Done{Err: &client.APIError{HTTPStatus: 400, Code: "ModelArts.6336",
		Message: `The 'profile_id' property value is incorrect: profile "no-such-profile" does not exist.`}})
	if v := ansi.Strip(c.View(120, 40)); strings.Contains(v, "review disabled") {
		t.Errorf("the footer says the review is disabled:\n%s", v)
	}
	formtest.Drive(c, `enter enter enter enter enter "x"`) // the description
	v := ansi.Strip(c.View(120, 40))
	if !strings.Contains(c.Field(keyProfile).Err, "ModelArts.6336") {
		t.Errorf("the profile's error was dropped by an edit elsewhere:\n%s", v)
	}
	if formtest.Drive(c, "ctrl+s"); !c.Reviewing() {
		t.Errorf("ctrl+s did not open the review:\n%s", v)
	}
}
