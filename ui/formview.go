package ui

import (
	"context"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"matui/client"
	"matui/model"
	"matui/ui/dialog"
	"matui/ui/forms/codelab"
	"matui/ui/forms/devenv"
	"matui/ui/forms/flavorpicker"
	"matui/ui/forms/notebook"
	"matui/ui/text"
	"matui/ui/toast"
)

const (
	// formCallTimeout bounds one form call (a catalog load or a submission).
	formCallTimeout = 60 * time.Second
	// addedFor is how long a just-created instance is shown before the
	// server lists it.
	addedFor = time.Minute
)

// newChoices is the first small choice of n.
var newChoices = []string{"Gen 2 notebook", "Gen 1 DevEnviron instance"}

// purpose is what an overlay's data is loaded for.
type purpose int

const (
	forCreate purpose = iota
	forEdit
	forCodeLab
	forFlavors
	forImages
)

func (p purpose) String() string {
	return [...]string{"new notebook", "edit", "codelab", "flavors", "images"}[p]
}

type overlayKind int

const (
	ovLoading overlayKind = iota
	ovForm
	ovFlavors
	ovImages
	ovAudit
)

// formModel is what the forms in ui/forms have in common.
type formModel interface {
	Update(tea.Msg) tea.Cmd
	View(width, height int) string
	SetServerError(error)
}

// overlay is a full-screen view over the list: a form, the flavor or image
// browser, or the loading state before one of them.
type overlay struct {
	kind    overlayKind
	seq     int // identifies this overlay's loads and submissions
	purpose purpose
	what    string // loading: what is loaded; form: what submitting does

	form    formModel
	picker  *flavorpicker.Picker
	images  *browser               // :images and :audit
	flavors []model.NotebookFlavor // to normalise a created notebook

	// Submissions. keys counts keys forwarded to the form; a form message
	// carries the count at its key, and one produced before the last
	// failed submission returned (a second enter on the review) is
	// dropped, as is any while busy: the form is never sent twice.
	busy    bool
	keys    int
	settled int

	// Scrolling of a form taller than the screen.
	scroll    int
	lastFocus int
}

type (
	// formDataMsg carries what a form or browser needs.
	formDataMsg struct {
		seq     int
		purpose purpose
		inst    model.Instance
		flavors []model.NotebookFlavor
		images  []model.Image
		err     error
	}
	// formMsg is a form's message tagged with its overlay and key count.
	formMsg struct {
		seq, key int
		msg      tea.Msg
	}
	// submitDoneMsg is a submission's outcome.
	submitDoneMsg struct {
		seq     int
		what    string
		inst    model.Instance // the created/updated instance, normalised
		created bool
		err     error
	}
)

// formsRefusal is why n/e/:codelab cannot run ("" when they can).
func (m *Model) formsRefusal(what string, mutates bool) string {
	switch {
	case mutates && m.opts.ReadOnly:
		return what + ": read-only session"
	}
	return ""
}

func (m *Model) refuse(what string, mutates bool) bool {
	if r := m.formsRefusal(what, mutates); r != "" {
		m.toasts.Push(toast.Error, r)
		return true
	}
	return false
}

// newInstance is n: the generation choice, Gen 2 preselected.
func (m *Model) newInstance() tea.Cmd {
	if m.refuse("new", true) {
		return nil
	}
	m.dlg = dialog.Choose(m.ctx, "New instance", "", newChoices, 0)
	m.pending = &pendingAction{newInstance: true}
	return nil
}

// onNewChoice opens the chosen create form.
func (m *Model) onNewChoice(choice int) tea.Cmd {
	if choice == 1 {
		// The Gen 1 catalog (profiles, flavors) has no API in the client:
		// the form takes them as free text.
		m.seq++
		m.ov = &overlay{kind: ovForm, seq: m.seq, purpose: forCreate, what: "creating the Gen 1 instance",
			form: devenv.NewCreate(m.ctx, devenv.CreateOptions{}), lastFocus: -1}
		return nil
	}
	return m.load(forCreate, model.Instance{}, "flavors and images")
}

