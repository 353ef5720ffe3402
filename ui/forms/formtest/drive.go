package formtest

import (
	"encoding/json"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"matui/themes"
	"matui/ui/keys"
	"matui/ui/overlay"
	"matui/ui/uictx"
)

// Ctx is a plain-text 100×40 context with the default key map, for
// driving a form outside the dashboard.
func Ctx() *uictx.Context {
	p, _ := themes.Builtin(themes.Names()[0])
	return &uictx.Context{Width: 100, Height: 40, Styles: themes.New(p, true), Keys: keys.Default()}
}

// Cancelled is what Drive reports when the form closed without sending.
type Cancelled struct{}

// Drive sends the script's keys (see Keys) to the overlay and returns the
// Body of the last submission its commands produced, Cancelled{} if it
// closed without one, or nil. A closed overlay gets no further keys.
func Drive(o overlay.Overlay, script string) any {
	var last any
	for _, k := range Keys(script) {
		next, cmd := o.Update(k)
		if s, ok := run(cmd).(overlay.Submit); ok {
			last = s.Body
		}
		if next == nil {
			if last == nil {
				last = Cancelled{}
			}
			return last
		}
		o = next
	}
	return last
}

// run returns the Submit a command produced, following batches.
func run(cmd tea.Cmd) tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case overlay.Submit:
		return msg
	case tea.BatchMsg:
		for _, c := range msg {
			if s := run(c); s != nil {
				return s
			}
		}
	}
	return nil
}

// Sent is the body m (what Drive returned) as a T, the form's submission
// message; the test fails at once, with o's view (o may be nil), when the
// form sent no T.
func Sent[T any](t *testing.T, o overlay.Overlay, m any) T {
	t.Helper()
	body, ok := m.(T)
	if !ok {
		view := ""
		if o != nil {
			view = ansi.Strip(o.View(120, 60))
		}
		t.Fatalf("no %T submitted (got %#v); view:\n%s", body, m, view)
	}
	return body
}

// JSON is v marshalled as it is sent.
func JSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
