// Package mount is the form that attaches dynamic storage to a running Gen
// 2 notebook (reference §3.13, SDK AttachDynamicStorage): an OBS bucket
// directory, an OBS parallel file system (OBSFS) or an SFS Turbo share
// (EFS), mounted in a directory below /data/. Every field is checked as
// typed with model's rules, and the mount path also against the
// notebook's own mounts (one directory, one mount: a second one inside or
// around it would hide files). No I/O: it submits an overlay.Submit whose
// Body is an AttachMsg and whose Run calls the function the opener gave.
package mount

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/forms"
	"matui/ui/keys"
	"matui/ui/overlay"
	"matui/ui/text"
	"matui/ui/uictx"
)

// AttachFunc attaches storage to a notebook (client AttachStorage).
type AttachFunc func(ctx context.Context, notebookID string, req model.AttachStorageRequest) (model.DataVolume, error)

// AttachMsg is the submission's body: attach Req to notebook NotebookID.
type AttachMsg struct {
	NotebookID string
	Req        model.AttachStorageRequest
}

// Field keys: the request's members, so that an API error naming one
// ('mount_path', 'uri', …) lands on its field.
const (
	keyCategory = "category"
	keyURI      = "uri"
	keyEfsID    = "efs_id"
	keyPath     = "mount_path"
)

var categories = []string{model.StorageOBS, model.StorageOBSFS, model.StorageEFS}

// Form is the attach-storage form.
type Form struct {
	ctx  *uictx.Context
	in   model.Instance
	held []model.Mount // the mounts that occupy a directory now
	set  *forms.Set
	// Lifecycle runs edit → review → submit and gives the overlay its
	// Help, Reviewing and EscAction.
	forms.Lifecycle
	banner string
	srv    forms.ServerErrors
	attach AttachFunc
	// autoPath: the mount path follows the storage (/data/<its last
	// directory>/) until the user types in it.
	autoPath bool
}

// New returns the form for the notebook in (its Mounts are the mounts the
// new one must not collide with: pass the freshest list there is).
// attach is the call the submission runs.
func New(ctx *uictx.Context, in model.Instance, attach AttachFunc) *Form {
	f := &Form{ctx: ctx, in: in, attach: attach, autoPath: true}
	for _, m := range in.Mounts {
		if model.MountHolds(m.Status) {
			f.held = append(f.held, m)
		}
	}
	cat := &forms.Field{Key: keyCategory, Label: "Storage type", Kind: forms.Choice, Options: categories,
		Hint: "OBS: a bucket directory · OBSFS: a parallel file system · EFS: an SFS Turbo share (dedicated pools)"}
	uri := forms.NewText(ctx, keyURI, "Storage", "")
	efs := forms.NewText(ctx, keyEfsID, "SFS Turbo ID", "")
	efs.Hint = "the UUID of the SFS Turbo file system"
	path := forms.NewText(ctx, keyPath, "Mount path", "")
	path.Hint = "a directory below /data/; it follows the storage until you type here"
	if len(f.held) > 0 {
		var in []string
		for _, m := range f.held {
			in = append(in, text.Sanitize(m.MountPath))
		}
		path.Hint += "; in use: " + strings.Join(in, ", ")
	}
	f.set = forms.NewSet(ctx, cat, uri, efs, path)
	f.Lifecycle = forms.Lifecycle{
		Set:     f.set,
		Discard: "Discard this mount?",
		Review:  f.toReview,
		Submit: func() (overlay.Submit, bool) {
			req, ok := f.Request()
			if !ok {
				return overlay.Submit{}, false
			}
			return f.submit(req), true
		},
		Rejected: f.setServerError,
		Changed:  f.changed,
	}
	f.refresh()
	return f
}

