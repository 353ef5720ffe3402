// Package saveimage is the form that saves a running Gen 2 notebook as a
// custom image (reference §3.12, SDK CreateImage): name, SWR organisation
// (namespace), tag and description, checked as typed with model's rules
// and against the images already known (the service refuses a second
// image of one namespace, name and tag, ModelArts.6737). No I/O: it
// submits an overlay.Submit whose Body is a SaveMsg and whose Run calls
// the function the opener gave.
package saveimage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/forms"
	"matui/ui/keys"
	"matui/ui/overlay"
	"matui/ui/text"
	"matui/ui/uictx"
)

// SaveFunc saves a notebook as an image (client SaveImage).
type SaveFunc func(ctx context.Context, notebookID string, req model.CreateImageRequest) (model.Image, error)

// SaveMsg is the submission's body: save notebook NotebookID as Req.
type SaveMsg struct {
	NotebookID string
	Req        model.CreateImageRequest
}

// Options are what the form offers.
type Options struct {
	// Images are the images known (ListImages, the DEDICATED ones above
	// all): their SWR organisations are suggested, and a name and tag one
	// of them has already is refused as typed.
	Images []model.Image
	// Save is the call the submission runs.
	Save SaveFunc
}

// Field keys: the request's members.
const (
	keyName = forms.KeyName
	keyNS   = "namespace"
	keyTag  = forms.KeyImageTag
	keyDesc = forms.KeyDescription
)

// defaultTag is SWR's default tag, which the service uses when none is
// sent; the form sends it explicitly, so the review shows what is saved.
const defaultTag = "latest"

// Snapshotting is the notebook's status while it is being saved.
const Snapshotting = "SNAPSHOTTING"

// Form is the save-as-image form.
type Form struct {
	ctx    *uictx.Context
	in     model.Instance
	images []model.Image
	set    *forms.Set
	// Lifecycle runs edit → review → submit and gives the overlay its
	// Help, Reviewing and EscAction.
	forms.Lifecycle
	banner string
	srv    forms.ServerErrors
	save   SaveFunc
}

// New returns the form for the notebook in. The name starts as the
// notebook's, lower-cased, when that is a valid image name; the namespace
// as the only SWR organisation the known images use, if there is one.
func New(ctx *uictx.Context, in model.Instance, opts Options) *Form {
	f := &Form{ctx: ctx, in: in, images: opts.Images, save: opts.Save}
	suggested := strings.ToLower(in.Name)
	if model.ValidateImageName(suggested) != nil {
		suggested = ""
	}
	nm := forms.NewText(ctx, keyName, "Image name", suggested)
	nm.Hint = "1–128 lowercase letters, digits, - _ and ., starting and ending with a letter or digit"
	spaces := namespaces(opts.Images)
	ns := forms.NewText(ctx, keyNS, "SWR namespace", "")
	if len(spaces) == 1 {
		ns.Input.SetValue(spaces[0])
	}
	ns.Hint = "the SWR organisation (namespace) the image is pushed to"
	ns.Suggestions = spaces
	tag := forms.NewText(ctx, keyTag, "Tag", defaultTag)
	tag.Hint = "up to 64 letters, digits, - _ and ."
	desc := forms.NewText(ctx, keyDesc, "Description", "")
	desc.Hint = "optional, up to 512 characters"
	f.set = forms.NewSet(ctx, nm, ns, tag, desc)
	f.Lifecycle = forms.Lifecycle{
		Set:     f.set,
		Discard: "Discard this image?",
		Review:  f.toReview,
		Submit: func() (overlay.Submit, bool) {
			req, ok := f.Request()
			if !ok {
				return overlay.Submit{}, false
			}
			return f.submit(req), true
		},
		Rejected: f.setServerError,
		Changed:  func() { f.Request() },
	}
	if _, ok := f.Request(); !ok && tag.Err != "" {
		// The defaults name an image that exists: say so at once, the
		// user did not type it.
		tag.Edited = true
	}
	return f
}

// namespaces are the SWR organisations of the user's own (DEDICATED)
// images, sorted, each once: built-in images live in the service's.
func namespaces(images []model.Image) []string {
	var out []string
	for _, im := range images {
		if !model.SameEnum(im.Type, model.ImageTypeDedicated) {
			continue
		}
		if ns := text.Sanitize(im.Namespace); ns != "" && !slices.Contains(out, ns) {
			out = append(out, ns)
		}
	}
	slices.Sort(out)
	return out
}

