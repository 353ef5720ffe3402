// Package notebook holds the Gen 2 notebook forms. Create (n) builds a
// model.CreateNotebookRequest from fields validated as typed; its defaults
// make "type a name, press enter through everything" create a working CPU
// notebook. The forms do no I/O: the catalog and the backend call are
// passed in; submitting is an overlay.Submit (Body: a CreateMsg or
// UpdateMsg) that the dashboard runs.
package notebook

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"matui/model"
	"matui/ui/dialog"
	"matui/ui/forms"
	"matui/ui/forms/affinity"
	"matui/ui/forms/flavorpicker"
	"matui/ui/forms/poolpicker"
	"matui/ui/keys"
	"matui/ui/overlay"
	"matui/ui/text"
	"matui/ui/uictx"
)

// CreateMsg is the create submission's body: the create, then (when Tags
// is set) the tags added to the new notebook. After a create whose tags
// failed, a retry sends only the tags: Req is then zero and ID names the
// notebook created.
type CreateMsg struct {
	Req  model.CreateNotebookRequest
	Tags []model.Tag
	ID   string
}

// CreateFunc and UpdateFunc are the backend calls the forms submit.
type (
	CreateFunc func(context.Context, model.CreateNotebookRequest) (model.Notebook, error)
	UpdateFunc func(context.Context, string, model.UpdateNotebookRequest) (model.Notebook, error)
)

// submitNotebook is a Submit whose Run calls do and normalises the
// notebook it answers with (flavor specs from flavors).
func submitNotebook(what string, body any, created bool, flavors []model.NotebookFlavor,
	do func(context.Context) (model.Notebook, error)) overlay.Submit {
	return overlay.Submit{What: what, Mutates: true, Body: body, Run: func(ctx context.Context) (any, error) {
		if do == nil {
			return nil, errors.ErrUnsupported
		}
		nb, err := do(ctx)
		return overlay.Change{Instance: model.FromNotebook(nb, lookup(flavors)), Created: created}, err
	}}
}

func lookup(fs []model.NotebookFlavor) func(string) (model.NotebookFlavor, bool) {
	return func(id string) (model.NotebookFlavor, bool) {
		for _, f := range fs {
			if f.ID == id {
				return f, true
			}
		}
		return model.NotebookFlavor{}, false
	}
}

// Field keys beyond the shared ones.
const (
	keyImage     = forms.KeyImage
	keyStorage   = forms.KeyStorage // storage category
	keySize      = forms.KeyStorageSize
	keyEFSID     = "volume.id"
	keyEFSURI    = "volume.uri"
	keyAutoStop  = forms.KeyDuration
	keyCustomH   = "lease.hours"
	keyLeaseType = "lease.type"
	keyKeyPairs  = forms.KeyKeyPairs
	keyIPs       = "endpoints.allowed_access_ips"
	keyPool      = forms.KeyPool
	keySizeKind  = "custom_spec"
	keyCPU       = "custom_spec.cpu"
	keyMemory    = "custom_spec.memory"
	keyGPU       = "custom_spec.gpu"
	keyAffinity  = "affinity"
	keyHook      = "hooks"
	keyHookStage = "hooks.stage"
	keyHookText  = "hooks.script"
)

// Auto-stop presets in hours, then "off" and "custom" (which takes the
// hours field). "off" sends the legacy top-level duration -1 and no lease:
// the only way to create a notebook without auto-stop (reference §3.3,
// §8.13).
var autoStopPresets = []string{"1 h", "2 h", "4 h", "8 h", "24 h", "72 h", autoStopOff, "custom"}

var presetHours = []int{1, 2, 4, 8, 24, 72}

const autoStopOff = "off"

// The pickers the notebook forms open over the field list.
const (
	stageFlavor = forms.StageOwn + iota
	stageImage
	stageAffinity
	stagePool
)

// Create is the Gen 2 create form.
type Create struct {
	ctx *uictx.Context
	set *forms.Set
	// flavors are what the flavor picker offers: the catalog, or the
	// chosen dedicated pool's own flavors when the listing gave them.
	flavors, catalog []model.NotebookFlavor
	images           []model.Image
	labels           map[string][]string
	// pools, when the opener listed them, make the pool field a picker;
	// pickedID and pool are its choice ("" and nil: the public pool).
	pools    []model.Cluster
	pickedID string
	pool     *model.Cluster
	// created is the notebook a create made whose tags then failed: the
	// form only sends the tags from then on.
	created *model.Instance
	addTags TagsFunc

	flavor model.NotebookFlavor
	image  model.Image

	// Lifecycle runs edit → review → submit and gives the overlay its
	// Help, Reviewing and EscAction.
	forms.Lifecycle
	picker  *flavorpicker.Picker
	imgList *imageList
	aff     *affinity.Editor
	poolPk  *poolpicker.Picker
	banner  string // a server error not about one field, or why review was refused
	srv     forms.ServerErrors
}