// editInstance is e: the selected (or shown) instance's update form.
func (m *Model) editInstance() tea.Cmd {
	if m.refuse("edit", true) {
		return nil
	}
	in, ok := m.target()
	if !ok {
		m.toasts.Push(toast.Error, "edit: no instance selected")
		return nil
	}
	switch {
	case in.Status == "DELETING" || in.Status == "DELETED":
		m.toasts.Push(toast.Error, "edit: instance is "+text.Sanitize(in.Status))
		return nil
	case in.Generation == model.Gen1:
		d, ok := in.DevInstance()
		if !ok {
			d = model.DevInstance{ID: in.ID, Name: in.Name, Description: in.Description, Status: in.Status}
		}
		m.seq++
		m.ov = &overlay{kind: ovForm, seq: m.seq, purpose: forEdit, what: "modifying " + name(&in),
			form: devenv.NewModify(m.ctx, d), lastFocus: -1}
		return nil
	case in.Generation == model.Gen2:
		return m.load(forEdit, in, "switchable flavors and images of "+name(&in))
	}
	m.toasts.Push(toast.Error, "edit: unknown instance generation")
	return nil
}

// load opens the loading overlay and fetches what p needs in a command.
func (m *Model) load(p purpose, inst model.Instance, what string) tea.Cmd {
	m.seq++
	seq := m.seq
	m.ov = &overlay{kind: ovLoading, seq: seq, purpose: p, what: what, lastFocus: -1}
	fb, base := m.b, m.base
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(base, formCallTimeout)
		defer cancel()
		msg := formDataMsg{seq: seq, purpose: p, inst: inst}
		var err error
		switch p {
		case forCreate, forFlavors:
			msg.flavors, err = fb.ListFlavors(ctx, client.FlavorOptions{})
		case forEdit:
			msg.flavors, err = fb.ListSwitchableFlavors(ctx, inst.ID)
		}
		if err != nil {
			msg.err = err
			return msg
		}
		if p != forFlavors {
			msg.images, msg.err = fb.ListImages(ctx, client.ImageOptions{})
		}
		return msg
	}
}

func (m *Model) onFormData(msg formDataMsg) tea.Cmd {
	if m.ov == nil || m.ov.seq != msg.seq || m.ov.kind != ovLoading {
		return nil // cancelled with esc
	}
	if msg.err != nil {
		m.ov = nil
		m.toastErr(msg.purpose.String()+": loading "+loadWhat(msg.purpose)+" failed", msg.err)
		return nil
	}
	ov := m.ov
	switch msg.purpose {
	case forCreate:
		ov.kind, ov.what, ov.flavors = ovForm, "creating the notebook", msg.flavors
		// Pool labels have no API: the affinity editor offers no suggestions.
		ov.form = notebook.NewCreate(m.ctx, notebook.CreateOptions{Flavors: msg.flavors, Images: msg.images})
	case forEdit:
		nb := notebookOf(msg.inst)
		ov.kind, ov.what, ov.flavors = ovForm, "updating "+name(&msg.inst), msg.flavors
		ov.form = notebook.NewEdit(m.ctx, nb, notebook.UpdateOptions{Flavors: msg.flavors, Images: msg.images})
	case forCodeLab:
		ov.kind, ov.what = ovForm, "opening CodeLab"
		ov.form = codelab.New(m.ctx, msg.images)
	case forFlavors:
		ov.kind = ovFlavors
		ov.picker = flavorpicker.New(m.ctx, msg.flavors, flavorpicker.Options{Browse: true})
	case forImages:
		ov.kind = ovImages
		ov.images = newImageBrowser(m.ctx, msg.images)
	}
	return nil
}

func loadWhat(p purpose) string {
	switch p {
	case forEdit:
		return "switchable flavors/images"
	case forFlavors:
		return "flavors"
	case forCodeLab, forImages:
		return "images"
	}
	return "flavors/images"
}

// notebookOf is the notebook behind a Gen 2 instance, or what the
// instance itself says when the wire struct is not known.
func notebookOf(in model.Instance) model.Notebook {
	nb, ok := in.Notebook()
	if !ok {
		nb = model.Notebook{ID: in.ID, Name: in.Name, Description: in.Description, Status: in.Status, Flavor: in.Flavor}
		nb.Image.ID = in.ImageID
	}
	return nb
}

// onOverlayKey routes keys to the overlay.
func (m *Model) onOverlayKey(msg tea.KeyPressMsg) tea.Cmd {
	ov := m.ov
	switch ov.kind {
	case ovLoading:
		if msg.String() == "esc" || msg.String() == "q" {
			m.ov = nil
		}
		return nil
	case ovFlavors:
		res, cmd := ov.picker.Update(msg)
		if res.Done {
			m.ov = nil
		}
		return cmd
	case ovImages, ovAudit:
		if ov.images.update(msg) {
			m.ov = nil
		}
		return nil
	}
	if ov.busy {
		return nil // keys wait until the submission returns
	}
	switch msg.String() {
	case "pgup":
		ov.scroll -= max(m.bodyHeight()-1, 1)
		return nil
	case "pgdown":
		ov.scroll += max(m.bodyHeight()-1, 1)
		return nil
	}
	ov.keys++
	return tagForm(ov.form.Update(msg), ov.seq, ov.keys)
}