// submit runs the attach; its Change is the notebook with the new mount
// (MOUNTING, as the API answers) so the list and the details show it at
// once.
func (f *Form) submit(req model.AttachStorageRequest) overlay.Submit {
	in, attach := f.in, f.attach
	path := text.Sanitize(req.MountPath)
	return overlay.Submit{What: "mounting " + path + " on " + name(in), Mutates: true,
		Body: AttachMsg{NotebookID: in.ID, Req: req},
		Run: func(ctx context.Context) (any, error) {
			if attach == nil {
				return nil, errors.ErrUnsupported
			}
			vol, err := attach(ctx, in.ID, req)
			if err != nil {
				return nil, err
			}
			// A copy: the list's rows share their mounts.
			in.Mounts = append(slices.Clone(in.Mounts), model.Mount{
				ID: vol.ID, Kind: model.NormEnum(cmpOr(vol.Category, req.Category)), MountPath: cmpOr(vol.MountPath, req.MountPath),
				URI: cmpOr(vol.URI, req.URI), Status: model.NormEnum(cmpOr(vol.Status, model.MountMounting)), Dynamic: true,
			})
			return overlay.Change{Instance: in, Note: name(in) + ": mounting " + path}, nil
		}}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func name(in model.Instance) string { return forms.NameOr(in.Name, in.ID) }

// changed follows a key that changed a field: typing in the mount path
// ends its following the storage.
func (f *Form) changed() {
	if f.set.Current().Key == keyPath {
		f.autoPath = false
	}
	f.refresh()
}

// refresh shows the fields the category needs, fills in the suggested
// mount path and re-validates.
func (f *Form) refresh() {
	g := f.set.Get
	efs := g(keyCategory).Text() == model.StorageEFS
	g(keyEfsID).Hidden = !efs
	if efs {
		g(keyURI).Hint = "the share path of the SFS Turbo file system, host:/path"
	} else {
		g(keyURI).Hint = "an OBS directory: obs://bucket/dir/ (the bucket root is obs://bucket/)"
	}
	if f.autoPath {
		p := g(keyPath)
		p.Input.SetValue(f.suggestPath(g(keyCategory).Text(), strings.TrimSpace(g(keyURI).Text())))
		p.Input.CursorEnd()
		// A suggestion made from what the user typed is theirs to see
		// checked.
		p.Edited = g(keyURI).Edited
	}
	f.Request()
}

// suggestPath is /data/<the storage's last directory>/ (the bucket for a
// bucket root, "efs" for a share root), with -2, -3, … when that is taken;
// "" until there is a storage to name it after.
func (f *Form) suggestPath(category, uri string) string {
	var seg string
	if category == model.StorageEFS {
		_, p, ok := strings.Cut(uri, ":")
		if !ok {
			return ""
		}
		seg = lastSegment(p)
		if seg == "" {
			seg = "efs"
		}
	} else {
		rest, ok := strings.CutPrefix(uri, "obs://")
		if !ok || rest == "" {
			return ""
		}
		seg = lastSegment(rest) // the bucket when there is no directory
	}
	base := "/data/" + seg
	p := base + "/"
	for n := 2; f.overlapping(p) != nil && n < 100; n++ {
		p = base + "-" + strconv.Itoa(n) + "/"
	}
	return p
}

func lastSegment(p string) string {
	segs := strings.FieldsFunc(p, func(r rune) bool { return r == '/' })
	if len(segs) == 0 {
		return ""
	}
	return segs[len(segs)-1]
}

// overlapping is the held mount p would collide with, if any.
func (f *Form) overlapping(p string) *model.Mount {
	for i, m := range f.held {
		if model.MountPathsOverlap(m.MountPath, p) {
			return &f.held[i]
		}
	}
	return nil
}

// Request returns the body and whether it is valid, setting each field's
// error: the request's own rules (model.AttachStorageRequest.Validate,
// every failing field), then what only the notebook knows — its mounts,
// and whether it is on a dedicated pool (EFS needs one, per the
// AttachDynamicStorage page).
func (f *Form) Request() (model.AttachStorageRequest, bool) {
	req, ok := f.check()
	f.srv.Apply()
	return req, ok
}

func (f *Form) check() (model.AttachStorageRequest, bool) {
	g, set := f.set.Get, f.set.SetError
	f.set.ClearErrors()
	req := model.AttachStorageRequest{
		Category:  g(keyCategory).Text(),
		MountPath: strings.TrimSpace(g(keyPath).Text()),
		URI:       strings.TrimSpace(g(keyURI).Text()),
	}
	if req.Category == model.StorageEFS {
		req.EfsID = strings.TrimSpace(g(keyEfsID).Text())
	}
	f.set.SetFieldErrors(req.Validate())
	if m := f.overlapping(req.MountPath); m != nil && req.MountPath != "" {
		set(keyPath, &model.FieldError{Field: "mount_path",
			Rule:    fmt.Sprintf("overlaps %s, where %s is mounted", text.Sanitize(m.MountPath), text.Sanitize(m.URI)),
			Allowed: "a directory no other mount of this notebook is in or contains"})
	}
	if req.Category == model.StorageEFS && f.in.Pool == "" {
		set(keyCategory, &model.FieldError{Field: "category",
			Rule:    "EFS (SFS Turbo) mounts only on a notebook in a dedicated pool; " + name(f.in) + " runs in the public pool",
			Allowed: "OBS or OBSFS"})
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

// setServerError puts an API error on its field (the storage for the OBS
// access codes, the type for 6324) or in the banner (not running, the
// mount quota 0118, AK/SK missing in the global settings 6782), with what
// was typed intact.
func (f *Form) setServerError(err error) {
	f.banner = f.srv.Reject(f.set, err, "", map[string]string{forms.KeyStorage: keyURI, forms.KeyStorageType: keyCategory})
}

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
		Title: text.Truncate("Attach storage to "+name(f.in), width),
		Verb:  "attach",
		Summary: func() string {
			return "POST …/notebooks/" + text.Sanitize(f.in.ID) + "/storage · MOUNTING, then MOUNTED"
		},
		Request: func() (any, bool) { return f.Request() },
		Banner:  f.banner,
		Keys: []keys.HintItem{keys.H("field", km.PrevField, km.NextField),
			keys.H("type", km.OptionPrev, km.OptionNext), keys.H("next", km.Confirm)},
	}), width, height)
}