// CreateOptions are the catalog the form offers.
type CreateOptions struct {
	Flavors []model.NotebookFlavor
	Images  []model.Image
	// PoolLabels are the dedicated pool's node labels, for affinity key
	// suggestions.
	PoolLabels map[string][]string
	// Pools are the resource pools (ListPools; MANAGED ones are ignored):
	// the pool field becomes a picker of them. nil keeps it a text field.
	Pools []model.Cluster
	// Create is the call the submission runs.
	Create CreateFunc
	// AddTags, when set, gives the form a tags field: the create body has
	// no tags, so they are added to the new notebook once it exists.
	AddTags TagsFunc
}

// DefaultFlavor is the flavor a new notebook gets unless the user picks
// another: the first on-sale, paid CPU notebook flavor (the free one is
// CodeLab's and limited to one instance), else any on-sale CPU flavor.
func DefaultFlavor(fs []model.NotebookFlavor) (model.NotebookFlavor, bool) {
	var fallback *model.NotebookFlavor
	for i, f := range fs {
		if f.SoldOut || model.SpecFromFlavor(f).Kind != model.KindCPU {
			continue
		}
		if !f.Free && !model.SameEnum(f.Feature, "DEFAULT") {
			return f, true
		}
		if fallback == nil {
			fallback = &fs[i]
		}
	}
	if fallback != nil {
		return *fallback, true
	}
	return model.NotebookFlavor{}, false
}

// ImagesFor returns the images usable with f: their resource categories
// include f's category and their architecture matches.
func ImagesFor(images []model.Image, f model.NotebookFlavor) []model.Image {
	kind := model.SpecFromFlavor(f).Kind
	arch := model.NormArch(f.Arch)
	var out []model.Image
	for _, im := range images {
		if arch != "" && im.Arch != "" && model.NormArch(im.Arch) != arch {
			continue
		}
		ok := false
		for _, c := range append(append([]string{}, im.ResourceCategories...), im.SupportResCategories...) {
			if k, known := model.KindOf(c); known && k == kind {
				ok = true
			}
		}
		if ok {
			out = append(out, im)
		}
	}
	return out
}

// NewCreate returns a create form with working defaults.
func NewCreate(ctx *uictx.Context, opts CreateOptions) *Create {
	c := &Create{ctx: ctx, flavors: opts.Flavors, catalog: opts.Flavors, images: opts.Images, labels: opts.PoolLabels,
		pools: opts.Pools, addTags: opts.AddTags}
	f := func(key, label string) *forms.Field { return forms.NewText(ctx, key, label, "") }
	name := f(forms.KeyName, "Name")
	name.Hint = "1–128 letters, digits, - and _"
	desc := f(forms.KeyDescription, "Description")
	desc.Hint = "optional, ≤512 characters, none of & < > \" ' /"
	flavor := &forms.Field{Key: forms.KeyFlavor, Label: "Flavor", Kind: forms.Action}
	image := &forms.Field{Key: keyImage, Label: "Image", Kind: forms.Action, Hint: "images for the flavor's category and architecture"}
	storage := &forms.Field{Key: keyStorage, Label: "Storage", Kind: forms.Choice, Options: []string{"EVS", "EFS"}}
	size := forms.NewText(ctx, keySize, "EVS size (GB)", "5")
	size.Hint = "5–4,096 GB"
	efsID := f(keyEFSID, "SFS Turbo ID")
	efsURI := f(keyEFSURI, "SFS share path")
	auto := &forms.Field{Key: keyAutoStop, Label: "Auto-stop", Kind: forms.Choice, Options: autoStopPresets}
	custom := f(keyCustomH, "Stop after")
	custom.Hint = "1h–72h, as 90m, 1.5h, 1h30m or 5400s (a bare number is hours)"
	leaseType := &forms.Field{Key: keyLeaseType, Label: "Stop when", Kind: forms.Choice, Options: []string{"timing", "idle"},
		Hint: "timing: after the duration; idle: after the duration without activity"}
	keyPairs := f(keyKeyPairs, "SSH key pairs")
	keyPairs.Hint = "optional: ECS key pair names, comma-separated; enables SSH"
	ips := f(keyIPs, "SSH allowed IPs")
	ips.Hint = "up to 5 IP addresses, comma-separated; blank allows any"
	pool := f(keyPool, "Pool ID")
	pool.Hint = "optional dedicated pool; blank for the public pool"
	if opts.Pools != nil {
		pool = &forms.Field{Key: keyPool, Label: "Pool", Kind: forms.Action, Value: poolpicker.Label("", nil),
			Hint: "the public pool or a dedicated one (only ACTIVE pools; an unlisted ID can be typed in the picker)"}
	}
	sizeKind, cpu, mem, gpu := customSpecFields(ctx)
	aff := &forms.Field{Key: keyAffinity, Label: "Affinity", Kind: forms.Action, Hint: "node affinity on the dedicated pool"}
	hook, hookStage, hookText := hookFields(ctx, false, nil)
	tags := tagsField(ctx, nil)
	tags.Hidden = opts.AddTags == nil
	c.set = forms.NewSet(ctx, name, desc, flavor, image, storage, size, efsID, efsURI, auto, custom, leaseType,
		keyPairs, ips, pool, sizeKind, cpu, mem, gpu, aff, hook, hookStage, hookText, tags)
	if df, ok := DefaultFlavor(opts.Flavors); ok {
		c.setFlavor(df)
	}
	c.aff = affinity.New(ctx, affinity.Options{Labels: opts.PoolLabels})
	c.Lifecycle = forms.Lifecycle{
		Set:     c.set,
		Discard: "Discard the new notebook?",
		Review:  c.toReview,
		Submit: func() (overlay.Submit, bool) {
			req, ok := c.build()
			if !ok {
				return overlay.Submit{}, false
			}
			tags, _ := c.tags()
			if c.created != nil {
				return c.submitTags(tags), true
			}
			return c.submitCreate(req, tags, opts.Create), true
		},
		Rejected: c.setServerError,
		Changed:  c.refresh,
		Activate: c.activate,
	}
	c.refresh()
	return c
}

