// Package devenv holds the Gen 1 (DevEnviron) forms: create (seed 001) and
// modify (seed 000, description and auto-stop only). Like the Gen 2 forms
// they do no I/O: they submit an overlay.Submit whose Body is a CreateMsg
// or ModifyMsg, and whose Run calls the function the opener gave.
package devenv

import (
	"context"
	"errors"
	"strings"

	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/forms"
	"matui/ui/overlay"
	"matui/ui/text"
	"matui/ui/uictx"
)

// CreateMsg is the create submission's body.
type CreateMsg struct {
	Req model.CreateDevInstanceRequest
}

// ModifyMsg is the modify submission's body: modify instance ID with Req.
type ModifyMsg struct {
	ID  string
	Req model.ModifyDevInstanceRequest
}

// CreateFunc and ModifyFunc are the backend calls the forms submit.
type (
	CreateFunc func(context.Context, model.CreateDevInstanceRequest) (model.DevInstance, error)
	ModifyFunc func(context.Context, string, model.ModifyDevInstanceRequest) (model.DevInstance, error)
)

const (
	keyProfile  = "profile_id"
	keyFlavor   = forms.KeyFlavor
	keyPath     = forms.KeyStorage
	keyAutoStop = forms.KeyAutoStop
	keyHours    = forms.KeyDuration
)

// CreateOptions are the choices the create form offers. No API lists Gen 1
// profiles or flavors (reference §2.8), so an empty list makes the field
// free text with the documented names as suggestions (DocumentedProfiles,
// DocumentedFlavors): they are region-specific, any other value is sent as
// typed.
type CreateOptions struct {
	Profiles []string
	Flavors  []string
	// Create is the call the submission runs.
	Create CreateFunc
}

// DocumentedProfiles are the Gen 1 profile names the reference documents
// (§2.3: the HWC list and the OTC samples).
var DocumentedProfiles = []string{
	"Multi-Engine 1.0 (python2)-cpu",
	"Multi-Engine 1.0 (python2)-gpu",
	"Multi-Engine 1.0 (python3)-cpu",
	"Multi-Engine 1.0 (python3)-gpu",
	"Multi-Engine 2.0 (python3)",
	"Ascend-Powered-Engine 1.0 (python3)",
	"Power-Engine 1.0(python3)",
}

// DocumentedFlavors are the Gen 1 flavors the reference documents (§2.3,
// plus the Ascend flavor of the samples).
var DocumentedFlavors = []string{
	"modelarts.vm.cpu.2u",
	"modelarts.vm.cpu.8u",
	"modelarts.vm.gpu.p100",
	"modelarts.vm.cpu.free",
	"modelarts.vm.gpu.free",
	"modelarts.kat1.xlarge",
}

// form is the shared machinery of the two Gen 1 forms.
type form struct {
	ctx *uictx.Context
	set *forms.Set
	// Lifecycle runs edit → review → submit and gives the overlay its
	// Help, Reviewing and EscAction.
	forms.Lifecycle
	title  string
	banner string
	note   string
	// build validates the fields and returns the request body (body adds
	// the server's errors).
	build func() (any, bool)
	srv   forms.ServerErrors
	// submit is what sending the body means.
	submit func(body any) overlay.Submit
	// empty reports whether a valid body would change nothing.
	empty func(body any) bool
}

// start runs the lifecycle once ctx, set, title and the hooks are set.
func (f *form) start() {
	f.Lifecycle = forms.Lifecycle{
		Set:     f.set,
		Discard: "Discard your changes?",
		// An edit form whose request would change nothing has nothing
		// to discard (its edits were undone).
		Unchanged: func() bool {
			if f.empty == nil {
				return false
			}
			body, ok := f.body()
			return ok && f.empty(body)
		},
		Review: f.toReview,
		Submit: func() (overlay.Submit, bool) {
			body, ok := f.body()
			if !ok {
				return overlay.Submit{}, false
			}
			return f.submit(body), true
		},
		Rejected: f.setServerError,
		Changed: func() {
			f.banner = ""
			f.body()
		},
		LeaveReview: true,
	}
	f.body()
}

