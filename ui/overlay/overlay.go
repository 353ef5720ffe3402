// Package overlay is how views open over the instance list: dialogs,
// forms, pickers, browsers, the help and the command line each implement
// Overlay, and the dashboard keeps them on a stack. The dashboard pushes an
// overlay where it is opened and pops it when its Update returns nil; it
// never knows an overlay's own message types.
//
// An overlay reports its outcome with typed messages:
//   - a message of the opener's own type, through a callback the opener
//     gave it (a dialog's answer: "start these instances for 2 h");
//   - Submit, a call for the dashboard to run on its behalf (a form's
//     request): the dashboard runs it in a tea.Cmd under its own context and
//     timeout, holds the overlay's keys while it runs, and hands the outcome
//     back to the same overlay as Done. A Done that carries a Change also
//     updates the list (a created or updated instance shows at once);
//   - Open, another overlay to push on top.
//
// Overlays do no I/O in Update: Submit.Run runs in the dashboard's command.
package overlay

import (
	"context"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"matui/model"
)

// Overlay is one view over the list.
type Overlay interface {
	// Update handles one message (a key press, a mouse event, or the Done
	// of its Submit) and returns the overlay to show next — itself, one
	// that replaces it, or nil to close it — and a command.
	Update(msg tea.Msg) (Overlay, tea.Cmd)
	// View draws the overlay in at most width×height cells.
	View(width, height int) string
	// Help is its key help, for the footer (what works right now).
	Help() []key.Binding
}

// Panel is implemented by overlays drawn as a panel above the footer
// (dialogs, the command line), which leave the list above visible, rather
// than over the whole body.
type Panel interface {
	Overlay
	// Height is how many lines the panel takes at this width.
	Height(width int) int
}

// Request is what the dashboard intercepts from an overlay's commands: it
// addresses the request to the overlay that made it.
type Request interface{ request() }

// Submit asks the dashboard to run a call for the overlay that made it.
type Submit struct {
	// What is the call in words, for the footer and toasts ("creating the
	// notebook").
	What string
	// Failed, when set, heads the toast of a failure instead of What
	// ("new notebook: loading flavors/images failed").
	Failed string
	// Mutates is set when the call changes the cloud: it is not cancelled
	// when the user leaves (it may already have reached the service; its
	// outcome is still applied and reported), and a failure that leaves
	// the outcome unknown says so.
	Mutates bool
	// Body is the request as sent (the review showed it); kept for tests
	// and messages, never interpreted by the dashboard.
	Body any
	// Run does the call; its value comes back in Done.
	Run func(ctx context.Context) (any, error)
	// Creates, when set, says the call creates an instance of that
	// generation and name: after a failure that leaves the outcome unknown
	// (client.IsAmbiguous: a timeout, a 5xx after sending) the dashboard
	// looks the name up before the form may be sent again, so a create is
	// never made twice by a retry.
	Creates *Creation
}

// Creation names the instance a Submit creates.
type Creation struct {
	Generation model.Generation
	Name       string
}

// Open asks the dashboard to push an overlay over the one that sent it.
type Open struct{ Overlay Overlay }

func (Submit) request() {}
func (Open) request()   {}

// Do returns the command that sends a Submit.
func Do(s Submit) tea.Cmd { return func() tea.Msg { return s } }

// Done is the outcome of a Submit, delivered to the overlay that sent it.
type Done struct {
	Value any
	Err   error
	// Detached is set when the user left the wait (esc) before the answer
	// came: the overlay may have moved on.
	Detached bool
}

// Change is a Submit value that changed an instance; the dashboard shows
// it in the list at once instead of waiting for the next listing.
type Change struct {
	Instance model.Instance
	Created  bool
	// Note is the success toast ("" for the default "NAME: updated").
	Note string
	// Show opens the instance's details, for a change whose progress the
	// user wants to watch (CodeLab starting).
	Show bool
}