// tagForm wraps the form messages cmd produces in formMsg.
func tagForm(cmd tea.Cmd, seq, key int) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		msg := cmd()
		switch msg := msg.(type) {
		case tea.BatchMsg:
			out := make(tea.BatchMsg, len(msg))
			for i, c := range msg {
				out[i] = tagForm(c, seq, key)
			}
			return out
		case notebook.CreateMsg, notebook.UpdateMsg, notebook.CancelMsg,
			devenv.CreateMsg, devenv.ModifyMsg, devenv.CancelMsg,
			codelab.OpenMsg, codelab.CancelMsg:
			return formMsg{seq: seq, key: key, msg: msg}
		}
		return msg
	}
}

// onFormMsg handles a form's submission or cancellation.
func (m *Model) onFormMsg(fm formMsg) tea.Cmd {
	ov := m.ov
	if ov == nil || ov.kind != ovForm || ov.seq != fm.seq {
		return nil
	}
	switch fm.msg.(type) {
	case notebook.CancelMsg, devenv.CancelMsg, codelab.CancelMsg:
		if !ov.busy {
			m.ov = nil
		}
		return nil
	}
	if ov.busy || fm.key <= ov.settled {
		return nil
	}
	if m.opts.ReadOnly {
		return nil // forms are never opened then; belt and braces
	}
	ov.busy = true
	fb, base, seq, what, flavors := m.b, m.base, ov.seq, ov.what, ov.flavors
	var call func(ctx context.Context) (model.Instance, bool, error)
	switch msg := fm.msg.(type) {
	case notebook.CreateMsg:
		call = func(ctx context.Context) (model.Instance, bool, error) {
			nb, err := fb.CreateNotebook(ctx, msg.Req)
			return model.FromNotebook(nb, flavorLookup(flavors)), true, err
		}
	case notebook.UpdateMsg:
		call = func(ctx context.Context) (model.Instance, bool, error) {
			nb, err := fb.UpdateNotebook(ctx, msg.ID, msg.Req)
			return model.FromNotebook(nb, flavorLookup(flavors)), false, err
		}
	case devenv.CreateMsg:
		call = func(ctx context.Context) (model.Instance, bool, error) {
			d, err := fb.CreateDevInstance(ctx, msg.Req)
			return model.FromDevInstance(d), true, err
		}
	case devenv.ModifyMsg:
		call = func(ctx context.Context) (model.Instance, bool, error) {
			d, err := fb.ModifyDevInstance(ctx, msg.ID, msg.Req)
			return model.FromDevInstance(d), false, err
		}
	case codelab.OpenMsg:
		call = func(ctx context.Context) (model.Instance, bool, error) {
			nb, err := fb.OpenCodeLab(ctx, msg.Req)
			return model.FromNotebook(nb, flavorLookup(flavors)), true, err
		}
	default:
		ov.busy = false
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(base, formCallTimeout)
		defer cancel()
		inst, created, err := call(ctx)
		return submitDoneMsg{seq: seq, what: what, inst: inst, created: created, err: err}
	}
}

func flavorLookup(fs []model.NotebookFlavor) func(string) (model.NotebookFlavor, bool) {
	return func(id string) (model.NotebookFlavor, bool) {
		for _, f := range fs {
			if f.ID == id {
				return f, true
			}
		}
		return model.NotebookFlavor{}, false
	}
}

// onSubmitDone closes the form and shows the instance at once, or hands
// the error back to the form, which stays open with every value.
func (m *Model) onSubmitDone(msg submitDoneMsg) tea.Cmd {
	ov := m.ov
	if msg.err != nil {
		m.toastErr(msg.what, msg.err)
		if ov != nil && ov.seq == msg.seq {
			ov.busy = false
			ov.settled = ov.keys
			ov.form.SetServerError(msg.err)
			ov.lastFocus = -1
		}
		return nil
	}
	if ov != nil && ov.seq == msg.seq {
		m.ov = nil
	}
	now := m.ctx.Now()
	in := msg.inst
	label := name(&in)
	switch {
	case in.ID == "":
		m.toasts.Push(toast.Success, strings.TrimSuffix(msg.what, "…")+": done")
	case msg.created:
		m.added[in.ID] = addedRow{inst: in, until: now.Add(addedFor)}
		st := ""
		if in.Status != "" {
			st = ": " + text.Sanitize(in.Status)
		}
		m.toasts.Push(toast.Success, label+st)
	default:
		m.replaceServer(in)
		m.toasts.Push(toast.Success, label+": updated")
	}
	m.publish()
	if in.ID != "" && msg.created {
		m.selectID(in.ID)
	}
	m.fastUntil = now.Add(fastAfterAction)
	return m.poll()
}

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