// body is the request body and whether it is valid, with each field's
// error set: the form's own checks, then the server's, kept until their
// field changes (forms.ServerErrors).
func (f *form) body() (any, bool) {
	body, ok := f.build()
	f.srv.Apply()
	return body, ok
}

// toReview reports whether the review can open, else says why.
func (f *form) toReview() bool {
	f.banner = ""
	body, ok := f.body()
	switch {
	case !ok:
		f.set.FocusInvalid()
		f.banner = "fix the marked fields before review"
	case f.empty != nil && f.empty(body):
		f.banner = "nothing changed: there is nothing to send"
	default:
		return true
	}
	return false
}

// setServerError shows an API error on its field; the lifecycle is back
// in editing with every value intact.
func (f *form) setServerError(err error) {
	if b := f.srv.Reject(f.set, err, "", nil); b != "" {
		f.banner = b
	}
}

// Update handles one message.
func (f *form) update(self overlay.Overlay, msg tea.Msg) (overlay.Overlay, tea.Cmd) {
	closed, cmd := f.Lifecycle.Update(msg)
	return forms.Next(self, closed, cmd)
}

// run is a Submit's Run: call do, which is nil when the opener gave no
// call (then errors.ErrUnsupported, as the other forms answer).
func run(do func(context.Context) (model.DevInstance, error), created bool) func(context.Context) (any, error) {
	return func(ctx context.Context) (any, error) {
		if do == nil {
			return nil, errors.ErrUnsupported
		}
		d, err := do(ctx)
		return overlay.Change{Instance: model.FromDevInstance(d), Created: created}, err
	}
}

func (f *form) view(width, height int) string {
	return f.Lifecycle.Fit(f.Lifecycle.View(width, forms.Page{
		Title:   text.Truncate(f.title, width),
		Verb:    "send",
		Request: f.body,
		Note:    f.note,
		Banner:  f.banner,
	}), width, height)
}

// Field returns a field by key.
func (f *form) Field(key string) *forms.Field { return f.set.Get(key) }

// Dirty reports whether the user changed anything.
func (f *form) Dirty() bool { return f.Lifecycle.Dirty() }

// autoStopHint is the duration field's hint in both forms.
const autoStopHint = "1h–24h, as 90m, 1.5h, 1h30m or 5400s (a bare number is hours)"

// choiceOrText is a choice over options, or free text suggesting
// suggestions when there are none.
func choiceOrText(ctx *uictx.Context, key, label string, options, suggestions []string, hint string) *forms.Field {
	if len(options) > 0 {
		safe := make([]string, len(options))
		for i, o := range options {
			safe[i] = text.Sanitize(o)
		}
		return &forms.Field{Key: key, Label: label, Kind: forms.Choice, Options: safe}
	}
	f := forms.NewText(ctx, key, label, "")
	f.Suggestions = suggestions
	f.Hint = hint
	return f
}

// Create is the Gen 1 create form (seed 001).
type Create struct {
	form
	profiles, flavors []string
}

// NewCreate returns a Gen 1 create form.
func NewCreate(ctx *uictx.Context, opts CreateOptions) *Create {
	c := &Create{profiles: opts.Profiles, flavors: opts.Flavors}
	name := forms.NewText(ctx, forms.KeyName, "Name", "")
	name.Hint = "1–64 letters, digits, - and _"
	profile := choiceOrText(ctx, keyProfile, "Profile", opts.Profiles, DocumentedProfiles,
		"the documented names differ by region: pick one or type your region's profile ID")
	flavor := choiceOrText(ctx, keyFlavor, "Flavor", opts.Flavors, DocumentedFlavors,
		"region-specific: pick a documented flavor or type another")
	path := forms.NewText(ctx, keyPath, "OBS path", "")
	path.Hint = "a directory inside a bucket, ending with /, e.g. /bucket/output/"
	auto := &forms.Field{Key: keyAutoStop, Label: "Auto-stop", Kind: forms.Choice, Options: []string{"on", "off"}}
	hours := forms.NewText(ctx, keyHours, "Stop after", "1h")
	hours.Hint = autoStopHint
	desc := forms.NewText(ctx, forms.KeyDescription, "Description", "")
	desc.Hint = "optional, ≤512 characters, none of & < > \" ' /"
	c.ctx = ctx
	c.title = "New DevEnviron instance (Gen 1)"
	c.set = forms.NewSet(ctx, name, profile, flavor, path, auto, hours, desc)
	c.build = func() (any, bool) { r, ok := c.request(); return r, ok }
	c.submit = func(body any) overlay.Submit {
		req := body.(model.CreateDevInstanceRequest)
		var do func(context.Context) (model.DevInstance, error)
		if opts.Create != nil {
			do = func(ctx context.Context) (model.DevInstance, error) { return opts.Create(ctx, req) }
		}
		return overlay.Submit{What: "creating the Gen 1 instance", Mutates: true, Body: CreateMsg{Req: req},
			Creates: &overlay.Creation{Generation: model.Gen1, Name: req.Name},
			Run:     run(do, true)}
	}
	c.start()
	return c
}

