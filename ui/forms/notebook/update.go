package notebook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/forms"
	"matui/ui/forms/affinity"
	"matui/ui/forms/flavorpicker"
	"matui/ui/overlay"
	"matui/ui/text"
	"matui/ui/uictx"
)

// UpdateMsg is the update submission's body: update notebook ID with Req
// (not sent when it is empty), then remove RemoveTags and add AddTags.
type UpdateMsg struct {
	ID                  string
	Req                 model.UpdateNotebookRequest
	RemoveTags, AddTags []model.Tag
}

// Update field keys.
const (
	keyNewSize = "storage_new_size"
	keyEPKeys  = forms.KeyKeyPairs
	keyEPIPs   = "endpoints.allowed_access_ips"
)

// UpdateOptions are what the update form offers.
type UpdateOptions struct {
	// Flavors are the notebook's switchable flavors (ListSwitchableFlavors).
	Flavors    []model.NotebookFlavor
	Images     []model.Image
	PoolLabels map[string][]string
	// Update is the call the submission runs.
	Update UpdateFunc
	// AddTags and RemoveTags, when both are set, give the form a tags
	// field: PUT /notebooks has no tags, so changed tags are these calls,
	// after the update.
	AddTags, RemoveTags TagsFunc
}

// Edit is the Gen 2 update form: prefilled from the notebook, it sends only
// the members the user changed.
type Edit struct {
	ctx     *uictx.Context
	nb      model.Notebook
	set     *forms.Set
	flavors []model.NotebookFlavor
	images  []model.Image
	flavor  string
	imageID string
	aff     *affinity.Editor
	// Lifecycle runs edit → review → submit and gives the overlay its
	// Help, Reviewing and EscAction.
	forms.Lifecycle
	picker  *flavorpicker.Picker
	imgList *imageList
	banner  string
	// stopLock is why stop-only fields are locked ("" when stopped).
	stopLock            string
	addTags, removeTags TagsFunc
	// applied is the notebook as an update left it whose tag calls then
	// failed: the form sends only the tags from then on.
	applied *model.Instance
	srv     forms.ServerErrors
}

// sshOf is the notebook's SSH key pairs and allowed IPs, as stored.
func sshOf(nb model.Notebook) (keyPairs, ips []string) {
	for _, ep := range nb.Endpoints {
		if model.SameEnum(ep.Service, "SSH") {
			keyPairs, ips = ep.KeyPairNames, ep.AllowedAccessIPs
		}
	}
	return keyPairs, ips
}

// stoppedEnough reports whether the API accepts stop-only changes: the
// update reference (seed 002) says the instance must be stopped or have
// failed to start.
func stoppedEnough(status string) bool {
	switch model.NormEnum(status) {
	case "STOPPED", "START_FAILED", "CREATE_FAILED", "ERROR":
		return true
	}
	return false
}

