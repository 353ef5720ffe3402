package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"matui/client"
	"matui/model"
	"matui/ui/forms"
	"matui/ui/help"
	"matui/ui/overlay"
	"matui/ui/text"
	"matui/ui/toast"
)

// The overlay stack: dialogs, forms, pickers, browsers, the help and the
// command line over the list. The root model pushes an overlay where it is
// opened and pops it when the overlay's Update returns nil; it knows no
// overlay's own message types. What it does for all of them: it routes keys
// to the top one, runs their Submits (one at a time per overlay, never twice
// for one key press), hands each Done back to the overlay that asked, and
// applies a Done's Change to the list.

// formCallTimeout bounds one call run for an overlay (a catalog load or a
// submission).
const formCallTimeout = 60 * time.Second

// opened is an overlay on the stack.
type opened struct {
	id int
	ov overlay.Overlay
	// keys counts the key presses it got; settled is the count when its
	// last call failed or was left. A Submit is stamped with the count of
	// the key that produced it: one produced before the last failure
	// returned (a second enter on the review) is dropped, so a form is
	// never sent twice.
	keys, settled int
	call          *inflight // the call running for it, if any
}

// inflight is a Submit being run.
type inflight struct {
	sub      overlay.Submit
	cancel   context.CancelFunc
	detached bool // the user left the wait (esc)
}

type (
	// fromOverlay is an overlay's request, addressed to it.
	fromOverlay struct {
		id, stamp int
		req       overlay.Request
	}
	// submitDone is the outcome of an overlay's Submit.
	submitDone struct {
		id, conn int
		call     *inflight
		value    any
		err      error
		// recovery: the outcome after a lookup of an ambiguous create
		// (value is its Change when it was created after all).
		recovery bool
	}
)

// top is the overlay on top, or nil.
func (m *Model) top() *opened {
	if len(m.overlays) == 0 {
		return nil
	}
	return m.overlays[len(m.overlays)-1]
}

func (m *Model) find(id int) *opened {
	for _, o := range m.overlays {
		if o.id == id {
			return o
		}
	}
	return nil
}

// push opens ov over everything else.
func (m *Model) push(ov overlay.Overlay) *opened {
	m.lastID++
	o := &opened{id: m.lastID, ov: ov}
	m.overlays = append(m.overlays, o)
	m.layout()
	return o
}

// closeAll drops every overlay (a :profile switch: they act on the old
// backend's instances); calls in flight that can be cancelled are.
func (m *Model) closeAll() {
	for _, o := range m.overlays {
		if o.call != nil && !o.call.sub.Mutates {
			o.call.cancel()
		}
	}
	m.overlays = nil
}

// step gives msg to the overlay and applies what it returned.
func (m *Model) step(o *opened, msg tea.Msg) tea.Cmd {
	next, cmd := o.ov.Update(msg)
	if next == nil {
		for i, x := range m.overlays {
			if x == o {
				m.overlays = append(m.overlays[:i:i], m.overlays[i+1:]...)
				break
			}
		}
		if o.call != nil && !o.call.sub.Mutates {
			o.call.cancel() // nobody waits for it any more
		}
	} else {
		o.ov = next
	}
	m.layout()
	return tag(cmd, o.id, o.keys)
}

// tag addresses the requests among cmd's messages to overlay id; other
// messages (the clipboard, the terminal's) pass through untouched.
func tag(cmd tea.Cmd, id, stamp int) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		switch msg := cmd().(type) {
		case tea.BatchMsg:
			out := make(tea.BatchMsg, len(msg))
			for i, c := range msg {
				out[i] = tag(c, id, stamp)
			}
			return out
		case overlay.Request:
			return fromOverlay{id: id, stamp: stamp, req: msg}
		default:
			return msg
		}
	}
}

// overlayKey routes a key to the top overlay. While its call runs, keys
// wait, except esc, which gives control back at once.
func (m *Model) overlayKey(o *opened, msg tea.KeyPressMsg) tea.Cmd {
	if o.call != nil {
		if key.Matches(msg, m.ctx.Keys.Back) {
			return m.leaveWait(o, msg)
		}
		return nil
	}
	o.keys++
	return m.step(o, msg)
}