func (c *Create) request() (model.CreateDevInstanceRequest, bool) {
	c.set.ClearErrors()
	g := c.set.Get
	req := model.CreateDevInstanceRequest{
		Name:        strings.TrimSpace(g(forms.KeyName).Text()),
		Description: g(forms.KeyDescription).Text(),
		ProfileID:   c.pick(keyProfile, c.profiles),
		Flavor:      c.pick(keyFlavor, c.flavors),
		// Seed 001's sample sends the default workspace explicitly.
		Workspace: &model.IDRef{ID: "0"},
	}
	c.set.SetError(forms.KeyName, model.ValidateGen1Name(req.Name))
	c.set.SetError(forms.KeyDescription, model.ValidateDescription(req.Description))
	if req.ProfileID == "" {
		c.set.SetError(keyProfile, &model.FieldError{Field: "profile_id", Rule: "is required", Allowed: "a DevEnviron profile ID"})
	}
	if req.Flavor == "" {
		c.set.SetError(keyFlavor, &model.FieldError{Field: "flavor", Rule: "is required", Allowed: "a Gen 1 flavor ID"})
	}
	path := strings.TrimSpace(g(keyPath).Text())
	c.set.SetError(keyPath, model.ValidateOBSPath(path))
	req.Spec.Storage = model.DevStorage{Type: "obs", Location: &model.DevLocation{Path: path}}
	on := g(keyAutoStop).Text() == "on"
	g(keyHours).Hidden = !on
	enable := on
	as := &model.DevAutoStopReq{Enable: &enable}
	if on {
		secs, err := model.ParseGen1AutoStop(g(keyHours).Text())
		c.set.SetError(keyHours, err)
		if err == nil {
			as.Duration = &secs
		}
	}
	req.Spec.AutoStop = as
	if !c.set.Valid() {
		return req, false
	}
	if err := req.Validate(); err != nil {
		c.banner = err.Error()
		return req, false
	}
	return req, true
}

func (c *Create) pick(key string, options []string) string {
	f := c.set.Get(key)
	if f.Kind == forms.Choice {
		// The raw option, not the sanitised label: it is an ID the API gave.
		if f.Choice < len(options) {
			return options[f.Choice]
		}
		return ""
	}
	return strings.TrimSpace(f.Text())
}

// Request returns the request as filled and whether it is valid.
func (c *Create) Request() (model.CreateDevInstanceRequest, bool) { return c.request() }

// Update handles one message.
func (c *Create) Update(msg tea.Msg) (overlay.Overlay, tea.Cmd) { return c.update(c, msg) }

// View renders the form.
func (c *Create) View(width, height int) string { return c.view(width, height) }

// Modify is the Gen 1 modify form (seed 000): description and auto-stop.
type Modify struct {
	form
	inst model.DevInstance
}