// NewEdit returns an update form for nb.
func NewEdit(ctx *uictx.Context, nb model.Notebook, opts UpdateOptions) *Edit {
	e := &Edit{ctx: ctx, nb: nb, flavors: opts.Flavors, images: opts.Images, flavor: nb.Flavor, imageID: nb.Image.ID,
		addTags: opts.AddTags, removeTags: opts.RemoveTags}
	name := forms.NewText(ctx, forms.KeyName, "Name", nb.Name)
	name.Hint = "1–128 letters, digits, - and _"
	desc := forms.NewText(ctx, forms.KeyDescription, "Description", nb.Description)
	desc.Hint = "≤512 characters, none of & < > \" ' /"
	flavor := &forms.Field{Key: forms.KeyFlavor, Label: "Flavor", Kind: forms.Action, Value: nb.Flavor, Hint: "flavors this notebook can switch to"}
	image := &forms.Field{Key: keyImage, Label: "Image", Kind: forms.Action, Value: imageLabel(nb.Image)}
	size := forms.NewText(ctx, keyNewSize, "EVS size (GB)", strconv.Itoa(nb.Volume.Capacity.Int()))
	size.Hint = fmt.Sprintf("grow only: %d–4,096 GB", nb.Volume.Capacity.Int())
	kp, ips := sshOf(nb)
	keys := forms.NewText(ctx, keyEPKeys, "SSH key pairs", strings.Join(kp, ", "))
	keys.Hint = "ECS key pair names, comma-separated"
	ipf := forms.NewText(ctx, keyEPIPs, "SSH allowed IPs", strings.Join(ips, ", "))
	ipf.Hint = "up to 5 IP addresses, comma-separated"
	aff := &forms.Field{Key: keyAffinity, Label: "Affinity", Kind: forms.Action, Value: "leave unchanged"}
	sizeKind, cpu, mem, gpu := customSpecFields(ctx)
	if cs := nb.CustomSpec; cs != nil {
		sizeKind.Choice = 1
		cpu.Input.SetValue(strconv.FormatFloat(cs.CPU, 'f', -1, 64))
		mem.Input.SetValue(strconv.FormatFloat(cs.Memory, 'f', -1, 64))
		if cs.GPU != nil {
			gpu.Input.SetValue(strconv.FormatFloat(*cs.GPU, 'f', -1, 64))
		}
	}
	// The start hook may change while running too (the simulator, after
	// Terraform's practice for name, description and size; seed 002 says
	// nothing about hooks and status), so it is not stop-locked.
	hook, hookStage, hookText := hookFields(ctx, true, nb.Hooks)
	// Tags are metadata: changed in any status (the simulator's choice;
	// the API names no status for them), so not stop-locked.
	tags := tagsField(ctx, nb.Tags)
	tags.Hidden = opts.AddTags == nil || opts.RemoveTags == nil
	e.set = forms.NewSet(ctx, name, desc, flavor, image, size, keys, ipf, aff, sizeKind, cpu, mem, gpu, hook, hookStage, hookText, tags)
	// Only what the user changes from here on is sent.
	e.set.Keep()
	var cur model.Affinity
	if nb.Affinity != nil {
		cur = *nb.Affinity
	}
	e.aff = affinity.New(ctx, affinity.Options{Labels: opts.PoolLabels, Current: cur, Update: true})

	if !stoppedEnough(nb.Status) {
		e.stopLock = fmt.Sprintf("only while stopped: the notebook is %s", text.Sanitize(nb.Status))
		for _, f := range []*forms.Field{flavor, image, keys, ipf, aff, sizeKind, cpu, mem, gpu} {
			f.Locked = e.stopLock
		}
	}
	if !model.SameEnum(nb.Volume.Category, "EVS") {
		size.Locked = "only EVS volumes can grow; this one is " + text.Sanitize(nb.Volume.Category)
	}
	if nb.Pool.ID == "" {
		// Affinity and custom sizes exist only on dedicated pools.
		aff.Hidden = true
		sizeKind.Hidden = true
	}
	e.Lifecycle = forms.Lifecycle{
		Set:     e.set,
		Discard: "Discard your changes?",
		// Edits that were undone, or change nothing in the body, leave
		// nothing to discard.
		Unchanged: func() bool {
			req, ok := e.build()
			return ok && !e.changed(req)
		},
		Review: e.toReview,
		Submit: func() (overlay.Submit, bool) {
			req, ok := e.build()
			if !ok || !e.changed(req) {
				return overlay.Submit{}, false
			}
			return e.submit(req, opts.Update), true
		},
		Rejected: e.setServerError,
		Changed:  func() { e.validate() },
		Activate: e.activate,
	}
	e.validate()
	return e
}

