package forms

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"matui/client"
	"matui/model"
	"matui/ui/forms/formtest"
)

func TestServerFieldError(t *testing.T) {
	// Every code of reference §6.2 that names a field, and the ones whose
	// message names it (issue 13 item 7); the rest stay banners.
	cases := []struct {
		code, message, locked, field string
		ok                           bool
	}{
		{"ModelArts.6301", "The instance nb already exists.", "", KeyName, true},
		{"ModelArts.6316", "storage is required", "", KeyStorage, true},
		{"ModelArts.6317", "The param path is required for OBS storage.", "", KeyStorage, true},
		{"ModelArts.6318", "The param path needs to end with /.", "", KeyStorage, true},
		{"ModelArts.6320", "OBS access error", "", KeyStorage, true},
		{"ModelArts.6358", "bad storage", "", KeyStorage, true},
		{"ModelArts.6371", "only Standard-class OBS buckets", "", KeyStorage, true},
		{"ModelArts.6624", "storage path does not exist", "", KeyStorage, true},
		{"ModelArts.6324", "The storage type EFS is not supported by flavor f.", "", KeyStorageType, true},
		{"ModelArts.6331", "The EVS size must be in the range of 5 to 4096 GB.", "", KeyStorageSize, true},
		{"ModelArts.6323", "The flavor x is not supported.", "", KeyFlavor, true},
		{"ModelArts.6328", "no permission for this flavor", "", KeyFlavor, true},
		{"ModelArts.6329", "The flavor x is sold out.", "", KeyFlavor, true},
		{"ModelArts.6330", "The flavor type of profile p does not match", "", KeyFlavor, true},
		{"ModelArts.6716", "The specified flavor x is sold out.", "", KeyFlavor, true},
		{"ModelArts.6792", "flavor sold out", "", KeyFlavor, true},
		{"ModelArts.6870", "Flavor x does not support feature DEFAULT.", "", KeyFlavor, true},
		{"ModelArts.6346", "auto-stop timestamp must be in the future", "", KeyDuration, true},
		{"ModelArts.6349", "x", "", KeyDuration, true},
		{"ModelArts.6348", "x", "", KeyDuration, true},
		{"ModelArts.6768", "SSH config missing; the image supports SSH only", "", KeyKeyPairs, true},
		{"ModelArts.6789", "no permission for SSH key pair kp1", "", KeyKeyPairs, true},
		{"ModelArts.6797", "Image x not found.", "", KeyImage, true},
		{"ModelArts.1002", "OBS operation failed.", "", KeyStorage, true},
		{"ModelArts.1003", "No OBS permission.", "", KeyStorage, true},
		{"ModelArts.6355", "The dedicated resource pool p is initializing. Try again in a minute.", "", KeyPool, true},
		{"ModelArts.6737", "The image ns/x:latest already exists (image i).", "", KeyImageTag, true},
		{"ModelArts.6782", "Mounting OBS needs AK/SK in the global settings.", "", "", false},
		{"ModelArts.0118", "The expected number of tags (21) exceeds the quota (20).", "", "", false},
		{"ModelArts.6334", "invalid name", "", KeyName, true},
		{"ModelArts.6334", "invalid description", "", KeyDescription, true},
		{"ModelArts.6334", "The 'description' contains illegal characters.", "", KeyDescription, true},
		// The property named in the message, mapped to the form's key.
		{"ModelArts.6336", "The 'image_id' property value is incorrect: image x cannot run on flavor y.", "", KeyImage, true},
		{"ModelArts.6336", "The 'profile_id' property value is incorrect: profile \"p\" does not exist.", "", "profile_id", true},
		{"ModelArts.6336", "The 'storage_new_size' parameter only applies to EVS volumes.", "", "storage_new_size", true},
		{"ModelArts.6336", "'flavor' property value incorrect", "", KeyFlavor, true},
		{"ModelArts.6336", "The 'spec.auto_stop.duration' property value is incorrect.", "", KeyDuration, true},
		{"ModelArts.6336", "The 'lease.duration' property value is incorrect.", "", KeyDuration, true},
		{"ModelArts.6336", "The 'spec.storage.location.path' property value is incorrect.", "", KeyStorage, true},
		{"ModelArts.6336", "The 'endpoints[0].allowed_access_ips[2]' property value is incorrect.", "", "endpoints.allowed_access_ips", true},
		{"ModelArts.6336", "The 'hooks.container_hooks.post_start.script' property value is incorrect.", "", "hooks.script", true},
		{"ModelArts.6336", "The 'affinity.required_during_scheduling_ignored_during_execution[0].key' property value is incorrect.", "", "affinity.required_during_scheduling_ignored_during_execution.key", true},
		{"ModelArts.6336", "The property value is incorrect.", "", "", false},
		{"ModelArts.6335", "'name' is a required property.", "", KeyName, true},
		{"ModelArts.6335", "'pool_id' is a required property.", "", "pool_id", true},
		{"ModelArts.0107", "Invalid values for parameters ('flavor', 'x').", "", KeyFlavor, true},
		{"ModelArts.6600", "parameter validation failed", "", "", false},
		// 6347 names the parameter after the status; the form's guess is
		// the fallback.
		{"ModelArts.6347", "When the instance is in the 'RUNNING' status, the 'hooks' parameter cannot be modified.", "image_id", "hooks", true},
		{"ModelArts.6347", "not allowed now", "image_id", "image_id", true},
		{"ModelArts.6347", "not allowed now", "", "", false},
		{"ModelArts.6309", "The instance does not exist.", "", "", false},
		{"ModelArts.6302", "quota", "", "", false},
		{"ModelArts.0102", "The workspace does not exist.", "", "", false},
	}
	for _, c := range cases {
		// Wrapped, as the root model's command may return it.
		err := fmt.Errorf("create: %w", &client.APIError{Code: c.code, Message: c.message})
		field, msg, ok := ServerFieldError(err, c.locked)
		if field != c.field || ok != c.ok || msg != c.code+": "+c.message {
			t.Errorf("%s %q: got (%q, %q, %v), want %q", c.code, c.message, field, msg, ok, c.field)
		}
	}
	if _, _, ok := ServerFieldError(errors.New("network down"), ""); ok {
		t.Error("a non-API error mapped to a field")
	}
	// A property with terminal control sequences is not a field name.
	if f, _, ok := ServerFieldError(&client.APIError{Code: "ModelArts.6336", Message: "The '\x1b[31mname' property value is incorrect."}, ""); ok {
		t.Errorf("control sequence mapped to %q", f)
	}
}