// leaveWait is esc while an overlay's call runs. A read (a catalog load)
// is cancelled. A mutation is not: it may already have reached the
// service, and cancelling would only hide its outcome; it runs on, its
// outcome is still applied and reported, and the user is told so. Either
// way the overlay gets the esc (a loading view closes, a form's review
// goes back to the form).
func (m *Model) leaveWait(o *opened, msg tea.KeyPressMsg) tea.Cmd {
	c := o.call
	o.call, o.settled = nil, o.keys
	c.detached = true
	if c.sub.Mutates {
		m.toasts.Push(toast.Info, c.sub.What+": sent — it may still be applied; the list will show it")
	} else {
		c.cancel()
	}
	o.keys++
	return m.step(o, msg)
}

func (m *Model) onFromOverlay(msg fromOverlay) tea.Cmd {
	o := m.find(msg.id)
	if o == nil {
		return nil // closed meanwhile
	}
	switch r := msg.req.(type) {
	case overlay.Open:
		m.push(r.Overlay)
	case overlay.Submit:
		if o.call != nil || msg.stamp <= o.settled {
			return nil // never twice: one call at a time, none from before a failure
		}
		if r.Mutates && m.opts.ReadOnly {
			m.toasts.Push(toast.Error, r.What+": read-only session")
			return nil
		}
		return m.run(o, r)
	}
	return nil
}

// run starts sub for o in a command.
func (m *Model) run(o *opened, sub overlay.Submit) tea.Cmd {
	ctx, cancel := context.WithTimeout(m.base, formCallTimeout)
	c := &inflight{sub: sub, cancel: cancel}
	o.call = c
	id, conn := o.id, m.conn
	return func() tea.Msg {
		defer cancel()
		v, err := sub.Run(ctx)
		return submitDone{id: id, conn: conn, call: c, value: v, err: err}
	}
}

// onSubmitDone reports the outcome, applies a Change to the list and hands
// the Done to the overlay that asked (if it is still open).
func (m *Model) onSubmitDone(msg submitDone) tea.Cmd {
	if msg.conn != m.conn {
		return nil // for the backend before a :profile switch
	}
	c := msg.call
	o := m.find(msg.id)
	if o != nil && o.call == c {
		o.call = nil
	}
	if msg.err != nil {
		if c.detached && !c.sub.Mutates {
			return nil // cancelled when the user left it
		}
		what := cmpOr(c.sub.Failed, c.sub.What)
		var cmd tea.Cmd
		var part *forms.PartialError
		if errors.As(msg.err, &part) {
			// Some of its calls were applied: show that at once, like a
			// success, and report the rest as the failure it is.
			ch := part.Applied
			ch.Note = cmpOr(ch.Note, name(&ch.Instance)+": partly applied")
			cmd = m.applyChange(c.sub.What, ch)
		}
		if cr := c.sub.Creates; cr != nil && maybeApplied(msg.err) && part == nil && !msg.recovery {
			// Never a second create by a retry: find out first.
			m.toasts.Push(toast.Info, what+": "+ErrorText(msg.err)+" — it may have been created: checking…")
			return m.recover(o, c, msg)
		}
		switch {
		case msg.recovery:
			// recover says what it found, the failure inside.
			m.toasts.Push(toast.Error, what+": "+text.Sanitize(msg.err.Error()))
			m.noteErr(what, msg.err)
		case c.sub.Mutates && maybeApplied(msg.err):
			m.toastErr(what, msg.err)
			m.toasts.Push(toast.Info, what+": the change may or may not have been applied; the list will show it")
		default:
			m.toastErr(what, msg.err)
		}
		if o == nil {
			return cmd
		}
		o.settled = o.keys
		return tea.Batch(cmd, m.step(o, overlay.Done{Err: msg.err, Detached: c.detached}))
	}
	var cmd tea.Cmd
	if ch, ok := msg.value.(overlay.Change); ok {
		cmd = m.applyChange(c.sub.What, ch)
	}
	if o == nil {
		return cmd
	}
	return tea.Batch(cmd, m.step(o, overlay.Done{Value: msg.value, Detached: c.detached}))
}