// Size choices: a catalog flavor, or a custom_spec on a dedicated pool.
const (
	sizeFlavor = "flavor"
	sizeCustom = "custom"
)

// customSpecFields are the size choice and the custom_spec inputs (seed
// 002), shared by create and update.
func customSpecFields(ctx *uictx.Context) (kind, cpu, mem, gpu *forms.Field) {
	kind = &forms.Field{Key: keySizeKind, Label: "Size", Kind: forms.Choice, Options: []string{sizeFlavor, sizeCustom},
		Hint: "custom: cores, memory and GPUs on the dedicated pool instead of a flavor"}
	cpu = forms.NewText(ctx, keyCPU, "CPU cores", "")
	cpu.Hint = "more than 0.3 cores, e.g. 2 or 0.5; at most one node's"
	mem = forms.NewText(ctx, keyMemory, "Memory (MiB)", "")
	mem.Hint = "a whole number of MiB greater than 512, e.g. 4096"
	gpu = forms.NewText(ctx, keyGPU, "GPUs", "")
	gpu.Hint = "GPU pools: 0 or more; leave blank on a CPU pool"
	return kind, cpu, mem, gpu
}

// parseCustomSpec reads the custom_spec inputs of set and puts each
// field's error on its input; the values are checked with
// model.ValidateCustomSpec one at a time (the others taken as valid) so
// every wrong input is marked, not just the first.
func parseCustomSpec(g func(string) *forms.Field, set func(string, error)) *model.CustomSpec {
	num := func(key, field, rule, allowed string) (float64, bool) {
		v, err := strconv.ParseFloat(strings.TrimSpace(g(key).Text()), 64)
		if err != nil {
			set(key, &model.FieldError{Field: field, Rule: rule, Allowed: allowed})
			return 0, false
		}
		return v, true
	}
	const okCPU, okMem = 1, 1024
	cs := &model.CustomSpec{}
	if v, ok := num(keyCPU, "custom_spec.cpu", "must be a number of cores", "more than 0.3 cores"); ok {
		cs.CPU = v
		set(keyCPU, model.ValidateCustomSpec(&model.CustomSpec{CPU: v, Memory: okMem}, ""))
	}
	if v, ok := num(keyMemory, "custom_spec.memory", "must be a number of MiB", "a whole number of MiB greater than 512"); ok {
		cs.Memory = v
		set(keyMemory, model.ValidateCustomSpec(&model.CustomSpec{CPU: okCPU, Memory: v}, ""))
	}
	if strings.TrimSpace(g(keyGPU).Text()) != "" {
		if v, ok := num(keyGPU, "custom_spec.gpu", "must be a number of GPUs", "0 or more; blank on a CPU pool"); ok {
			cs.GPU = &v
			set(keyGPU, model.ValidateCustomSpec(&model.CustomSpec{CPU: okCPU, Memory: okMem, GPU: &v}, ""))
		}
	}
	return cs
}

// customFlavor is the pseudo flavor a custom size runs as, for image
// compatibility: GPU with a GPU count, else CPU; any architecture.
func customFlavor(g func(string) *forms.Field) model.NotebookFlavor {
	f := model.NotebookFlavor{Category: "CPU"}
	if v, err := strconv.ParseFloat(strings.TrimSpace(g(keyGPU).Text()), 64); err == nil && v > 0 {
		f.Category = "GPU"
	}
	return f
}