// submit is the update (when req changes anything), then the tag calls;
// they run in that order and stop at the first failure (see tags.go).
func (e *Edit) submit(req model.UpdateNotebookRequest, update UpdateFunc) overlay.Submit {
	nb, flavors := e.nb, e.flavors
	remove, add, _ := e.tagOps()
	put := e.putPending(req)
	what := "updating " + nameOr(nb.Name, nb.ID)
	body := UpdateMsg{ID: nb.ID, Req: req, RemoveTags: remove, AddTags: add}
	if len(remove)+len(add) == 0 {
		var do func(context.Context) (model.Notebook, error)
		if update != nil {
			do = func(ctx context.Context) (model.Notebook, error) { return update(ctx, nb.ID, req) }
		}
		return submitNotebook(what, body, false, flavors, do)
	}
	// The instance the change shows: the update's answer, or (tags only)
	// the notebook as the form knew it, or as an earlier partial update
	// left it.
	var base model.Instance
	switch {
	case e.applied != nil:
		base = *e.applied
	default:
		base = model.FromNotebook(nb, lookup(flavors))
	}
	rm, ad := e.removeTags, e.addTags
	return overlay.Submit{What: what, Mutates: true, Body: body, Run: func(ctx context.Context) (any, error) {
		if rm == nil || ad == nil || (put && update == nil) {
			return nil, errors.ErrUnsupported
		}
		var steps []forms.Step
		if put {
			steps = append(steps, forms.Step{What: "updating " + changedMembers(req), Run: func(ctx context.Context) error {
				answer, err := update(ctx, nb.ID, req)
				if err == nil {
					base = model.FromNotebook(answer, lookup(flavors))
				}
				return err
			}})
		}
		tagSteps := tagSteps(func() string { return nb.ID }, remove, add, rm, ad)
		steps = append(steps, tagSteps...)
		// What the first n steps leave: the tags are the stored ones
		// (PUT does not touch them) with each applied tag call's change.
		after := func(n int) overlay.Change {
			in := base
			in.Tags = slices.Clone(nb.Tags)
			tagsDone := n
			if put {
				tagsDone--
			}
			for i := range max(tagsDone, 0) {
				switch {
				case len(remove) > 0 && i == 0:
					in.Tags = withoutTags(in.Tags, remove)
				default:
					in.Tags = model.MergeTags(in.Tags, add)
				}
			}
			return overlay.Change{Instance: in}
		}
		if err := forms.RunSteps(ctx, steps, after); err != nil {
			return nil, err
		}
		return after(len(steps)), nil
	}}
}

// changedMembers names the members an update sends ("name, description").
func changedMembers(req model.UpdateNotebookRequest) string {
	b, _ := json.Marshal(req)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, ", ")
}

// tagOps are the tag calls the tags field asks for: nothing when it is
// hidden, locked or untouched (the stored tags are never sent back).
func (e *Edit) tagOps() (remove, add []model.Tag, err error) {
	f := e.set.Get(keyTags)
	if f.Hidden || f.Locked != "" || !f.Changed() {
		return nil, nil, nil
	}
	want, err := parseTags(f.Text())
	if err != nil {
		return nil, nil, err
	}
	remove, add = diffTags(e.nb.Tags, want)
	return remove, add, nil
}

// putPending reports whether req changes anything (PUT is then sent).
func (e *Edit) putPending(req model.UpdateNotebookRequest) bool {
	b, _ := json.Marshal(req)
	return string(b) != "{}"
}

// build returns the update with only the changed members, setting field
// errors (then the server's, kept until their field changes).
func (e *Edit) build() (model.UpdateNotebookRequest, bool) {
	req, ok := e.check()
	e.srv.Apply()
	return req, ok
}