// recover looks up the instance an ambiguous create may have made. It is
// created after all when the lookup finds one of that name the list did
// not hold before: that is the Submit's success. Otherwise the failure
// stands and says so, and the form may be sent again. The overlay stays
// waiting meanwhile.
func (m *Model) recover(o *opened, c *inflight, failed submitDone) tea.Cmd {
	cr := c.sub.Creates
	known := map[string]bool{}
	for _, in := range m.store.Instances() {
		if in.Name == cr.Name {
			known[in.ID] = true
		}
	}
	if o != nil && !c.detached {
		o.call = c // still waiting: for the lookup now
	}
	b, base := m.backend, m.base
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(base, formCallTimeout)
		defer cancel()
		found, err := b.FindInstancesByName(ctx, cr.Generation, cr.Name)
		out := failed
		out.recovery = true
		for _, in := range found {
			if !known[in.ID] {
				out.err, out.value = nil, overlay.Change{Instance: in, Created: true,
					Note: name(&in) + ": created after all (" + ErrorText(failed.err) + "; the list shows it)"}
				return out
			}
		}
		if err != nil {
			out.err = fmt.Errorf("could not tell whether it was created (%s): %w", ErrorText(err), failed.err)
		} else {
			out.err = fmt.Errorf("it was not created: you can send it again: %w", failed.err)
		}
		return out
	}
}

// maybeApplied reports a failure that leaves a mutation's outcome unknown:
// the request may have reached the service (a timeout, a connection lost
// after sending, a gateway error), rather than being refused by it.
func maybeApplied(err error) bool {
	if client.IsAmbiguous(err) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	var api *client.APIError
	if !errors.As(err, &api) {
		return true // no answer at all
	}
	return api.HTTPStatus >= 500 && api.Code == ""
}

// applyChange shows a created or updated instance at once.
func (m *Model) applyChange(what string, ch overlay.Change) tea.Cmd {
	now := m.ctx.Now()
	in := ch.Instance
	label := name(&in)
	switch {
	case in.ID == "":
		m.toasts.Push(toast.Success, strings.TrimSuffix(what, "…")+": done")
	case ch.Created:
		m.store.Created(in, now)
		m.backend.Touched(in)
		st := ""
		if in.Status != "" {
			st = ": " + text.Sanitize(in.Status)
		}
		m.toasts.Push(toast.Success, cmpOr(ch.Note, label+st))
	default:
		m.store.Patch(in)
		m.backend.Touched(in)
		m.toasts.Push(toast.Success, cmpOr(ch.Note, label+": updated"))
	}
	m.publish()
	if in.ID != "" && ch.Created {
		m.selectID(in.ID)
	}
	if in.ID != "" && ch.Show {
		if cur, ok := m.table.Get(in.ID); ok {
			m.mode = modeDetails
			m.details.Show(cur)
		}
	}
	m.fastUntil = now.Add(fastAfterAction)
	return m.poll()
}

// touched tells the backend's poller an instance was acted on, so the
// next poll looks at it (the answer when there is one).
func (m *Model) touched(inst, answer model.Instance) {
	if answer.ID != "" {
		inst = answer
	}
	m.backend.Touched(inst)
}

// patch shows an action's answer in the list at once (see store.Patch:
// it supersedes an optimistic state; a zero answer changes nothing).
func (m *Model) patch(in model.Instance) { m.store.Patch(in) }

// selectID moves the cursor to the instance id when it is listed.
func (m *Model) selectID(id string) {
	if m.mode != modeList {
		return
	}
	m.table.Top()
	for range m.table.Len() {
		if in, ok := m.table.Selected(); ok && in.ID == id {
			return
		}
		m.table.Move(1)
	}
	m.table.Top()
}

// bodyOverlay is the topmost overlay drawn over the body (not a panel),
// or nil.
func (m *Model) bodyOverlay() *opened {
	for i := len(m.overlays) - 1; i >= 0; i-- {
		if _, panel := m.overlays[i].ov.(overlay.Panel); !panel {
			return m.overlays[i]
		}
	}
	return nil
}

// panel is the top overlay when it is drawn as a panel, or nil.
func (m *Model) panel() overlay.Panel {
	if o := m.top(); o != nil {
		if p, ok := o.ov.(overlay.Panel); ok {
			return p
		}
	}
	return nil
}

// fullScreen reports whether the top overlay takes the whole body with no
// panels under it (the help).
func (m *Model) fullScreen() bool {
	if o := m.top(); o != nil {
		_, ok := o.ov.(*help.Help)
		return ok
	}
	return false
}

// overlayFooter is the footer while an overlay is shown: the top one's key
// help, or the wait for its submission.
func (m *Model) overlayFooter(o *opened) []key.Binding {
	if c := o.call; c != nil && c.sub.Mutates {
		back := m.ctx.Keys.Back
		back.SetHelp(back.Help().Key, "stop waiting")
		return []key.Binding{key.NewBinding(key.WithHelp("…", c.sub.What+" — waiting for the server")), back}
	}
	return o.ov.Help()
}
