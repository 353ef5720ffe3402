package ui

import (
	"matui/ui/browser"
	"matui/ui/dialog"
	"matui/ui/forms/codelab"
	"matui/ui/forms/devenv"
	"matui/ui/forms/flavorpicker"
	"matui/ui/forms/notebook"
	"matui/ui/help"
)

// What the tests ask of the overlay stack.

// topDialog is the dialog on top, or nil.
func topDialog(m *Model) *dialog.Dialog {
	if o := m.top(); o != nil {
		d, _ := o.ov.(*dialog.Dialog)
		return d
	}
	return nil
}

// topLine is the filter or command line on top, or nil.
func topLine(m *Model) *line {
	if o := m.top(); o != nil {
		l, _ := o.ov.(*line)
		return l
	}
	return nil
}

// formOpen reports whether a form is on top.
func formOpen(m *Model) bool {
	o := m.top()
	if o == nil {
		return false
	}
	switch o.ov.(type) {
	case *notebook.Create, *notebook.Edit, *devenv.Create, *devenv.Modify, *codelab.Form:
		return true
	}
	return false
}

// busy reports whether the top overlay waits for its call.
func busy(m *Model) bool { return m.top() != nil && m.top().call != nil }

func imagesOpen(m *Model) bool {
	if o := m.top(); o != nil {
		_, ok := o.ov.(*browser.Browser)
		return ok
	}
	return false
}

func flavorsOpen(m *Model) bool {
	if o := m.top(); o != nil {
		_, ok := o.ov.(*flavorpicker.Browser)
		return ok
	}
	return false
}

func helpOpen(m *Model) bool {
	if o := m.top(); o != nil {
		_, ok := o.ov.(*help.Help)
		return ok
	}
	return false
}