// submitCreate is the create, then the tags added to the new notebook.
// A failure of the tags after the create leaves a notebook without them:
// a *forms.PartialError that carries it (and the form then sends only the
// tags).
func (c *Create) submitCreate(req model.CreateNotebookRequest, tags []model.Tag, create CreateFunc) overlay.Submit {
	flavors, add := c.flavors, c.addTags
	body := CreateMsg{Req: req, Tags: tags}
	if len(tags) == 0 {
		var do func(context.Context) (model.Notebook, error)
		if create != nil {
			do = func(ctx context.Context) (model.Notebook, error) { return create(ctx, req) }
		}
		sub := submitNotebook("creating the notebook", body, true, flavors, do)
		sub.Creates = &overlay.Creation{Generation: model.Gen2, Name: req.Name}
		return sub
	}
	return overlay.Submit{What: "creating the notebook", Mutates: true, Body: body,
		Creates: &overlay.Creation{Generation: model.Gen2, Name: req.Name}, Run: func(ctx context.Context) (any, error) {
			if create == nil || add == nil {
				return nil, errors.ErrUnsupported
			}
			var nb model.Notebook
			created := func(withTags bool) overlay.Change {
				in := model.FromNotebook(nb, lookup(flavors))
				if withTags {
					in.Tags = model.MergeTags(in.Tags, tags)
				}
				return overlay.Change{Instance: in, Created: true}
			}
			steps := []forms.Step{{What: "creating notebook " + text.Sanitize(req.Name), Run: func(ctx context.Context) error {
				var err error
				nb, err = create(ctx, req)
				return err
			}}}
			steps = append(steps, tagSteps(func() string { return nb.ID }, nil, tags, nil, add)...)
			if err := forms.RunSteps(ctx, steps, func(int) overlay.Change { return created(false) }); err != nil {
				return nil, err
			}
			return created(true), nil
		}}
}

// submitTags adds the tags to the notebook created before (after its tags
// failed).
func (c *Create) submitTags(tags []model.Tag) overlay.Submit {
	in, add := *c.created, c.addTags
	return overlay.Submit{What: "adding tags to " + nameOr(in.Name, in.ID), Mutates: true, Body: CreateMsg{Tags: tags, ID: in.ID},
		Run: func(ctx context.Context) (any, error) {
			if add == nil {
				return nil, errors.ErrUnsupported
			}
			if err := add(ctx, in.ID, tags); err != nil {
				return nil, err
			}
			in.Tags = model.MergeTags(in.Tags, tags)
			return overlay.Change{Instance: in, Created: true, Note: nameOr(in.Name, in.ID) + ": tags added"}, nil
		}}
}

// tags is what the tags field sends (none when it is hidden).
func (c *Create) tags() ([]model.Tag, error) {
	f := c.set.Get(keyTags)
	if f.Hidden {
		return nil, nil
	}
	return parseTags(f.Text())
}

// poolID is the dedicated pool chosen ("" for the public pool).
func (c *Create) poolID() string {
	if c.pools != nil {
		return c.pickedID
	}
	return strings.TrimSpace(c.set.Get(keyPool).Text())
}

// setPool takes the picker's choice: a listed pool's own flavors become
// what the flavor picker offers (if the listing gave them), and a flavor
// the new offer lacks is replaced by its default.
func (c *Create) setPool(id string, cl *model.Cluster) {
	c.pickedID, c.pool = id, cl
	c.set.Get(keyPool).Value = poolpicker.Label(id, cl)
	c.flavors = c.catalog
	if cl != nil && len(cl.Flavors) > 0 {
		c.flavors = cl.Flavors
	}
	if !slices.ContainsFunc(c.flavors, func(f model.NotebookFlavor) bool { return f.ID == c.flavor.ID }) {
		f, ok := DefaultFlavor(c.flavors)
		if !ok {
			// No CPU flavor: the first one on sale, else none (the
			// flavor field says it is required).
			if i := slices.IndexFunc(c.flavors, func(f model.NotebookFlavor) bool { return !f.SoldOut }); i >= 0 {
				f = c.flavors[i]
			}
		}
		c.setFlavor(f)
	}
}

// custom reports whether the form sends a custom_spec instead of a flavor.
func (c *Create) custom() bool {
	return c.poolID() != "" && c.set.Get(keySizeKind).Text() == sizeCustom
}

// sizing is the flavor images must match: the chosen one or the custom
// size's pseudo flavor.
func (c *Create) sizing() model.NotebookFlavor {
	if c.custom() {
		return customFlavor(c.set.Get)
	}
	return c.flavor
}

func (c *Create) setFlavor(f model.NotebookFlavor) {
	c.flavor = f
	c.set.Get(forms.KeyFlavor).Value = f.ID
	c.fitImage()
}

