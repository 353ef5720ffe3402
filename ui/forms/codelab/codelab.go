// Package codelab is the form that opens the free CodeLab instance (§3.15,
// seed 003): an optional image and an optional .ipynb URL, which the API
// wants base64-encoded in share_url. No I/O: it emits OpenMsg.
package codelab

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"

	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/forms"
	"matui/ui/text"
	"matui/ui/uictx"
)

// OpenMsg asks the root model to open CodeLab with Req.
type OpenMsg struct{ Req model.OpenCodeLabRequest }

// CancelMsg reports the form was closed.
type CancelMsg struct{}

const (
	keyImage = "image_id"
	keyURL   = "share_url"
)

// Form is the CodeLab form.
type Form struct {
	ctx    *uictx.Context
	set    *forms.Set
	images []model.Image
	lc     forms.Lifecycle
	banner string
}

// New returns the form; images are offered after "service default".
func New(ctx *uictx.Context, images []model.Image) *Form {
	f := &Form{ctx: ctx, images: images}
	opts := []string{"service default"}
	for _, im := range images {
		opts = append(opts, text.Sanitize(im.Ref()))
	}
	img := &forms.Field{Key: keyImage, Label: "Image", Kind: forms.Choice, Options: opts}
	u := forms.NewText(ctx, keyURL, "Notebook URL", "")
	u.Hint = "optional http(s) URL of an .ipynb to open; sent base64-encoded"
	f.set = forms.NewSet(ctx, img, u)
	f.lc = forms.Lifecycle{
		Set:    f.set,
		Cancel: CancelMsg{},
		Review: func() bool { _, ok := f.Request(); return ok },
		Submit: func() tea.Msg {
			if req, ok := f.Request(); ok {
				return OpenMsg{Req: req}
			}
			return nil
		},
		Changed:     func() { f.Request() },
		LeaveReview: true,
		NoBackspace: true,
	}
	return f
}

// Request returns the body and whether it is valid.
func (f *Form) Request() (model.OpenCodeLabRequest, bool) {
	var req model.OpenCodeLabRequest
	for _, fl := range f.set.Fields {
		fl.Err = ""
	}
	if c := f.set.Get(keyImage).Choice; c > 0 && c <= len(f.images) {
		req.ImageID = f.images[c-1].ID
	}
	raw := strings.TrimSpace(f.set.Get(keyURL).Text())
	if raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			f.set.Get(keyURL).Err = (&model.FieldError{Field: "share_url", Rule: "is not an http(s) URL", Allowed: "https://host/path/notebook.ipynb"}).Error()
			return req, false
		}
		req.ShareURL = base64.StdEncoding.EncodeToString([]byte(raw))
	}
	return req, true
}

// Update handles one message.
func (f *Form) Update(msg tea.Msg) tea.Cmd { return f.lc.Update(msg) }

// Reviewing reports whether the review step is shown.
func (f *Form) Reviewing() bool { return f.lc.Reviewing() }

// EscAction says what esc does now: back to the form from the review
// step, otherwise cancel.
func (f *Form) EscAction() string { return f.lc.EscAction() }

// SetServerError shows an API error as a banner (CodeLab errors are not
// about one field) with the form intact.
func (f *Form) SetServerError(err error) {
	f.lc.Stage = forms.StageEdit
	_, msg, _ := forms.ServerFieldError(err, "")
	if msg == "" {
		msg = text.Sanitize(err.Error())
	}
	f.banner = msg
}

// View renders the form.
func (f *Form) View(width, _ int) string {
	return f.lc.View(width, forms.Page{
		Title: "Open CodeLab",
		Verb:  "open",
		Body: func() string {
			req, _ := f.Request()
			js, _ := json.MarshalIndent(req, "", "  ")
			return string(js)
		},
		Banner: f.banner,
		Keys:   "↑/↓ field · ←/→ image · enter next · ",
	})
}