func (e *Edit) check() (model.UpdateNotebookRequest, bool) {
	g, set := e.set.Get, e.set.SetError
	e.set.ClearErrors()
	var req model.UpdateNotebookRequest
	_, _, tagErr := e.tagOps()
	set(keyTags, tagErr)
	if e.applied != nil {
		// The update was applied; only the tags are left to send.
		return req, tagErr == nil
	}
	custom := e.custom()
	for _, k := range []string{keyCPU, keyMemory, keyGPU} {
		g(k).Hidden = !custom
	}
	if e.stopLock == "" {
		g(forms.KeyFlavor).Locked = ""
		if custom {
			g(forms.KeyFlavor).Locked = "not sent: the size is custom (Size, below)"
		}
	}
	// A field is sent only when the user changed what it shows: an
	// untouched field is never sent (nor checked), whatever the input made
	// of the stored value (a trimmed name, a description whose newline
	// became a space, a list re-joined with ", ").
	if f := g(forms.KeyName); f.Changed() {
		if v := strings.TrimSpace(f.Text()); v != e.nb.Name {
			req.Name = &v
			set(forms.KeyName, model.ValidateGen2Name(v))
		}
	}
	if f := g(forms.KeyDescription); f.Changed() && f.Text() != e.nb.Description {
		v := f.Text()
		req.Description = &v
		set(forms.KeyDescription, model.ValidateDescription(v))
	}
	sizeTouched := false
	for _, k := range []string{keySizeKind, keyCPU, keyMemory, keyGPU} {
		sizeTouched = sizeTouched || g(k).Changed()
	}
	switch {
	case custom && sizeTouched:
		// Exclusive with a flavor (seed 002); sent only when it changes.
		cs := parseCustomSpec(g, set)
		if !sameSize(e.nb.CustomSpec, cs) {
			req.CustomSpec = cs
		}
	case custom:
		// The stored custom size, untouched: nothing to send.
	case e.flavor != e.nb.Flavor:
		v := e.flavor
		req.Flavor = &v
	case e.nb.CustomSpec != nil && !g(keySizeKind).Hidden && g(keySizeKind).Locked == "":
		set(forms.KeyFlavor, errors.New("flavor: choose a flavor to replace the custom size (space to choose)"))
	}
	if e.imageID != e.nb.Image.ID {
		v := e.imageID
		req.ImageID = &v
	}
	if f := g(keyNewSize); f.Locked == "" && f.Changed() {
		cur := e.nb.Volume.Capacity.Int()
		if n, err := strconv.Atoi(strings.TrimSpace(f.Text())); err != nil {
			set(keyNewSize, &model.FieldError{Field: "storage_new_size", Rule: "must be a whole number of GB", Allowed: fmt.Sprintf("%d–4,096", cur)})
		} else if n != cur {
			req.StorageNewSize = &n
			set(keyNewSize, model.ValidateEVSGrow(cur, n))
		}
	}
	oldKP, oldIPs := sshOf(e.nb)
	if kf, ipf := g(keyEPKeys), g(keyEPIPs); kf.Changed() || ipf.Changed() {
		// The endpoint is sent whole: the member the user did not touch
		// goes as stored, not as the form re-joined it.
		kp, ips := oldKP, oldIPs
		if kf.Changed() {
			kp = splitList(kf.Text())
		}
		if ipf.Changed() {
			ips = splitList(ipf.Text())
		}
		if !slices.Equal(kp, oldKP) || !slices.Equal(ips, oldIPs) {
			for _, k := range kp {
				set(keyEPKeys, model.ValidateKeyPairName(k))
			}
			set(keyEPIPs, model.ValidateAllowedIPs(ips))
			req.Endpoints = []model.EndpointsReq{{Service: "SSH", KeyPairNames: kp, AllowedAccessIPs: ips}}
		}
	}
	refreshHook(g)
	switch g(keyHook).Text() {
	case hookUnchanged:
	case hookNone:
		if pre, post := hooksOf(e.nb.Hooks); pre != nil || post != nil {
			req.Hooks = clearedHooks()
		}
	default:
		// The stored hook chosen again as it is is no change.
		if stage, cfg := hookConfig(g, set); cfg != nil {
			if h := hooksWith(e.nb.Hooks, stage, cfg); !sameHooks(h, e.nb.Hooks) {
				req.Hooks = h
			}
		}
	}
	if !g(keyAffinity).Hidden {
		u, err := e.aff.AffinityUpdate()
		set(keyAffinity, err)
		req.Affinity = u
		g(keyAffinity).Value = e.aff.Intent().String()
	}
	if !e.set.Valid() {
		return req, false
	}
	if err := req.Validate(); err != nil {
		e.banner = err.Error()
		return req, false
	}
	return req, true
}

func (e *Edit) validate() bool {
	e.banner = ""
	_, ok := e.build()
	return ok
}

// Request returns the update as filled and whether it is valid.
func (e *Edit) Request() (model.UpdateNotebookRequest, bool) { return e.build() }

// Field returns a field by key.
func (e *Edit) Field(key string) *forms.Field { return e.set.Get(key) }