// fitImage keeps the chosen image if it suits the sizing, else takes the
// first one that does.
func (c *Create) fitImage() {
	imgs := ImagesFor(c.images, c.sizing())
	// Keep the chosen image if it still fits; otherwise take the first
	// matching one, so the default path always has a usable image.
	keep := false
	for _, im := range imgs {
		if im.ID == c.image.ID {
			keep = true
		}
	}
	if !keep {
		c.image = model.Image{}
		if len(imgs) > 0 {
			c.image = imgs[0]
		}
	}
	c.set.Get(keyImage).Value = imageLabel(c.image)
}

func imageLabel(im model.Image) string {
	if im.ID == "" {
		return ""
	}
	return text.Sanitize(im.Ref())
}

// refresh shows and hides dependent fields and re-validates every field.
func (c *Create) refresh() {
	g := c.set.Get
	evs := g(keyStorage).Text() == "EVS"
	g(keySize).Hidden = !evs
	g(keyEFSID).Hidden = evs
	g(keyEFSURI).Hidden = evs
	g(keyCustomH).Hidden = g(keyAutoStop).Text() != "custom"
	g(keyLeaseType).Hidden = g(keyAutoStop).Text() == autoStopOff
	g(keyIPs).Hidden = strings.TrimSpace(g(keyKeyPairs).Text()) == ""
	g(keyAffinity).Hidden = c.poolID() == ""
	g(keySizeKind).Hidden = g(keyAffinity).Hidden
	custom := c.custom()
	for _, k := range []string{keyCPU, keyMemory, keyGPU} {
		g(k).Hidden = !custom
	}
	g(forms.KeyFlavor).Locked = ""
	if custom {
		g(forms.KeyFlavor).Locked = "not sent: the size is custom (Size, below)"
	}
	c.fitImage()
	refreshHook(g)
	rules := len(c.aff.Rules(affinity.Required)) + len(c.aff.Rules(affinity.Preferred))
	g(keyAffinity).Value = fmt.Sprintf("%d required, %d preferred", len(c.aff.Rules(affinity.Required)), len(c.aff.Rules(affinity.Preferred)))
	if rules == 0 {
		g(keyAffinity).Value = ""
	}
	c.validate()
}

// splitList splits a comma-separated field, trimming blanks away.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// build assembles the request from the fields and sets each field's error
// (then the server's, kept until their field changes). It returns false
// when any field is invalid.
func (c *Create) build() (model.CreateNotebookRequest, bool) {
	req, ok := c.check()
	c.srv.Apply()
	return req, ok
}

func (c *Create) check() (model.CreateNotebookRequest, bool) {
	g, set := c.set.Get, c.set.SetError
	c.set.ClearErrors()
	req := model.CreateNotebookRequest{
		Name:        strings.TrimSpace(g(forms.KeyName).Text()),
		Description: g(forms.KeyDescription).Text(),
		Flavor:      c.flavor.ID,
		ImageID:     c.image.ID,
	}
	set(forms.KeyName, model.ValidateGen2Name(req.Name))
	set(forms.KeyDescription, model.ValidateDescription(req.Description))
	if c.custom() {
		// Exclusive with a flavor (seed 002).
		req.Flavor = ""
		req.CustomSpec = parseCustomSpec(g, set)
	} else if req.Flavor == "" {
		set(forms.KeyFlavor, errors.New("flavor: is required (space to choose one)"))
	} else if c.flavor.SoldOut {
		set(forms.KeyFlavor, fmt.Errorf("flavor: %s is sold out; choose another", text.Sanitize(req.Flavor)))
	}
	if req.ImageID == "" {
		set(keyImage, errors.New("image_id: no image matches the flavor's category and architecture; choose another size"))
	}
	if g(keyStorage).Text() == "EVS" {
		req.Volume = model.VolumeReq{Category: "EVS", Ownership: "MANAGED"}
		n, err := strconv.Atoi(strings.TrimSpace(g(keySize).Text()))
		if err != nil {
			set(keySize, &model.FieldError{Field: "volume.capacity", Rule: "must be a whole number of GB", Allowed: "5–4,096"})
		} else {
			req.Volume.Capacity = n
			set(keySize, model.ValidateEVSSize(n))
		}
	} else {
		req.Volume = model.VolumeReq{Category: "EFS", Ownership: "DEDICATED",
			ID: strings.TrimSpace(g(keyEFSID).Text()), URI: strings.TrimSpace(g(keyEFSURI).Text())}
		if req.Volume.ID == "" {
			set(keyEFSID, &model.FieldError{Field: "volume.id", Rule: "is required for EFS", Allowed: "the ID of the dedicated SFS Turbo file system"})
		}
		if req.Volume.URI == "" {
			set(keyEFSURI, &model.FieldError{Field: "volume.uri", Rule: "is required for EFS", Allowed: "the share path of the dedicated file system"})
		}
	}
	var ms int64 // the lease's duration; 0 for none
	if a := g(keyAutoStop); a.Choice < len(presetHours) {
		ms = int64(presetHours[a.Choice]) * 3_600_000
	} else if a.Text() == autoStopOff {
		off := int64(-1)
		req.Duration = &off
	} else {
		// The parser the Gen 1 forms and the start/renew dialog use.
		var err error
		ms, err = model.ParseLeaseDuration(g(keyCustomH).Text())
		set(keyCustomH, err)
	}
	if ms != 0 {
		req.Lease = &model.LeaseReq{Duration: ms, Type: g(keyLeaseType).Text()}
	}
	if kp := splitList(g(keyKeyPairs).Text()); len(kp) > 0 {
		ep := model.EndpointsReq{Service: "SSH", KeyPairNames: kp, AllowedAccessIPs: splitList(g(keyIPs).Text())}
		for _, k := range kp {
			set(keyKeyPairs, model.ValidateKeyPairName(k))
		}
		set(keyIPs, model.ValidateAllowedIPs(ep.AllowedAccessIPs))
		req.Endpoints = []model.EndpointsReq{ep}
	}
	req.PoolID = c.poolID()
	if req.PoolID != "" {
		a, err := c.aff.Affinity()
		set(keyAffinity, err)
		req.Affinity = a
	}
	if stage, cfg := hookConfig(g, set); cfg != nil {
		req.Hooks = hooksWith(nil, stage, cfg)
	}
	if _, err := c.tags(); err != nil {
		set(keyTags, err)
	}
	if c.created != nil {
		// Only the tags are left to send; the rest was created.
		return req, g(keyTags).Err == ""
	}
	if !c.set.Valid() {
		return req, false
	}
	// The request-level check catches cross-field rules the per-field
	// validators cannot see.
	if err := req.Validate(); err != nil {
		c.banner = err.Error()
		return req, false
	}
	return req, true
}

