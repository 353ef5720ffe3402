package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/dialog"
	"matui/ui/text"
	"matui/ui/toast"
)

// A running Gen 2 notebook's dynamic storage: detaching a mount from the
// list or the details (attaching is a form, opened in open.go).

// callTimeout bounds one single call the dashboard makes on an instance
// (each of a list action's, a detach, a pin's renewal).
const callTimeout = 30 * time.Second

// callDoneMsg is the outcome of a single call on one instance.
type callDoneMsg struct {
	conn   int
	what   string // "detach /data/x/ from nb"
	inst   model.Instance
	answer model.Instance // the instance as it is now, if the call told
	err    error
}

// callOn runs one mutating call on inst in a command; its answer patches
// the row, its failure is toasted.
func (m *Model) callOn(what string, inst model.Instance, run func(context.Context) (model.Instance, error)) tea.Cmd {
	base, conn := m.base, m.conn
	m.fastUntil = m.ctx.Now().Add(fastAfterAction)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(base, callTimeout)
		defer cancel()
		answer, err := run(ctx)
		return callDoneMsg{conn: conn, what: what, inst: inst, answer: answer, err: err}
	}
}

func (m *Model) onCallDone(msg callDoneMsg) tea.Cmd {
	if msg.conn != m.conn {
		return nil
	}
	if msg.err != nil {
		m.toastErr(msg.what, msg.err)
	} else {
		m.patch(msg.answer)
		m.touched(msg.inst, msg.answer)
		m.toasts.Push(toast.Success, msg.what+": sent")
		m.publish()
	}
	m.fastUntil = m.ctx.Now().Add(fastAfterAction)
	return m.poll()
}

// storageTarget is the running Gen 2 notebook a storage or image key acts
// on, or why there is none.
func (m *Model) storageTarget(what string) (model.Instance, bool) {
	if m.refuse(what, true) {
		return model.Instance{}, false
	}
	in, ok := m.target()
	switch {
	case !ok:
		m.toasts.Push(toast.Error, what+": no instance selected")
	case in.Generation != model.Gen2:
		m.toasts.Push(toast.Error, what+": only Gen 2 notebooks can ("+name(&in)+" is a Gen 1 instance)")
	case in.Status != "RUNNING":
		m.toasts.Push(toast.Error, what+": needs a running notebook; "+name(&in)+" is "+text.Sanitize(in.Status))
	default:
		return in, true
	}
	return model.Instance{}, false
}

// detachMount is M: pick one of the notebook's mounts, confirm, detach.
func (m *Model) detachMount() tea.Cmd {
	in, ok := m.storageTarget("detach")
	if !ok {
		return nil
	}
	var mounts []model.Mount
	for _, mt := range in.Mounts {
		if mt.ID != "" && model.MountHolds(mt.Status) {
			mounts = append(mounts, mt)
		}
	}
	switch len(mounts) {
	case 0:
		m.toasts.Push(toast.Error, "detach: "+name(&in)+" has no mount to detach")
		return nil
	case 1:
		return m.confirmDetach(in, mounts[0])
	}
	paths := make([]string, len(mounts))
	for i, mt := range mounts {
		paths[i] = text.Sanitize(mt.MountPath)
	}
	m.push(dialog.Choose(m.ctx, "Detach which storage from "+name(&in)+"?", "", paths, 0).OnDone(func(r dialog.Result) tea.Cmd {
		return m.confirmDetach(in, mounts[r.Choice])
	}))
	return nil
}

func (m *Model) confirmDetach(in model.Instance, mt model.Mount) tea.Cmd {
	path := text.Sanitize(mt.MountPath)
	body := "The storage " + text.Sanitize(mt.URI) + " stays; processes using " + path + " lose it."
	b := m.backend
	m.push(dialog.Confirm(m.ctx, "Detach "+path+" from "+name(&in)+"?", body).OnDone(func(dialog.Result) tea.Cmd {
		return m.callOn("detach "+path+" from "+name(&in), in, func(ctx context.Context) (model.Instance, error) {
			vol, err := b.DetachStorage(ctx, in.ID, mt.ID)
			if err != nil {
				return model.Instance{}, err
			}
			return withMountStatus(in, mt.ID, cmpOr(vol.Status, model.MountUnmounting)), nil
		})
	}))
	return nil
}

// withMountStatus is in with one mount's status changed (a copy: rows are
// shared with the store).
func withMountStatus(in model.Instance, id, status string) model.Instance {
	ms := append([]model.Mount(nil), in.Mounts...)
	for i := range ms {
		if ms[i].ID == id {
			ms[i].Status = status
		}
	}
	in.Mounts = ms
	return in
}