// submit runs the save. Its Change is the notebook SNAPSHOTTING, the
// service's state while it saves (it returns to RUNNING by itself).
func (f *Form) submit(req model.CreateImageRequest) overlay.Submit {
	in, save := f.in, f.save
	ref := text.Sanitize(req.Namespace + "/" + req.Name + ":" + cmp.Or(req.Tag, defaultTag))
	return overlay.Submit{What: "saving " + name(in) + " as " + ref, Mutates: true,
		Body: SaveMsg{NotebookID: in.ID, Req: req},
		Run: func(ctx context.Context) (any, error) {
			if save == nil {
				return nil, errors.ErrUnsupported
			}
			im, err := save(ctx, in.ID, req)
			if err != nil {
				return nil, err
			}
			in.Status = Snapshotting
			in.Class = model.ClassOf(in.Generation, in.Status)
			note := name(in) + ": saving image " + ref
			if im.ID != "" {
				note += " (" + text.Sanitize(im.ID) + ")"
			}
			return overlay.Change{Instance: in, Note: note}, nil
		}}
}

func name(in model.Instance) string { return forms.NameOr(in.Name, in.ID) }

// Request returns the body and whether it is valid, setting each field's
// error (model.CreateImageRequest.Validate, every failing field; then an
// image that already has this namespace, name and tag).
func (f *Form) Request() (model.CreateImageRequest, bool) {
	req, ok := f.check()
	f.srv.Apply()
	return req, ok
}

func (f *Form) check() (model.CreateImageRequest, bool) {
	g := f.set.Get
	f.set.ClearErrors()
	req := model.CreateImageRequest{
		Name:        strings.TrimSpace(g(keyName).Text()),
		Namespace:   strings.TrimSpace(g(keyNS).Text()),
		Tag:         strings.TrimSpace(g(keyTag).Text()),
		Description: g(keyDesc).Text(),
	}
	f.set.SetFieldErrors(req.Validate())
	if g(keyTag).Err == "" {
		tag := cmp.Or(req.Tag, defaultTag)
		for _, im := range f.images {
			if im.Namespace == req.Namespace && im.Name == req.Name && cmp.Or(im.Tag, defaultTag) == tag &&
				!model.SameEnum(im.Status, model.ImageCreateFailed) {
				f.set.SetError(keyTag, &model.FieldError{Field: "tag",
					Rule:    fmt.Sprintf("%s/%s:%s exists already (image %s)", text.Sanitize(req.Namespace), text.Sanitize(req.Name), text.Sanitize(tag), text.Sanitize(im.ID)),
					Allowed: "a tag this image name does not have yet"})
				break
			}
		}
	}
	return req, f.set.Valid()
}

func (f *Form) toReview() bool {
	f.banner = ""
	if _, ok := f.Request(); ok {
		return true
	}
	f.set.FocusInvalid()
	return false
}

// setServerError puts an API error on its field (6334 on the name or the
// description, 6737 on the tag, 6335/6336 on the property they name) or
// in the banner (the notebook is not running, 6327), with what was typed
// intact.
func (f *Form) setServerError(err error) { f.banner = f.srv.Reject(f.set, err, "", nil) }

// Update handles one message.
func (f *Form) Update(msg tea.Msg) (overlay.Overlay, tea.Cmd) {
	closed, cmd := f.Lifecycle.Update(msg)
	return forms.Next(f, closed, cmd)
}

// Field returns a field by key (for tests).
func (f *Form) Field(key string) *forms.Field { return f.set.Get(key) }

// View renders the form.
func (f *Form) View(width, height int) string {
	km := &f.ctx.Keys
	return f.Lifecycle.Fit(f.Lifecycle.View(width, forms.Page{
		Title: text.Truncate("Save "+name(f.in)+" as an image", width),
		Verb:  "save",
		Summary: func() string {
			return "POST …/notebooks/" + text.Sanitize(f.in.ID) + "/create-image · SNAPSHOTTING, then RUNNING"
		},
		Request: func() (any, bool) { return f.Request() },
		Banner:  f.banner,
		Keys:    []keys.HintItem{keys.H("field", km.PrevField, km.NextField), keys.H("next", km.Confirm)},
	}), width, height)
}