func (c *Create) validate() bool {
	c.banner = ""
	_, ok := c.build()
	return ok
}

// Request returns the request as currently filled and whether it is valid.
func (c *Create) Request() (model.CreateNotebookRequest, bool) {
	req, ok := c.build()
	return req, ok
}

// Dirty reports whether the user changed anything.
func (c *Create) Dirty() bool { return c.Lifecycle.Dirty() }

// Field returns a field by key (for tests and the root model).
func (c *Create) Field(key string) *forms.Field { return c.set.Get(key) }

// setServerError shows an API error on the field it is about (or as a
// banner); the lifecycle is back in editing with every value intact.
func (c *Create) setServerError(err error) {
	c.set.Reveal()
	var p *forms.PartialError
	if errors.As(err, &p) {
		// The notebook exists; its tags failed.
		in := p.Applied.Instance
		c.created = &in
		c.Lifecycle.Set = onlyTags(c.ctx, c.set)
		c.Lifecycle.Discard = "Close without adding the tags? The notebook stays."
		c.banner = reportPartial(c.set, &c.srv, p)
		return
	}
	if c.created != nil {
		c.srv.Keep(c.set.Get(keyTags), tagsError(err))
		return
	}
	field, msg, ok := forms.ServerFieldError(err, "")
	switch {
	case field == forms.KeyStorage && c.set.Get(keyStorage).Text() == "EVS":
		field = keySize
	case field == forms.KeyStorageType:
		field = keyStorage // the EVS/EFS choice
	case field == forms.KeyDuration && !c.set.Get(keyCustomH).Hidden:
		field = keyCustomH // the duration typed, not the choice
	}
	if b, placed := c.srv.Place(c.set, err, field, msg, ok); !placed {
		c.banner = b
	}
}

// Update handles one message: the pickers' keys in their stages, the
// rest through the lifecycle.
func (c *Create) Update(msg tea.Msg) (overlay.Overlay, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && c.Lifecycle.Stage >= forms.StageOwn {
		return c, c.pickerKey(k)
	}
	closed, cmd := c.Lifecycle.Update(msg)
	return forms.Next(c, closed, cmd)
}

