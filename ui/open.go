package ui

import (
	"context"
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"matui/client"
	"matui/model"
	"matui/ui/dialog"
	"matui/ui/forms/codelab"
	"matui/ui/forms/devenv"
	"matui/ui/forms/flavorpicker"
	"matui/ui/forms/mount"
	"matui/ui/forms/notebook"
	"matui/ui/forms/saveimage"
	"matui/ui/keys"
	"matui/ui/overlay"
	"matui/ui/text"
	"matui/ui/toast"
	"matui/ui/uictx"
)

// Where the forms, pickers and browsers are opened: each is one line that
// builds the overlay (with the backend call it submits) and pushes it, or
// loads what it needs first behind a loading view.

// newChoices is the first small choice of n.
var newChoices = []string{"Gen 2 notebook", "Gen 1 DevEnviron instance"}

func (m *Model) refuse(what string, mutates bool) bool {
	if mutates && m.opts.ReadOnly {
		m.toasts.Push(toast.Error, what+": read-only session")
		return true
	}
	return false
}

// newInstance is n: the generation choice, Gen 2 preselected.
func (m *Model) newInstance() tea.Cmd {
	if m.refuse("new", true) {
		return nil
	}
	m.push(dialog.Choose(m.ctx, "New instance", "", newChoices, 0).OnDone(func(r dialog.Result) tea.Cmd {
		if r.Choice == 1 {
			// The Gen 1 catalog (profiles, flavors) has no API in the
			// client: the form takes them as free text.
			m.push(devenv.NewCreate(m.ctx, devenv.CreateOptions{Create: m.backend.CreateDevInstance}))
			return nil
		}
		b := m.backend
		return m.load("new notebook", "flavors and images", "loading flavors/images failed",
			func(ctx context.Context) (any, error) {
				c, err := loadCatalog(ctx, b, "")
				if err == nil {
					c.pools, c.poolsErr = b.ListPools(ctx, client.PoolOptions{Type: model.PoolDedicated})
				}
				return c, err
			},
			func(v any) overlay.Overlay {
				c := v.(catalog)
				switch {
				case errors.Is(c.poolsErr, errors.ErrUnsupported):
					// A backend without pools: the pool is typed.
				case c.poolsErr != nil:
					// The form still works: the pool is typed instead of picked.
					m.toastErr("new notebook: listing pools failed (type the pool ID)", c.poolsErr)
				case c.pools == nil:
					c.pools = []model.Cluster{} // none: the picker still offers the public pool
				}
				// Pool labels have no API: the affinity editor offers no
				// suggestions.
				return notebook.NewCreate(m.ctx, notebook.CreateOptions{Flavors: c.flavors, Images: c.images, Pools: c.pools,
					Create: b.CreateNotebook, AddTags: b.AddNotebookTags})
			})
	}))
	return nil
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
	b := m.backend
	switch {
	case in.Status == "DELETING" || in.Status == "DELETED":
		m.toasts.Push(toast.Error, "edit: instance is "+text.Sanitize(in.Status))
	case in.Generation == model.Gen1:
		d, ok := in.DevInstance()
		if !ok {
			d = model.DevInstance{ID: in.ID, Name: in.Name, Description: in.Description, Status: in.Status}
		}
		m.push(devenv.NewModify(m.ctx, d, b.ModifyDevInstance))
	case in.Generation == model.Gen2:
		nb := notebookOf(in)
		return m.load("edit", "switchable flavors and images of "+name(&in), "loading switchable flavors/images failed",
			func(ctx context.Context) (any, error) { return loadCatalog(ctx, b, in.ID) },
			func(v any) overlay.Overlay {
				c := v.(catalog)
				return notebook.NewEdit(m.ctx, nb, notebook.UpdateOptions{Flavors: c.flavors, Images: c.images, Update: b.UpdateNotebook,
					AddTags: b.AddNotebookTags, RemoveTags: b.RemoveNotebookTags})
			})
	default:
		m.toasts.Push(toast.Error, "edit: unknown instance generation")
	}
	return nil
}

// formsCommand runs :codelab, :flavors and :images.
func (m *Model) formsCommand(cmd string) tea.Cmd {
	b := m.backend
	images := func(ctx context.Context) (any, error) { return listImages(ctx, b) }
	switch cmd {
	case "codelab":
		if m.refuse(":codelab", true) {
			return nil
		}
		return m.load("codelab", "images", "loading images failed", images, func(v any) overlay.Overlay {
			return codelab.New(m.ctx, v.([]model.Image), b.OpenCodeLab)
		})
	case "flavors":
		return m.load("flavors", "flavors", "loading flavors failed",
			func(ctx context.Context) (any, error) { return b.ListFlavors(ctx, client.FlavorOptions{}) },
			func(v any) overlay.Overlay { return flavorpicker.NewBrowser(m.ctx, v.([]model.NotebookFlavor)) })
	case "images":
		return m.load("images", "images", "loading images failed", images, func(v any) overlay.Overlay {
			return newImageBrowser(m.ctx, v.([]model.Image))
		})
	case "pools":
		return m.load("pools", "resource pools", "loading pools failed",
			func(ctx context.Context) (any, error) { return listPools(ctx, b) },
			func(v any) overlay.Overlay { return newPoolBrowser(m.ctx, v.([]model.Cluster)) })
	}
	return nil
}

