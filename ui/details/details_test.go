package details

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"matui/model"
	"matui/themes"
	"matui/ui/keys"
	"matui/ui/uictx"
)

func testCtx() *uictx.Context {
	p, _ := themes.Builtin("dark")
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return &uictx.Context{Styles: themes.New(p, true), Keys: keys.Default(), Now: func() time.Time { return now }, ServerNow: now}
}

func TestDetailsShowAffinityAndSSHAccess(t *testing.T) {
	w := 50
	in := model.Instance{
		Generation: model.Gen2, ID: "nb-1", Name: "pool-job", Status: "STOPPED", Class: model.ClassStopped,
		URL: "https://authoring.example/nb-1/lab",
		Endpoints: []model.Access{
			{Service: "NOTEBOOK", URI: "https://authoring.example/nb-1/lab"},
			{Service: "SSH", URI: "192.168.0.12", KeyPairNames: []string{"kp-alice"}, AllowedAccessIPs: []string{"203.0.113.7"}},
		},
		Affinity: &model.Affinity{
			Required:  []model.AffinityRule{{Key: "kubernetes.io/hostname", Operator: model.OpIn, Values: []string{"192.168.1.1", "192.168.1.2"}}},
			Preferred: []model.AffinityRule{{Key: "accelerator", Operator: model.OpExists, Weight: &w}, {Key: "zone", Operator: model.OpIn, Values: []string{"a\x1b[31mred"}}},
		},
	}
	d := New(testCtx())
	d.SetSize(120, 60)
	d.Show(in)
	out := ansi.Strip(strings.Join(d.fieldLines(), "\n"))
	for _, want := range []string{
		"Node affinity",
		"Required       kubernetes.io/hostname In (192.168.1.1, 192.168.1.2)",
		"Preferred      accelerator Exists · weight 50",
		"SSH            192.168.0.12 · keys kp-alice · from 203.0.113.7",
		"URL            https://authoring.example/nb-1/lab",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	// The NOTEBOOK endpoint is the URL already shown: not listed twice.
	if strings.Count(out, "https://authoring.example/nb-1/lab") != 1 {
		t.Errorf("URL listed twice:\n%s", out)
	}
	// Values from the API are sanitised: no escape sequence reaches the screen.
	if strings.Contains(strings.Join(d.fieldLines(), ""), "\x1b[31m") {
		t.Error("an escape sequence from a label value reached the view")
	}
	if !strings.Contains(out, "zone In (ared)") {
		t.Errorf("sanitised value missing:\n%s", out)
	}
}

func TestDetailsWithoutAffinityHasNoSection(t *testing.T) {
	d := New(testCtx())
	d.SetSize(120, 60)
	d.Show(model.Instance{Generation: model.Gen1, ID: "DE-1", Name: "old", Status: "RUNNING", Class: model.ClassRunning})
	if out := strings.Join(d.fieldLines(), "\n"); strings.Contains(out, "Node affinity") || strings.Contains(out, "SSH") {
		t.Errorf("empty sections shown:\n%s", out)
	}
}