func (c *Create) pickerKey(k tea.KeyPressMsg) tea.Cmd {
	km := &c.ctx.Keys
	switch c.Lifecycle.Stage {
	case stageFlavor:
		r, cmd := c.picker.Update(k)
		if r.Done {
			c.Lifecycle.Stage = forms.StageEdit
			if r.Picked != nil {
				c.setFlavor(*r.Picked)
				c.set.Get(forms.KeyFlavor).Edited = true
				c.set.Get(keyImage).Edited = true
				c.Lifecycle.MarkDirty()
				c.refresh()
			}
		}
		return cmd
	case stageImage:
		done, picked := c.imgList.update(k)
		if done {
			c.Lifecycle.Stage = forms.StageEdit
			if picked != nil {
				c.image = *picked
				c.set.Get(keyImage).Value = imageLabel(c.image)
				c.set.Get(keyImage).Edited = true
				c.Lifecycle.MarkDirty()
				c.refresh()
			}
		}
		return nil
	case stageAffinity:
		if !c.aff.Editing() && key.Matches(k, km.Back, km.Review) {
			c.Lifecycle.Stage = forms.StageEdit
			if c.aff.Dirty() {
				c.Lifecycle.MarkDirty()
			}
			c.set.Get(keyAffinity).Edited = c.set.Get(keyAffinity).Edited || c.aff.Dirty()
			c.refresh()
			return nil
		}
		_, cmd := c.aff.HandleKey(k)
		return cmd
	case stagePool:
		r, cmd := c.poolPk.Update(k)
		if r.Done {
			c.Lifecycle.Stage = forms.StageEdit
			if r.Picked {
				c.setPool(r.ID, r.Pool)
				c.set.Get(keyPool).Edited = true
				c.Lifecycle.MarkDirty()
				c.refresh()
			}
		}
		return cmd
	}
	return nil
}

// activate opens the picker of the focused Action field.
func (c *Create) activate() tea.Cmd {
	switch c.set.Current().Key {
	case forms.KeyFlavor:
		c.picker = flavorpicker.New(c.ctx, c.flavors, flavorpicker.Options{Selected: c.flavor.ID})
		c.Lifecycle.Stage = stageFlavor
	case keyImage:
		c.imgList = newImageList(c.ctx, ImagesFor(c.images, c.sizing()), c.image.ID)
		c.Lifecycle.Stage = stageImage
		return c.imgList.filter.Focus()
	case keyAffinity:
		c.Lifecycle.Stage = stageAffinity
	case keyPool:
		c.poolPk = poolpicker.New(c.ctx, c.pools, c.pickedID)
		c.Lifecycle.Stage = stagePool
		return c.poolPk.Focus()
	}
	return nil
}

// toReview reports whether the review can open, else focuses the first
// invalid field.
func (c *Create) toReview() bool {
	if c.created != nil {
		if tags, err := c.tags(); err == nil && len(tags) == 0 {
			c.banner = "no tags to add: the notebook was created; esc closes the form"
			return false
		}
	}
	if c.validate() {
		return true
	}
	if c.set.FocusInvalid() {
		c.banner = fmt.Sprintf("%d field(s) need fixing before review", len(c.set.Invalid()))
	}
	return false
}

// autoStopSummary says in words what the body's lease or duration means.
func (c *Create) autoStopSummary() string {
	req, _ := c.build()
	switch {
	case req.Duration != nil && *req.Duration == -1:
		return "Auto-stop: no auto-stop (duration -1; stop the notebook yourself)"
	case req.Lease != nil:
		return fmt.Sprintf("Auto-stop: after %s (%s)", model.FormatDuration(time.Duration(req.Lease.Duration)*time.Millisecond), req.Lease.Type)
	}
	return "Auto-stop: the service default"
}

// Body is the exact JSON the form would send: the create body, and the
// tags call that follows it when there are tags.
func (c *Create) Body() string {
	req, _ := c.build()
	tags, _ := c.tags()
	if c.created != nil {
		return tagsCall("POST", c.created.ID, "/tags/create", tags)
	}
	b, err := text.MarshalIndent(req)
	if err != nil {
		return err.Error()
	}
	if len(tags) == 0 {
		return string(b)
	}
	return "POST …/notebooks\n" + string(b) + "\nthen, once it exists:\n" + tagsCall("POST", "{new id}", "/tags/create", tags)
}

// View renders the form.
func (c *Create) View(width, height int) string {
	if c.Lifecycle.Stage == stagePool {
		return c.Lifecycle.Fit(c.poolPk.View(width, height), width, height)
	}
	if v, ok := pickerView(c.ctx, c.Lifecycle.Stage, c.picker, c.imgList, c.aff, width, height); ok {
		return c.Lifecycle.Fit(v, width, height)
	}
	page := forms.Page{
		Title:   "New notebook (Gen 2)",
		Verb:    "create",
		Summary: c.autoStopSummary,
		Body:    c.Body,
		Banner:  c.banner,
		Request: func() (any, bool) { return c.Request() },
	}
	if c.created != nil {
		page.Title = text.Truncate("Tags of the new notebook "+nameOr(c.created.Name, c.created.ID), width)
		page.Verb, page.Summary = "add the tags", nil
	}
	return c.Lifecycle.Fit(c.Lifecycle.View(width, page), width, height)
}