// ServerError puts an error whose field the form lacks on the nearest
// field it has along the property path, else in the banner.
func TestServerErrorFindsNearestField(t *testing.T) {
	ctx := formtest.Ctx()
	aff := &Field{Key: "affinity", Label: "Affinity", Kind: Action}
	s := NewSet(ctx, NewText(ctx, KeyName, "Name", ""), aff)
	err := &client.APIError{Code: "ModelArts.6336", Message: "x"}
	if b, placed := s.ServerError(err, "affinity.required_during_scheduling_ignored_during_execution.key", "bad key", true); !placed || b != "" || aff.Err != "bad key" || s.Current() != aff {
		t.Errorf("not placed on the affinity field: %q %v %q", b, placed, aff.Err)
	}
	if b, placed := s.ServerError(err, "pool.id", "no pool", true); placed || b != "no pool" {
		t.Errorf("pool.id: %q %v", b, placed)
	}
}

func TestErrorsShownOnlyAfterEditOrAttempt(t *testing.T) {
	ctx := formtest.Ctx()
	name := NewText(ctx, KeyName, "Name", "")
	name.Err = "name: is required"
	desc := NewText(ctx, KeyDescription, "Description", "")
	desc.Err = "description: bad"
	s := NewSet(ctx, name, desc)
	if v := ansi.Strip(s.View(80)); strings.Contains(v, "is required") || strings.Contains(v, "bad") {
		t.Fatalf("fresh set shows errors:\n%s", v)
	}
	if got := s.DisabledReason("review"); got != "review disabled until Name, Description are valid" {
		t.Errorf("reason = %q", got)
	}
	// Typing into the name reveals its error only.
	s.HandleKey(formtest.Key("x"))
	v := ansi.Strip(s.View(80))
	if !strings.Contains(v, "is required") || strings.Contains(v, "bad") {
		t.Errorf("after editing the name:\n%s", v)
	}
	s.Reveal()
	if v := ansi.Strip(s.View(80)); !strings.Contains(v, "bad") {
		t.Errorf("after an attempt not every error is shown:\n%s", v)
	}
	name.Err, desc.Err = "", ""
	if got := s.DisabledReason("review"); got != "" {
		t.Errorf("valid set disabled: %q", got)
	}
}

