package ui

import (
	"fmt"
	"strings"
	"testing"

	"matui/client"
	"matui/ui/text"
	"matui/ui/toast"
)

// apiErrRID is an API error with the gateway's request id.
func apiErrRID(code, msg, rid string) *client.APIError {
	e := apiErr(code, msg)
	e.RequestID = rid
	return e
}

const longMsg = "Start failed: insufficient backend resources (flavor modelarts.bm.npu.arm.8snt9b3.d, pool shared-pool-eu-de-02, requested 8 devices, 0 available in the availability zones eu-de-01, eu-de-02 and eu-de-03); retry later or pick another flavor"

func TestLongToastWraps(t *testing.T) {
	full := "✗ stop gpu-notebook: ModelArts.6360: " + longMsg
	for _, tc := range []struct {
		width int
		cut   bool
	}{{100, false}, {70, true}} {
		m, f, _ := newLoaded(t, tc.width, 30, fixture())
		selectName(t, m, "gpu-notebook")
		f.actErr["a1b2"] = apiErrRID("ModelArts.6360", longMsg, "req-0123456789")
		exec(t, m, press(m, "x", "y"))
		scr := screen(m)
		lines := strings.Split(scr, "\n")
		var toastLines []string
		for i, l := range lines {
			if strings.HasPrefix(l, " ✗ stop gpu-notebook") {
				toastLines = lines[i : i+3]
			}
		}
		if toastLines == nil || m.toasts.Height() != 3 {
			t.Fatalf("%d: no 3-line error toast:\n%s", tc.width, scr)
		}
		joined := strings.Join(strings.Fields(strings.Join(toastLines, " ")), " ")
		if tc.cut {
			if !strings.HasSuffix(joined, "…") || !strings.HasPrefix(full, strings.TrimSuffix(joined, "…")) || len(joined) < 150 {
				t.Fatalf("%d: toast wrapped as\n%s", tc.width, strings.Join(toastLines, "\n"))
			}
		} else if joined != full {
			t.Fatalf("%d: toast wrapped as\n%s", tc.width, strings.Join(toastLines, "\n"))
		}
		for _, l := range lines {
			if w := text.Width(l); w > tc.width {
				t.Fatalf("%d: line wider than the screen: %q", tc.width, l)
			}
		}
		if !strings.Contains(scr, "gpu-notebook  ") {
			t.Fatalf("%d: selection hidden:\n%s", tc.width, scr)
		}
	}
}

func TestWrappedToastsNeverCoverSelection(t *testing.T) {
	m, _, _ := newLoaded(t, 60, 14, fixture())
	m.table.Bottom()
	sel, _ := m.table.Selected()
	for i := range 4 {
		m.toasts.Push(toast.Error, fmt.Sprintf("error %d: %s", i, longMsg))
	}
	m.Update(tickMsg{})
	scr := screen(m)
	if !strings.Contains(scr, sel.Name) {
		t.Fatalf("selected %q hidden by toasts:\n%s", sel.Name, scr)
	}
	if h := m.toasts.Height(); h > toast.MaxHeight || h < toast.MaxLines {
		t.Fatalf("toast height %d", h)
	}
	if !strings.Contains(scr, "error 3:") || strings.Contains(scr, "error 0:") {
		t.Fatalf("newest toast not shown or oldest not dropped:\n%s", scr)
	}
	if n := len(strings.Split(scr, "\n")); n != 14 {
		t.Fatalf("%d lines", n)
	}
}

func TestLastErrorView(t *testing.T) {
	m, f, _ := newLoaded(t, 100, 30, fixture())
	press(m, "!")
	if topDialog(m) != nil || !strings.Contains(toastTexts(m), "no error so far") {
		t.Fatalf("without an error: dialog %v, toasts %q", topDialog(m) != nil, toastTexts(m))
	}
	selectName(t, m, "gpu-notebook")
	f.actErr["a1b2"] = fmt.Errorf("stop: %w", apiErrRID("ModelArts.6360", longMsg, "req-0123456789"))
	exec(t, m, press(m, "x", "y"))
	press(m, "!")
	if topDialog(m) == nil {
		t.Fatal("no last-error view")
	}
	scr := screen(m)
	flat := strings.Join(strings.Fields(strings.ReplaceAll(scr, "│", " ")), " ")
	for _, want := range []string{"Last error", "stop gpu-notebook", "code: ModelArts.6360", "request id: req-0123456789",
		"message: " + longMsg, "error: stop: ModelArts.6360: Start failed"} {
		if !strings.Contains(flat, want) {
			t.Fatalf("%q missing:\n%s", want, scr)
		}
	}
	cmd := press(m, "y")
	if cmd == nil || topDialog(m) != nil || !strings.Contains(toastTexts(m), "copied the error") {
		t.Fatalf("y: cmd %v, dialog open %v", cmd != nil, topDialog(m) != nil)
	}
	press(m, "!")
	if cmd := press(m, "j"); cmd != nil || topDialog(m) != nil || len(f.Calls()) != 1 {
		t.Fatal("a key did not just close the view")
	}
}

func TestLastErrorRemap(t *testing.T) {
	m, _, _ := newLoaded(t, 100, 30, fixture(), func(o *Options) {
		o.Keys = map[string][]string{"last_error": {"E"}}
	})
	m.noteErr("list", apiErr("APIG.0308", "too many requests"))
	press(m, "E")
	if topDialog(m) == nil || !strings.Contains(screen(m), "code: APIG.0308") {
		t.Fatalf("remapped key:\n%s", screen(m))
	}
}

func TestRefreshLeavesNoToast(t *testing.T) {
	m, f, _ := newLoaded(t, 100, 30, fixture())
	cmd := press(m, "r")
	if cmd == nil || !m.polling() || !strings.Contains(screen(m), "↻ updated") {
		t.Fatalf("r: polling %v:\n%s", m.polling(), screen(m))
	}
	if tt := toastTexts(m); tt != "" {
		t.Fatalf("toasts %q", tt)
	}
	exec(t, m, cmd)
	if m.polling() || f.lists != 2 || strings.Contains(screen(m), "↻") || toastTexts(m) != "" {
		t.Fatalf("after the refresh: polling %v, lists %d, toasts %q", m.polling(), f.lists, toastTexts(m))
	}
}