// pickerView renders the picker stage s shows, if any.
func pickerView(ctx *uictx.Context, s forms.Stage, p *flavorpicker.Picker, l *imageList, aff *affinity.Editor, width, height int) (string, bool) {
	st := &ctx.Styles
	switch s {
	case stageFlavor:
		return p.View(width, height), true
	case stageImage:
		return l.view(width, height), true
	case stageAffinity:
		return st.Title.Render("Affinity") + st.Muted.Render("  "+ctx.Keys.Back.Help().Key+" back to the form") + "\n" + aff.View(width), true
	}
	return "", false
}

// imageList is a filterable list of images. It keeps a scroll offset so the
// cursor stays visible in long lists.
type imageList struct {
	ctx    *uictx.Context
	all    []model.Image
	filter textinput.Model
	cursor int
	offset int // index of the first visible row
}

func newImageList(ctx *uictx.Context, images []model.Image, selected string) *imageList {
	l := &imageList{ctx: ctx, all: images, filter: dialog.NewInput(ctx, "filter: ")}
	for i, im := range l.visible() {
		if im.ID == selected {
			l.cursor = i
		}
	}
	return l
}

func (l *imageList) visible() []model.Image {
	q := strings.ToLower(strings.TrimSpace(l.filter.Value()))
	var out []model.Image
	for _, im := range l.all {
		hay := strings.ToLower(im.Ref() + " " + im.Description + " " + im.ID)
		if q == "" || strings.Contains(hay, q) {
			out = append(out, im)
		}
	}
	return out
}

// imagePage is how far pgup/pgdown move.
const imagePage = 10

func (l *imageList) update(k tea.KeyPressMsg) (bool, *model.Image) {
	km := &l.ctx.Keys
	vis := l.visible()
	last := max(len(vis)-1, 0)
	// A printable key types into the filter, whatever it is bound to
	// elsewhere (k moves up in the list, but "pytorch" needs a k).
	typed := k.Text != ""
	switch {
	case key.Matches(k, km.Back):
		return true, nil
	case !typed && key.Matches(k, km.Up, km.SuggestPrev):
		l.cursor = max(l.cursor-1, 0)
	case !typed && key.Matches(k, km.Down, km.SuggestNext):
		l.cursor = min(l.cursor+1, last)
	case key.Matches(k, km.ScrollUp):
		l.cursor = max(l.cursor-imagePage, 0)
	case key.Matches(k, km.ScrollDown):
		l.cursor = min(l.cursor+imagePage, last)
	case !typed && key.Matches(k, km.Top):
		l.cursor = 0
	case !typed && key.Matches(k, km.Bottom):
		l.cursor = last
	case key.Matches(k, km.Confirm):
		if l.cursor < len(vis) {
			im := vis[l.cursor]
			return true, &im
		}
	default:
		l.filter, _ = l.filter.Update(k)
		l.cursor, l.offset = 0, 0
	}
	return false, nil
}

// scroll moves the offset so the cursor is one of the rows visible rows.
func (l *imageList) scroll(n, rows int) {
	rows = max(rows, 1)
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+rows {
		l.offset = l.cursor - rows + 1
	}
	l.offset = max(min(l.offset, n-rows), 0)
}

func (l *imageList) view(width, height int) string {
	st := &l.ctx.Styles
	lines := []string{st.Title.Render("Image"), l.filter.View()}
	vis := l.visible()
	if len(vis) == 0 {
		lines = append(lines, st.Muted.Render("no image matches"))
	}
	// Title, filter and help take three rows; the "more" markers two.
	rows := max(height-5, 1)
	if len(vis) <= height-3 {
		rows = len(vis) // everything fits: no markers
	}
	l.scroll(len(vis), rows)
	end := min(l.offset+rows, len(vis))
	if len(vis) > rows {
		if l.offset > 0 {
			lines = append(lines, st.Muted.Render(fmt.Sprintf("  ↑ %d more", l.offset)))
		} else {
			lines = append(lines, "")
		}
	}
	for i := l.offset; i < end; i++ {
		im := vis[i]
		line := text.Truncate(text.Sanitize(im.Ref())+"  "+st.Muted.Render(text.Sanitize(im.Description)), width-2)
		if i == l.cursor {
			lines = append(lines, "> "+st.Selected.Render(line))
		} else {
			lines = append(lines, "  "+line)
		}
	}
	if len(vis) > rows {
		if n := len(vis) - end; n > 0 {
			lines = append(lines, st.Muted.Render(fmt.Sprintf("  ↓ %d more", n)))
		} else {
			lines = append(lines, "")
		}
	}
	km := &l.ctx.Keys
	lines = append(lines, st.Muted.Render(text.Truncate("type to filter · ↑/↓ home/end · "+
		keys.Hint(keys.H("choose", km.Confirm), keys.H("back", km.Back)), width)))
	return strings.Join(lines, "\n")
}