func TestSuggestions(t *testing.T) {
	ctx := formtest.Ctx()
	f := NewText(ctx, "profile_id", "Profile", "")
	f.Suggestions = []string{"Multi-Engine 1.0 (python3)-cpu", "Multi-Engine 2.0 (python3)", "Power-Engine 1.0(python3)"}
	s := NewSet(ctx, f)
	press := func(script string) {
		for _, k := range formtest.Keys(script) {
			s.HandleKey(k)
		}
	}
	if v := ansi.Strip(s.View(200)); !strings.Contains(v, "ctrl+n/ctrl+p fill in one of:") ||
		!strings.Contains(v, "· Multi-Engine 1.0 (python3)-cpu\n") || !strings.Contains(v, "· Power-Engine 1.0(python3)") {
		t.Errorf("suggestions not listed:\n%s", v)
	}
	press("ctrl+n")
	if f.Text() != "Multi-Engine 1.0 (python3)-cpu" || !f.Edited {
		t.Errorf("ctrl+n: %q", f.Text())
	}
	if v := ansi.Strip(s.View(200)); !strings.Contains(v, "▹ Multi-Engine 1.0 (python3)-cpu") || !strings.Contains(v, "· Multi-Engine 2.0") {
		t.Errorf("the filled-in suggestion is not marked:\n%s", v)
	}
	press("ctrl+n ctrl+n ctrl+n")
	if f.Text() != "Multi-Engine 1.0 (python3)-cpu" {
		t.Errorf("ctrl+n wraps: %q", f.Text())
	}
	press("ctrl+p")
	if f.Text() != "Power-Engine 1.0(python3)" {
		t.Errorf("ctrl+p: %q", f.Text())
	}
	// Typing filters (case-insensitive, anywhere in the name) and starts a
	// new round from the typed text.
	press(`ctrl+u "2.0" ctrl+n`)
	if f.Text() != "Multi-Engine 2.0 (python3)" {
		t.Errorf("filtered: %q", f.Text())
	}
	press(`ctrl+u "power" ctrl+p`)
	if f.Text() != "Power-Engine 1.0(python3)" {
		t.Errorf("ctrl+p filtered: %q", f.Text())
	}
	// Free entry: a value matching nothing stays as typed.
	press(`ctrl+u "uuid-1234" ctrl+n`)
	if f.Text() != "uuid-1234" {
		t.Errorf("free entry replaced: %q", f.Text())
	}
	if v := ansi.Strip(s.View(200)); !strings.Contains(v, "no suggestion matches") {
		t.Errorf("no-match notice missing:\n%s", v)
	}
}

