package notebook

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"matui/model"
	"matui/model/termsafe"
	"matui/ui/forms"
	"matui/ui/forms/formtest"
)

// hostile carries an OSC 52 clipboard write, an 8-bit CSI and a bidi
// override; encoding/json leaves the last two as they are.
const hostile = "\x1b]52;c;cHduZWQ=\x07kp\u009b2J\u202e1"

// The edit form shows what the API stored sanitised, in its inputs and in
// the review JSON, and an untouched field is still not sent.
func TestEditShowsAPIStringsSanitised(t *testing.T) {
	nb := stoppedNB()
	nb.Name, nb.Description = "train"+hostile, "old"+hostile
	nb.Endpoints = []model.Endpoint{{Service: "SSH", KeyPairNames: []string{hostile}, AllowedAccessIPs: []string{"1.2.3.4"}}}
	e := NewEdit(formtest.Ctx(), nb, UpdateOptions{Flavors: catalog, Images: images})
	for _, k := range []string{forms.KeyName, forms.KeyDescription, keyEPKeys} {
		if v := e.Field(k).Text(); !termsafe.IsSafe(v) || !strings.Contains(v, "kp1") {
			t.Errorf("field %s shows %q", k, v)
		}
	}
	formtest.Drive(e, "ctrl+s")
	if e.Reviewing() || !strings.Contains(ansi.Strip(e.View(200, 60)), "nothing changed") {
		t.Fatalf("untouched hostile fields count as changed: body %s", e.Body())
	}
	// Editing the allowed IPs sends the key pairs as stored; the review
	// shows them clean.
	formtest.Drive(e, `down down down down down down end ", 5.6.7.8"`)
	body := e.Body()
	if !strings.Contains(body, "5.6.7.8") || !strings.Contains(body, `"kp1"`) {
		t.Fatalf("body %s", body)
	}
	if !termsafe.IsSafe(body) || strings.Contains(body, `\u001b`) || strings.Contains(body, `\u0007`) {
		t.Errorf("review body not sanitised: %q", body)
	}
}