// addedRow is a created instance shown before a list includes it.
type addedRow struct {
	inst  model.Instance
	until time.Time
}

// replaceServer puts an updated instance in the last list until the next
// one arrives.
func (m *Model) replaceServer(in model.Instance) {
	for i := range m.server {
		if m.server[i].ID == in.ID {
			items := make([]model.Instance, len(m.server))
			copy(items, m.server)
			items[i] = in
			m.server = items
			return
		}
	}
}

// bodyHeight is the height of the body area (lists, forms).
func (m *Model) bodyHeight() int {
	return max(m.ctx.Height-headerLines-footerLines-m.panelHeight(), 0)
}

// overlayView renders the overlay in the body area, keeping a form's
// focused field in view.
func (m *Model) overlayView(h int) string {
	ov := m.ov
	w := m.ctx.Width
	st := &m.ctx.Styles
	fit := func(s string) string {
		ls := strings.Split(s, "\n")
		for i := range ls {
			ls[i] = text.Truncate(ls[i], w)
		}
		return strings.Join(ls, "\n")
	}
	switch ov.kind {
	case ovLoading:
		return fit(st.Title.Render(ov.purpose.String()) + "\n" + st.Muted.Render("loading "+ov.what+"… esc cancels"))
	case ovFlavors:
		return fit(st.Title.Render("Flavors") + "\n" + ov.picker.View(w, max(h-1, 1)))
	case ovImages, ovAudit:
		return fit(ov.images.view(w, h))
	}
	lines := strings.Split(ov.form.View(w, h), "\n")
	for i := range lines {
		lines[i] = text.Truncate(lines[i], w)
	}
	if len(lines) <= h {
		ov.scroll = 0
		return strings.Join(lines, "\n")
	}
	// Keep the focused field (the line with the ▸ marker) visible when it
	// moved; otherwise keep the user's scroll.
	focus := -1
	for i, l := range lines {
		if strings.HasPrefix(ansi.Strip(l), "▸ ") {
			focus = i
			break
		}
	}
	if focus >= 0 && focus != ov.lastFocus {
		if focus < ov.scroll+1 {
			ov.scroll = focus - 1
		}
		if focus >= ov.scroll+h-2 {
			ov.scroll = focus - h + 3
		}
	}
	ov.lastFocus = focus
	ov.scroll = max(min(ov.scroll, len(lines)-h), 0)
	return strings.Join(lines[ov.scroll:ov.scroll+h], "\n")
}

// overlayFooter is the footer while an overlay is shown.
func (m *Model) overlayFooter() []struct{ key, desc string } {
	ov := m.ov
	switch {
	case ov.kind == ovLoading:
		return []struct{ key, desc string }{{"esc", "cancel"}, {"ctrl+c", "quit"}}
	case ov.kind != ovForm:
		return []struct{ key, desc string }{{"esc", "back"}, {"ctrl+c", "quit"}}
	case ov.busy:
		return []struct{ key, desc string }{{"…", ov.what + " — waiting for the server"}}
	}
	// The form knows what esc does where it is (cancel, back to the form
	// from the review, keep editing from the discard question).
	esc := "cancel"
	if a, ok := ov.form.(interface{ EscAction() string }); ok {
		esc = a.EscAction()
	}
	return []struct{ key, desc string }{{"pgup/pgdn", "scroll"}, {"esc", esc}, {"ctrl+c", "quit"}}
}

// formsCommand runs :codelab, :flavors and :images.
func (m *Model) formsCommand(cmd string) tea.Cmd {
	switch cmd {
	case "codelab":
		if m.refuse(":codelab", true) {
			return nil
		}
		return m.load(forCodeLab, model.Instance{}, "images")
	case "flavors":
		if m.refuse(":flavors", false) {
			return nil
		}
		return m.load(forFlavors, model.Instance{}, "flavors")
	case "images":
		if m.refuse(":images", false) {
			return nil
		}
		return m.load(forImages, model.Instance{}, "images")
	}
	return nil
}