func TestChangedComparesWithKeptValue(t *testing.T) {
	ctx := formtest.Ctx()
	// The input turns the stored newline into a space: what it shows is
	// the kept value, so the untouched field is not a change.
	desc := NewText(ctx, KeyDescription, "Description", "two\nlines")
	auto := &Field{Key: "auto", Label: "Auto", Kind: Choice, Options: []string{"on", "off"}}
	s := NewSet(ctx, desc, auto)
	s.Keep()
	if desc.Changed() || auto.Changed() {
		t.Fatal("untouched fields changed")
	}
	for _, k := range formtest.Keys(`"x"`) {
		s.HandleKey(k)
	}
	if !desc.Changed() {
		t.Error("typing is no change")
	}
	for _, k := range formtest.Keys(`backspace down right`) {
		s.HandleKey(k)
	}
	if desc.Changed() || !auto.Changed() {
		t.Errorf("undone typing: %v; choice moved: %v", desc.Changed(), auto.Changed())
	}
	s.HandleKey(formtest.Key("left"))
	if auto.Changed() {
		t.Error("choice moved back is a change")
	}
}

// A kept server error comes back after each re-validation until its field
// changes; one about no field is a banner.
func TestServerErrorsKept(t *testing.T) {
	ctx := formtest.Ctx()
	name := NewText(ctx, KeyName, "Name", "nb")
	s := NewSet(ctx, name, NewText(ctx, KeyDescription, "Description", ""))
	var kept ServerErrors
	err := &client.APIError{Code: "ModelArts.6301", Message: "exists"}
	if b, placed := kept.Place(s, err, KeyName, "ModelArts.6301: exists", true); !placed || b != "" {
		t.Fatalf("not placed: %q", b)
	}
	name.Err = "" // a form's validation pass
	kept.Apply()
	if name.Err != "ModelArts.6301: exists" {
		t.Fatalf("not re-applied: %q", name.Err)
	}
	name.Err = "name: is required" // the form's own check wins
	kept.Apply()
	if name.Err != "name: is required" {
		t.Errorf("own error replaced: %q", name.Err)
	}
	name.Err = ""
	name.Input.SetValue("nb2")
	kept.Apply()
	if name.Err != "" || len(kept) != 0 {
		t.Errorf("kept after the field changed: %q", name.Err)
	}
	if b, placed := kept.Place(s, err, "", "ModelArts.6302: quota", false); placed || b != "ModelArts.6302: quota" {
		t.Errorf("banner: %q %v", b, placed)
	}
}

// A validator's errors land on the fields named by their Field, the first
// per field; the first invalid visible field takes the focus.
func TestSetFieldErrorsAndFocus(t *testing.T) {
	ctx := formtest.Ctx()
	name, desc := NewText(ctx, KeyName, "Name", ""), NewText(ctx, KeyDescription, "Description", "")
	hidden := NewText(ctx, "hidden", "Hidden", "")
	hidden.Hidden = true
	s := NewSet(ctx, hidden, name, desc)
	s.SetFieldErrors(model.FieldErrors{
		{Field: "hidden", Rule: "bad"}, {Field: KeyDescription, Rule: "first"}, {Field: KeyDescription, Rule: "second"}, {Field: "other", Rule: "x"},
	})
	if desc.Err != "description: first" || name.Err != "" || hidden.Err != "hidden: bad" {
		t.Errorf("errors: name %q, description %q, hidden %q", name.Err, desc.Err, hidden.Err)
	}
	if !s.FocusInvalid() || s.Current() != desc {
		t.Errorf("focus on %q", s.Current().Key)
	}
	s.SetFieldErrors(&model.FieldError{Field: KeyName, Rule: "is required"})
	if name.Err != "name: is required" {
		t.Errorf("single error: %q", name.Err)
	}
	desc.Err, name.Err = "", ""
	if s.FocusInvalid() {
		t.Error("focused without an error")
	}
	if NameOr("", "id-\x1b[2J1") != "id-1" || NameOr("nb", "id") != "nb" {
		t.Error("NameOr")
	}
}