// NewModify returns a modify form prefilled from inst; modify is the call
// the submission runs.
func NewModify(ctx *uictx.Context, inst model.DevInstance, modify ModifyFunc) *Modify {
	m := &Modify{inst: inst}
	desc := forms.NewText(ctx, forms.KeyDescription, "Description", inst.Description)
	desc.Hint = "≤512 characters, none of & < > \" ' /"
	auto := &forms.Field{Key: keyAutoStop, Label: "Auto-stop", Kind: forms.Choice, Options: []string{"on", "off"}}
	cur := inst.Spec.AutoStop
	if !cur.Enable {
		auto.Choice = 1
	}
	// The stored duration exactly as the field reads it back (5400 s is
	// "1h30m", not a rounded "1"). Without one, an enabled auto-stop shows
	// nothing rather than a value the instance does not have; a disabled
	// one offers the 1 h default for turning it on.
	shown := ""
	switch {
	case cur.Duration > 0:
		shown = model.FormatSeconds(int64(cur.Duration))
	case !cur.Enable:
		shown = "1h"
	}
	hours := forms.NewText(ctx, keyHours, "Stop after", shown)
	hours.Hint = autoStopHint
	m.ctx = ctx
	m.title = "Edit " + text.Sanitize(inst.Name)
	m.set = forms.NewSet(ctx, desc, auto, hours)
	// Only what the user changes from here on is sent.
	m.set.Keep()
	if model.SameEnum(inst.Status, "RUNNING") {
		// Seed 000: the instance keeps its current countdown; a new
		// duration is used from the next start.
		m.note = "The instance is running: a new auto-stop duration applies from its next start."
	}
	m.build = func() (any, bool) { r, ok := m.request(); return r, ok }
	m.submit = func(body any) overlay.Submit {
		req := body.(model.ModifyDevInstanceRequest)
		var do func(context.Context) (model.DevInstance, error)
		if modify != nil {
			do = func(ctx context.Context) (model.DevInstance, error) { return modify(ctx, inst.ID, req) }
		}
		return overlay.Submit{What: "modifying " + nameOf(inst), Mutates: true, Body: ModifyMsg{ID: inst.ID, Req: req},
			Run: run(do, false)}
	}
	m.empty = func(body any) bool {
		r := body.(model.ModifyDevInstanceRequest)
		return r.Description == nil && r.Spec == nil
	}
	m.start()
	return m
}

func (m *Modify) request() (model.ModifyDevInstanceRequest, bool) {
	m.set.ClearErrors()
	g := m.set.Get
	var req model.ModifyDevInstanceRequest
	// A field is sent only when the user changed what it shows: an
	// untouched field is never sent, whatever the input made of the stored
	// value (seed 000: every member is optional).
	if f := g(forms.KeyDescription); f.Changed() && f.Text() != m.inst.Description {
		d := f.Text()
		req.Description = &d
		m.set.SetError(forms.KeyDescription, model.ValidateDescription(d))
	}
	auto, hours := g(keyAutoStop), g(keyHours)
	on := auto.Text() == "on"
	hours.Hidden = !on
	cur := m.inst.Spec.AutoStop
	switch {
	case on && (auto.Changed() || hours.Changed()):
		secs, err := model.ParseGen1AutoStop(hours.Text())
		if err != nil {
			m.set.SetError(keyHours, err)
			break
		}
		// The same duration written another way ("90m" for 1h30m) is
		// no change.
		if !cur.Enable || int64(secs) != int64(cur.Duration) {
			enable := true
			req.Spec = &model.DevModifySpec{AutoStop: &model.DevAutoStopReq{Enable: &enable, Duration: &secs}}
		}
	case !on && cur.Enable:
		enable := false
		req.Spec = &model.DevModifySpec{AutoStop: &model.DevAutoStopReq{Enable: &enable}}
	}
	if !m.set.Valid() {
		return req, false
	}
	if err := req.Validate(); err != nil {
		m.banner = err.Error()
		return req, false
	}
	return req, true
}

// Request returns the request as filled and whether it is valid.
func (m *Modify) Request() (model.ModifyDevInstanceRequest, bool) { return m.request() }

// Update handles one message.
func (m *Modify) Update(msg tea.Msg) (overlay.Overlay, tea.Cmd) { return m.update(m, msg) }

// View renders the form.
func (m *Modify) View(width, height int) string { return m.view(width, height) }

// nameOf is how an instance is named in messages.
func nameOf(d model.DevInstance) string {
	if n := text.Sanitize(d.Name); n != "" {
		return n
	}
	return text.Sanitize(d.ID)
}
