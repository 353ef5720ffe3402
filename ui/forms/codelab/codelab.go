// Package codelab is the form that opens the free CodeLab instance (§3.15,
// seed 003): an optional image and an optional .ipynb URL, which the API
// wants base64-encoded in share_url. No I/O: it submits an overlay.Submit
// whose Body is an OpenMsg.
package codelab

import (
	"context"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"

	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/forms"
	"matui/ui/keys"
	"matui/ui/overlay"
	"matui/ui/text"
	"matui/ui/uictx"
)

// OpenMsg is the submission's body: open CodeLab with Req.
type OpenMsg struct{ Req model.OpenCodeLabRequest }

// OpenFunc opens CodeLab (the dashboard's backend call).
type OpenFunc func(context.Context, model.OpenCodeLabRequest) (model.Notebook, error)

const (
	keyImage = "image_id"
	keyURL   = "share_url"
)

// Form is the CodeLab form.
type Form struct {
	ctx    *uictx.Context
	set    *forms.Set
	images []model.Image
	// Lifecycle runs edit → review → submit and gives the overlay its
	// Help, Reviewing and EscAction.
	forms.Lifecycle
	banner string
	open   OpenFunc
}

// New returns the form; images are offered after "service default". open
// is the call the submission runs.
func New(ctx *uictx.Context, images []model.Image, open OpenFunc) *Form {
	f := &Form{ctx: ctx, images: images, open: open}
	opts := []string{"service default"}
	for _, im := range images {
		opts = append(opts, text.Sanitize(im.Ref()))
	}
	img := &forms.Field{Key: keyImage, Label: "Image", Kind: forms.Choice, Options: opts}
	u := forms.NewText(ctx, keyURL, "Notebook URL", "")
	u.Hint = "optional http(s) URL of an .ipynb to open; sent base64-encoded"
	f.set = forms.NewSet(ctx, img, u)
	f.Lifecycle = forms.Lifecycle{
		Set:    f.set,
		Review: func() bool { _, ok := f.Request(); return ok },
		Submit: func() (overlay.Submit, bool) {
			req, ok := f.Request()
			if !ok {
				return overlay.Submit{}, false
			}
			return overlay.Submit{What: "opening CodeLab", Mutates: true, Body: OpenMsg{Req: req},
				Run: func(ctx context.Context) (any, error) {
					if f.open == nil {
						return nil, errors.ErrUnsupported
					}
					nb, err := f.open(ctx, req)
					// The details show its steps as CodeLab comes up.
					return overlay.Change{Instance: model.FromNotebook(nb, nil), Created: true, Show: true}, err
				}}, true
		},
		Rejected:    f.setServerError,
		Changed:     func() { f.Request() },
		LeaveReview: true,
		NoBackspace: true,
	}
	return f
}

// Request returns the body and whether it is valid.
func (f *Form) Request() (model.OpenCodeLabRequest, bool) {
	var req model.OpenCodeLabRequest
	f.set.ClearErrors()
	if c := f.set.Get(keyImage).Choice; c > 0 && c <= len(f.images) {
		req.ImageID = f.images[c-1].ID
	}
	raw := strings.TrimSpace(f.set.Get(keyURL).Text())
	if raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			f.set.SetError(keyURL, &model.FieldError{Field: "share_url", Rule: "is not an http(s) URL", Allowed: "https://host/path/notebook.ipynb"})
			return req, false
		}
		req.ShareURL = base64.StdEncoding.EncodeToString([]byte(raw))
	}
	return req, true
}

// Update handles one message.
func (f *Form) Update(msg tea.Msg) (overlay.Overlay, tea.Cmd) {
	closed, cmd := f.Lifecycle.Update(msg)
	return forms.Next(f, closed, cmd)
}

// setServerError shows an API error as a banner (CodeLab errors are not
// about one field) with the form intact.
func (f *Form) setServerError(err error) {
	_, msg, _ := forms.ServerFieldError(err, "")
	if msg == "" {
		msg = text.Sanitize(err.Error())
	}
	f.banner = msg
}

// View renders the form.
func (f *Form) View(width, height int) string {
	km := &f.ctx.Keys
	return f.Lifecycle.Fit(f.Lifecycle.View(width, forms.Page{
		Title:   "Open CodeLab",
		Verb:    "open",
		Request: func() (any, bool) { return f.Request() },
		Banner:  f.banner,
		Keys: []keys.HintItem{keys.H("field", km.PrevField, km.NextField),
			keys.H("image", km.OptionPrev, km.OptionNext), keys.H("next", km.Confirm)},
	}), width, height)
}