// Dirty reports whether the user changed anything.
func (e *Edit) Dirty() bool { return e.Lifecycle.Dirty() }

// lockedChanged is the first changed field the API accepts only while
// stopped: the one a ModelArts.6347 refusal is about.
func (e *Edit) lockedChanged(req model.UpdateNotebookRequest) string {
	switch {
	case req.Flavor != nil:
		return forms.KeyFlavor
	case req.CustomSpec != nil:
		return keySizeKind
	case req.ImageID != nil:
		return keyImage
	case req.Endpoints != nil:
		return keyEPKeys
	case req.Affinity != nil:
		return keyAffinity
	}
	return ""
}

// setServerError shows an API error on its field (the lifecycle is back
// in editing).
//
// The form's keys are held while its call runs, so what it would send now
// is what it sent: whether that included the update tells a partial
// failure after the update from one among the tag calls, and a first call
// that was a tag call from a refused update.
func (e *Edit) setServerError(err error) {
	e.set.Reveal()
	req, _ := e.build()
	put := e.putPending(req)
	var p *forms.PartialError
	if errors.As(err, &p) {
		// Some calls were applied: the notebook (and the tags) as they
		// left it are the new starting point, and only what is left is
		// sent again.
		in := p.Applied.Instance
		e.nb.Tags = in.Tags
		if put || e.applied != nil {
			e.applied = &in
			e.Lifecycle.Set = onlyTags(e.ctx, e.set)
		}
		e.banner = reportPartial(e.set, &e.srv, p)
		return
	}
	if remove, add, _ := e.tagOps(); !put && len(remove)+len(add) > 0 {
		// The first call was a tag call: the error is the tags'.
		e.srv.Keep(e.set.Get(keyTags), tagsError(err))
		e.set.FocusKey(keyTags)
		return
	}
	size := map[string]string{forms.KeyStorage: keyNewSize, forms.KeyStorageSize: keyNewSize}
	if b := e.srv.Reject(e.set, err, e.lockedChanged(req), size); b != "" {
		e.banner = b
	}
}

// custom reports whether the size is a custom_spec (dedicated pools only).
func (e *Edit) custom() bool {
	f := e.set.Get(keySizeKind)
	return !f.Hidden && f.Text() == sizeCustom
}

// sameSize compares the members a custom_spec update sends.
func sameSize(a, b *model.CustomSpec) bool {
	if a == nil || b == nil {
		return a == b
	}
	gpu := func(c *model.CustomSpec) float64 {
		if c.GPU == nil {
			return 0
		}
		return *c.GPU
	}
	return a.CPU == b.CPU && a.Memory == b.Memory && gpu(a) == gpu(b)
}

// changed reports whether the submission would send anything: the update
// or a tag call.
func (e *Edit) changed(req model.UpdateNotebookRequest) bool {
	remove, add, _ := e.tagOps()
	return e.putPending(req) || len(remove)+len(add) > 0
}

// Update handles one message: the pickers' keys in their stages, the
// rest through the lifecycle.
func (e *Edit) Update(msg tea.Msg) (overlay.Overlay, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && e.Lifecycle.Stage >= forms.StageOwn {
		return e, e.pickerKey(k)
	}
	closed, cmd := e.Lifecycle.Update(msg)
	return forms.Next(e, closed, cmd)
}

func (e *Edit) pickerKey(k tea.KeyPressMsg) tea.Cmd {
	km := &e.ctx.Keys
	switch e.Lifecycle.Stage {
	case stageFlavor:
		r, cmd := e.picker.Update(k)
		if r.Done {
			e.Lifecycle.Stage = forms.StageEdit
			if r.Picked != nil {
				e.flavor = r.Picked.ID
				e.set.Get(forms.KeyFlavor).Value = r.Picked.ID
				e.set.Get(forms.KeyFlavor).Edited = true
				e.Lifecycle.MarkDirty()
				e.validate()
			}
		}
		return cmd
	case stageImage:
		done, picked := e.imgList.update(k)
		if done {
			e.Lifecycle.Stage = forms.StageEdit
			if picked != nil {
				e.imageID = picked.ID
				e.set.Get(keyImage).Value = imageLabel(*picked)
				e.set.Get(keyImage).Edited = true
				e.Lifecycle.MarkDirty()
				e.validate()
			}
		}
		return nil
	case stageAffinity:
		if !e.aff.Editing() && key.Matches(k, km.Back, km.Review) {
			e.Lifecycle.Stage = forms.StageEdit
			if e.aff.Dirty() {
				e.Lifecycle.MarkDirty()
			}
			e.set.Get(keyAffinity).Edited = e.set.Get(keyAffinity).Edited || e.aff.Dirty()
			e.validate()
			return nil
		}
		_, cmd := e.aff.HandleKey(k)
		return cmd
	}
	return nil
}

