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
	review bool
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
func (f *Form) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	if f.review {
		switch k.String() {
		case "enter":
			req, ok := f.Request()
			f.review = false
			if ok {
				return func() tea.Msg { return OpenMsg{Req: req} }
			}
		case "esc":
			f.review = false
		}
		return nil
	}
	if k.String() == "esc" {
		return func() tea.Msg { return CancelMsg{} }
	}
	ev, cmd := f.set.HandleKey(k)
	switch ev {
	case forms.EventChanged:
		f.Request()
	case forms.EventPastEnd, forms.EventNone:
		if ev == forms.EventPastEnd || k.String() == "ctrl+s" {
			f.set.Reveal()
			if _, ok := f.Request(); ok {
				f.review = true
			}
		}
	}
	return cmd
}

// Reviewing reports whether the review step is shown.
func (f *Form) Reviewing() bool { return f.review }

// EscAction says what esc does now: back to the form from the review
// step, otherwise cancel.
func (f *Form) EscAction() string {
	if f.review {
		return forms.EscBackToForm
	}
	return forms.EscCancel
}

// SetServerError shows an API error as a banner (CodeLab errors are not
// about one field) with the form intact.
func (f *Form) SetServerError(err error) {
	f.review = false
	_, msg, _ := forms.ServerFieldError(err, "")
	if msg == "" {
		msg = text.Sanitize(err.Error())
	}
	f.banner = msg
}

// View renders the form.
func (f *Form) View(width, _ int) string {
	st := &f.ctx.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Open CodeLab") + "\n")
	if f.review {
		req, _ := f.Request()
		js, _ := json.MarshalIndent(req, "", "  ")
		b.WriteString(st.Section.Render("Review: this request body will be sent") + "\n" + string(js) + "\n")
		b.WriteString(st.Muted.Render("enter open · esc back to the form"))
		return b.String()
	}
	b.WriteString(f.set.View(width) + "\n")
	if f.banner != "" {
		b.WriteString(st.Danger.Render(text.Truncate(f.banner, width)) + "\n")
	}
	submit := "ctrl+s review · "
	if r := f.set.DisabledReason("review"); r != "" {
		b.WriteString(st.Warning.Render(text.Truncate(r, width)) + "\n")
		submit = ""
	}
	b.WriteString(st.Muted.Render(text.Truncate("↑/↓ field · ←/→ image · enter next · "+submit+"esc cancel", width)))
	return b.String()
}