// listPools lists the dedicated pools, then the public (managed) ones.
func listPools(ctx context.Context, b Backend) ([]model.Cluster, error) {
	dedicated, err := b.ListPools(ctx, client.PoolOptions{Type: model.PoolDedicated})
	if err != nil {
		return nil, err
	}
	managed, err := b.ListPools(ctx, client.PoolOptions{Type: model.PoolManaged})
	if err != nil {
		return nil, err
	}
	return append(dedicated, managed...), nil
}

// catalog is what the notebook forms offer.
type catalog struct {
	flavors  []model.NotebookFlavor
	images   []model.Image
	pools    []model.Cluster
	poolsErr error
}

// loadCatalog reads the flavors (a notebook's switchable ones when id is
// set) and the images.
func loadCatalog(ctx context.Context, b Backend, id string) (catalog, error) {
	var c catalog
	var err error
	if id == "" {
		c.flavors, err = b.ListFlavors(ctx, client.FlavorOptions{})
	} else {
		c.flavors, err = b.ListSwitchableFlavors(ctx, id)
	}
	if err != nil {
		return c, err
	}
	c.images, err = listImages(ctx, b)
	return c, err
}

// listImages is the built-in images followed by the user's own (saved
// from notebooks) that are ready to use.
func listImages(ctx context.Context, b Backend) ([]model.Image, error) {
	builtin, err := b.ListImages(ctx, client.ImageOptions{})
	if err != nil {
		return nil, err
	}
	own, err := b.ListImages(ctx, client.ImageOptions{Type: model.ImageTypeDedicated})
	if err != nil {
		return builtin, nil // the built-in images still make a form
	}
	seen := make(map[string]bool, len(builtin))
	for _, im := range builtin {
		seen[im.ID] = true
	}
	for _, im := range own {
		if !seen[im.ID] && (im.Status == "" || model.NormEnum(im.Status) == model.ImageActive) {
			builtin = append(builtin, im)
		}
	}
	return builtin, nil
}

// notebookOf is the notebook behind a Gen 2 instance, or what the
// instance itself says when the wire struct is not known.
func notebookOf(in model.Instance) model.Notebook {
	nb, ok := in.Notebook()
	if !ok {
		nb = model.Notebook{ID: in.ID, Name: in.Name, Description: in.Description, Status: in.Status, Flavor: in.Flavor,
			Tags: in.Tags}
		nb.Image.ID = in.ImageID
	}
	return nb
}

// attachMount is m: the attach-storage form for a running notebook.
func (m *Model) attachMount() tea.Cmd {
	in, ok := m.storageTarget("attach")
	if !ok {
		return nil
	}
	m.push(mount.New(m.ctx, in, m.backend.AttachStorage))
	return nil
}

// saveImage is i: save a running notebook as an image, after loading the
// user's images (namespaces to suggest, tags already taken).
func (m *Model) saveImage() tea.Cmd {
	in, ok := m.storageTarget("save as image")
	if !ok {
		return nil
	}
	b := m.backend
	return m.load("save as image", "your images", "loading images failed",
		func(ctx context.Context) (any, error) {
			return b.ListImages(ctx, client.ImageOptions{Type: model.ImageTypeDedicated})
		},
		func(v any) overlay.Overlay {
			return saveimage.New(m.ctx, in, saveimage.Options{Images: v.([]model.Image), Save: b.SaveImage})
		})
}

// load opens a loading view titled title while fetch runs; build turns
// what it fetched into the overlay that replaces the view. fetch runs in a
// command, build in Update (it may read the shared context). failed heads
// the toast of a failure.
func (m *Model) load(title, what, failed string, fetch func(context.Context) (any, error), build func(any) overlay.Overlay) tea.Cmd {
	o := m.push(&loading{ctx: m.ctx, title: title, what: what, build: build})
	return m.run(o, overlay.Submit{What: "loading " + what, Failed: title + ": " + failed, Run: fetch})
}

// loading is the view shown while an overlay's data loads.
type loading struct {
	ctx         *uictx.Context
	title, what string
	build       func(any) overlay.Overlay
}

// Update closes on esc or q, and turns into the loaded overlay when the
// data arrives (or closes when loading failed: the dashboard said why).
func (l *loading) Update(msg tea.Msg) (overlay.Overlay, tea.Cmd) {
	switch msg := msg.(type) {
	case overlay.Done:
		if msg.Err != nil {
			return nil, nil
		}
		return l.build(msg.Value), nil
	case tea.KeyPressMsg:
		if key.Matches(msg, l.ctx.Keys.Back, l.ctx.Keys.Close) {
			return nil, nil
		}
	}
	return l, nil
}

func (l *loading) View(width, _ int) string {
	st := &l.ctx.Styles
	lines := []string{st.Title.Render(l.title), st.Muted.Render("loading " + l.what + "… " + l.ctx.Keys.Back.Help().Key + " cancels")}
	for i := range lines {
		lines[i] = text.Truncate(lines[i], width)
	}
	return strings.Join(lines, "\n")
}

func (l *loading) Help() []key.Binding {
	back := l.ctx.Keys.Back
	back.SetHelp(back.Help().Key, "cancel")
	return []key.Binding{back, keys.CtrlC()}
}