// activate opens the picker of the focused Action field.
func (e *Edit) activate() tea.Cmd {
	switch e.set.Current().Key {
	case forms.KeyFlavor:
		e.picker = flavorpicker.New(e.ctx, e.flavors, flavorpicker.Options{Selected: e.flavor})
		e.Lifecycle.Stage = stageFlavor
	case keyImage:
		cur, _ := lookup(e.flavors)(e.flavor)
		imgs := e.images
		switch {
		case e.custom():
			imgs = ImagesFor(e.images, customFlavor(e.set.Get))
		case cur.ID != "":
			imgs = ImagesFor(e.images, cur)
		}
		e.imgList = newImageList(e.ctx, imgs, e.imageID)
		e.Lifecycle.Stage = stageImage
		return e.imgList.filter.Focus()
	case keyAffinity:
		e.Lifecycle.Stage = stageAffinity
	}
	return nil
}

// toReview reports whether the review can open, else says why.
func (e *Edit) toReview() bool {
	req, ok := e.build()
	switch {
	case !ok:
		e.set.FocusInvalid()
		if e.banner == "" {
			e.banner = "fix the marked fields before review"
		}
	case !e.changed(req):
		e.banner = "nothing changed: there is nothing to send"
	default:
		return true
	}
	return false
}

// Body is the exact JSON the form would send.
//
// With tag calls it is every call in the order they are sent: the update
// (when it changes anything), the tags removed, the tags added.
func (e *Edit) Body() string {
	req, _ := e.build()
	b, err := text.MarshalIndent(req)
	if err != nil {
		return err.Error()
	}
	remove, add, _ := e.tagOps()
	if len(remove)+len(add) == 0 {
		return string(b)
	}
	var calls []string
	if e.putPending(req) {
		calls = append(calls, "PUT …/notebooks/"+text.Sanitize(e.nb.ID)+"\n"+string(b))
	}
	if len(remove) > 0 {
		calls = append(calls, tagsCall("DELETE", e.nb.ID, "/tags/delete", remove))
	}
	if len(add) > 0 {
		calls = append(calls, tagsCall("POST", e.nb.ID, "/tags/create", add))
	}
	return strings.Join(calls, "\n")
}

// summary says how several calls are sent ("" for one).
func (e *Edit) summary() string {
	req, _ := e.build()
	remove, add, _ := e.tagOps()
	n := len(remove) + len(add)
	if n == 0 {
		return ""
	}
	if e.putPending(req) {
		n++
	}
	if n == 1 {
		return ""
	}
	return "Sent in order; a failure stops the calls after it and says what was applied."
}

// View renders the form.
func (e *Edit) View(width, height int) string {
	if v, ok := pickerView(e.ctx, e.Lifecycle.Stage, e.picker, e.imgList, e.aff, width, height); ok {
		return e.Lifecycle.Fit(v, width, height)
	}
	page := forms.Page{
		Title:   text.Truncate("Edit notebook "+text.Sanitize(e.nb.Name), width),
		Verb:    "update",
		Body:    e.Body,
		Banner:  e.banner,
		Request: func() (any, bool) { return e.build() },
	}
	if e.Lifecycle.Reviewing() && e.summary() != "" {
		page.Summary = e.summary
	}
	return e.Lifecycle.Fit(e.Lifecycle.View(width, page), width, height)
}

// nameOr is the sanitised name, else the id.
func nameOr(name, id string) string { return forms.NameOr(name, id) }
