package sim

import (
	"cmp"
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"matui/model"
)

// Gen 2 handlers (/v1/{project_id}/notebooks, /images). Every handler
// validates the whole request before it changes anything, so a rejected
// request leaves the state exactly as it was.

var gen2Statuses = []string{"INIT", "CREATING", "STARTING", "RUNNING", "STOPPING", "STOPPED", "SNAPSHOTTING",
	"DELETING", "DELETED", "CREATE_FAILED", "START_FAILED", "DELETE_FAILED", "ERROR", "FROZEN"}

// gen2SortKeys are the fields sort_key accepts; anything else is
// ModelArts.6303 (reference §3.1).
var gen2SortKeys = []string{"name", "create_at", "update_at", "status"}

// listNotebooks serves GET /notebooks: the caller's own instances.
func listNotebooks(c *call) (any, *apiError) { return c.st.listNB(c, false) }

// listAllNotebooks serves GET /notebooks/all (SDK ListAllNotebooks):
// every user's instances, for the account's administrator (reference
// §3.1). Other users are refused with HTTP 403 ModelArts.0108 ("not
// authorized for operation", §6.2): the reference documents no answer of
// its own for this case, and 0108 is the service's code for an API the
// user's permissions do not cover.
func listAllNotebooks(c *call) (any, *apiError) {
	if !c.st.admin {
		return nil, &apiError{status: http.StatusForbidden, code: "ModelArts.0108",
			msg: "Not authorized for operation ListAllNotebooks: only the account administrator may list every user's notebooks."}
	}
	return c.st.listNB(c, true)
}

// listNB implements both lists.
//
// Pagination: offset (default 0) and limit. The SDK documents limit values
// 10, 20 and 50; the simulator accepts any limit in 1–100 (default 10) so
// that clients using other page sizes keep working. "current" is the
// 0-based page index offset/limit (golangsdk treats it as 0-based,
// reference §8.9), "size" the page size (limit), "pages" ceil(total/limit).
// Filters: feature (default NOTEBOOK: CodeLab instances only appear with
// feature=DEFAULT), status, name (case-insensitive substring), pool_id,
// workspace_id / workspaceId, the SDK-only flavor, image_id and id, and tags
// (tags.go).
// Sorting: sort_key (comma-separated name, create_at, update_at, status;
// default create_at), sort_dir ASC or DESC (default DESC).
func (st *state) listNB(c *call, all bool) (any, *apiError) {
	q := c.query
	limit, e := qInt(q, "limit", 10, 1, 100)
	if e != nil {
		return nil, e
	}
	offset, e := qInt(q, "offset", 0, 0, 1<<30)
	if e != nil {
		return nil, e
	}
	feature := strings.ToUpper(q.Get("feature"))
	switch feature {
	case "":
		feature = "NOTEBOOK"
	case "NOTEBOOK", "DEFAULT":
	default:
		return nil, badQuery("feature", q.Get("feature"), "DEFAULT or NOTEBOOK")
	}
	status := q.Get("status")
	if status != "" && !slices.Contains(gen2Statuses, status) {
		return nil, badQuery("status", status, strings.Join(gen2Statuses, ", "))
	}
	name := q.Get("name")
	if utf8.RuneCountInString(name) > 128 {
		return nil, badQuery("name", name, "at most 128 characters")
	}
	name = strings.ToLower(name)
	sortKey := q.Get("sort_key")
	if sortKey == "" {
		sortKey = "create_at"
	}
	keys := strings.Split(sortKey, ",")
	for _, k := range keys {
		if !slices.Contains(gen2SortKeys, k) {
			return nil, errf("ModelArts.6303", "The field %s does not support sorting.", k)
		}
	}
	desc := true
	switch strings.ToUpper(q.Get("sort_dir")) {
	case "", "DESC":
	case "ASC":
		desc = false
	default:
		return nil, badQuery("sort_dir", q.Get("sort_dir"), "ASC or DESC")
	}
	ws := q.Get("workspace_id")
	if ws == "" {
		ws = q.Get("workspaceId") // the OTC doc's spelling (reference §8.8)
	}
	pool, flv, img, id := q.Get("pool_id"), q.Get("flavor"), q.Get("image_id"), q.Get("id")
	tagged, e := tagFilter(q.Get("tags"))
	if e != nil {
		return nil, e
	}

	owner := q.Get("owner")
	if owner != "" && !isUserID(owner) {
		return nil, badQuery("owner", owner, "a user ID of 32 lowercase letters and digits")
	}
	if !st.admin {
		owner = "" // "effective only for the admin/master account" (§3.1)
	}
	mine := owner == "" && !all
	match := func(nb *notebook) bool {
		return nb.feature == feature &&
			(owner == "" || nb.owner.ID == owner) &&
			(!mine || nb.owner == st.me) &&
			(status == "" || nb.status == status) &&
			(name == "" || strings.Contains(strings.ToLower(nb.name), name)) &&
			(pool == "" || nb.poolID == pool) &&
			(ws == "" || nb.workspace == ws) &&
			(flv == "" || nb.flavor == flv) &&
			(img == "" || nb.imageID == img) &&
			(id == "" || nb.id == id) &&
			(tagged == nil || tagged(nb))
	}
	order := st.nbOrder(sortKey, keys)
	n := len(order)
	env := listEnvelope[notebookResp]{Data: []notebookResp{}, Size: limit, Current: offset / limit}
	// Filtered by feature and owner only (what matui asks for), the total
	// is counted already, and the page is read off the order without
	// looking further than it reaches (index.go).
	counted := status == "" && name == "" && pool == "" && ws == "" && flv == "" && img == "" && id == "" && tagged == nil
	if counted {
		env.Total = st.counts().total(feature, owner, all, st.me)
	}
	seen := 0
	for i := 0; i < n && !(counted && seen >= offset+limit); i++ {
		nb := order[i]
		if desc {
			nb = order[n-1-i]
		}
		if match(nb) {
			if seen >= offset && seen < offset+limit {
				env.Data = append(env.Data, st.renderNB(nb, c.now))
			}
			seen++
		}
	}
	if !counted {
		env.Total = seen
	}
	env.Pages = (env.Total + limit - 1) / limit
	return env, nil
}

// nbOrder returns the notebooks in ascending sort order. Creation order is
// the order st.nbs is kept in; update_at and name have indexes kept up to
// date (index.go); other keys and combinations are sorted once and cached
// until something changes (st.rev).
func (st *state) nbOrder(sortKey string, keys []string) []*notebook {
	switch sortKey {
	case "create_at":
		return st.nbs
	case "update_at":
		return st.byUpdate.order(st)
	case "name":
		return st.byName.order(st)
	}
	if v := st.sorted[sortKey]; v != nil && v.rev == st.rev {
		return v.order
	}
	order := slices.Clone(st.nbs)
	slices.SortStableFunc(order, func(a, b *notebook) int {
		for _, k := range keys {
			var r int
			switch k {
			case "name":
				r = cmp.Compare(a.name, b.name)
			case "create_at":
				r = cmpNBCreate(a, b)
			case "update_at":
				r = cmp.Compare(a.updateAt, b.updateAt)
			case "status":
				r = cmp.Compare(a.status, b.status)
			}
			if r != 0 {
				return r
			}
		}
		return 0 // stable: ties stay in creation order
	})
	st.sorted[sortKey] = &sortedView{rev: st.rev, order: order}
	return order
}

// isUserID reports a user ID as the owner filter takes it: 32 lowercase
// letters and digits (§3.1).
func isUserID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func (st *state) findNB(id string) (*notebook, *apiError) {
	nb := st.nbByID[id]
	if nb == nil {
		return nil, errf("ModelArts.6404", "Notebook not found")
	}
	return nb, nil
}

func showNotebook(c *call) (any, *apiError) {
	nb, e := c.st.findNB(c.id)
	if e != nil {
		return nil, e
	}
	return c.st.renderNB(nb, c.now), nil
}

// parseLeaseType maps the request spelling (timing/idle, any case) to the
// response spelling.
func parseLeaseType(field, t string) (string, *apiError) {
	switch strings.ToUpper(t) {
	case "", "TIMING":
		return "TIMING", nil
	case "IDLE":
		return "IDLE", nil
	}
	return "", errf("ModelArts.6336", "The '%s' property value is incorrect: %q is not timing or idle.", field, t)
}

func checkLeaseMs(d int64) *apiError {
	if err := model.ValidateLeaseMillis(d); err != nil {
		return errf("ModelArts.6349", "The duration must be in the range of 3600000 to 259200000.")
	}
	return nil
}

// checkCustomSpec validates a custom_spec against the dedicated pool: it
// needs a CPU or GPU pool (seed 002), and must fit on one node.
func (st *state) checkCustomSpec(cs *model.CustomSpec, poolID string) *apiError {
	if poolID == "" {
		return errf("ModelArts.6336", "The 'custom_spec' parameter is only supported for instances on a dedicated pool (pool_id).")
	}
	cl := st.cat.dedicatedPool(poolID)
	if cl == nil || cl.categories != "CPU" && cl.categories != "GPU" {
		return errf("ModelArts.6336", "The 'custom_spec' parameter is only supported on CPU or GPU dedicated pools; pool %s is not one.", poolID)
	}
	var gpu float64
	if cs.GPU != nil {
		gpu = *cs.GPU
	}
	for _, n := range cl.Nodes {
		if cs.CPU <= float64(n.VCPUs) && cs.Memory <= float64(n.MemoryMiB) && gpu <= float64(n.GPUs) {
			return nil
		}
	}
	return errf("ModelArts.6336", "The 'custom_spec' property value is incorrect: no node of pool %s has %g CPUs, %g MiB and %g GPUs.",
		poolID, cs.CPU, cs.Memory, gpu)
}

// customCategory is the pseudo flavor a custom_spec instance runs on, for
// image compatibility checks.
func customCategory(cs *model.CustomSpec) *flavor {
	f := &flavor{ID: customFlavor, Arch: "x86_64", Category: "CPU", Feature: "NOTEBOOK", Storages: []string{"EVS", "EFS", "OBS", "OBSFS"}}
	if cs.GPU != nil && *cs.GPU > 0 || strings.EqualFold(cs.Category, "GPU") {
		f.Category = "GPU"
	}
	if strings.EqualFold(cs.Arch, "AARCH64") {
		f.Arch = "aarch64"
	}
	return f
}

// flavorOf is the flavor nb runs on: its catalog flavor, or the pseudo
// flavor of its custom_spec.
func (st *state) flavorOf(nb *notebook) *flavor {
	if nb.customSpec != nil {
		return customCategory(nb.customSpec)
	}
	return st.cat.flavorsBy[nb.flavor]
}

func (st *state) checkImage(imageID string, f *flavor) (*image, *apiError) {
	im := st.imageByID(imageID)
	if im == nil {
		return nil, errf("ModelArts.6797", "Image %s not found.", imageID)
	}
	if im.statusAt(st.lastNow) != model.ImageActive {
		return nil, imageNotReady(im, st.lastNow)
	}
	if !im.supports(f) {
		return nil, errf("ModelArts.6336", "The 'image_id' property value is incorrect: image %s (%s, %s) cannot run on flavor %s (%s, %s).",
			im.Name, im.Arch, strings.Join(im.ResourceCategories, "/"), f.ID, f.Arch, f.Category)
	}
	return im, nil
}

// pool/affinity rule: affinity schedules onto labelled nodes of a dedicated
// pool, so it is rejected (ModelArts.6336) on an instance without pool_id.
func affinityNeedsPool() *apiError {
	return errf("ModelArts.6336", "The 'affinity' parameter is only supported for instances on a dedicated pool (pool_id).")
}

// createNotebook serves POST /notebooks. Rules beyond model's Validate:
// unknown flavor 6323, flavor of another feature 6870, sold-out flavor
// 6716 (Gen 2 has no queue status, so sold-out free flavors are rejected
// too; Gen 1 queues them), unknown image 6797, image/flavor mismatch
// 6336, storage not offered by the flavor 6324, unknown pool 6336,
// affinity without pool 6336, a second CodeLab instance 6302.
func createNotebook(c *call) (any, *apiError) {
	st := c.st
	var req model.CreateNotebookRequest
	if e := decode(c.body, &req); e != nil {
		return nil, e
	}
	// The legacy top-level duration (reference §3.3) is not part of
	// model's request type: if present it wins over lease and forces
	// timing; -1 disables auto-stop (Terraform does this).
	var legacy struct {
		Duration *int64 `json:"duration"`
	}
	if e := decode(c.body, &legacy); e != nil {
		return nil, e
	}
	if err := req.Validate(); err != nil {
		return nil, validationError(err, map[string]string{"name": req.Name, "description": req.Description})
	}
	feature := req.Feature
	if feature == "" {
		feature = "NOTEBOOK"
	}
	var pool *cluster
	if req.PoolID != "" {
		var e *apiError
		if pool, e = st.poolForCreate(req.PoolID, c.now); e != nil {
			return nil, e
		}
	}
	var f *flavor
	if req.CustomSpec != nil {
		if e := st.checkCustomSpec(req.CustomSpec, req.PoolID); e != nil {
			return nil, e
		}
		f = customCategory(req.CustomSpec)
	} else {
		f = st.cat.flavorsBy[req.Flavor]
		if f == nil || !f.Gen2 {
			return nil, errf("ModelArts.6323", "The flavor %s is not supported.", req.Flavor)
		}
		if f.Feature != feature {
			return nil, errf("ModelArts.6870", "Flavor %s does not support feature %s.", f.ID, feature)
		}
		if f.SoldOut {
			return nil, errf("ModelArts.6716", "The specified flavor %s is sold out.", f.ID)
		}
		if pool != nil && !pool.offers(f.ID) {
			return nil, errf("ModelArts.6323", "The flavor %s is not supported on dedicated pool %s.", f.ID, req.PoolID)
		}
	}
	im, e := st.checkImage(req.ImageID, f)
	if e != nil {
		return nil, e
	}
	cat := strings.ToUpper(req.Volume.Category)
	if !slices.Contains(f.Storages, cat) {
		return nil, errf("ModelArts.6324", "The storage type %s is not supported by flavor %s.", cat, f.ID)
	}
	if a := req.Affinity; a != nil && (len(a.Required) > 0 || len(a.Preferred) > 0) && req.PoolID == "" {
		return nil, affinityNeedsPool()
	}
	for _, ep := range req.Endpoints {
		if ep.Service == "SSH" && !slices.Contains(im.DevServices, "SSH") {
			return nil, errf("ModelArts.6768", "Image %s does not support SSH.", im.Name)
		}
	}
	reqDur, reqType := defaultLease, "TIMING"
	switch {
	case legacy.Duration != nil:
		reqDur = *legacy.Duration
		if reqDur != -1 {
			if e := checkLeaseMs(reqDur); e != nil {
				return nil, e
			}
		}
	case req.Lease != nil:
		if req.Lease.Duration != 0 {
			reqDur = req.Lease.Duration
		}
		if reqType, e = parseLeaseType("lease.type", req.Lease.Type); e != nil {
			return nil, e
		}
	}
	if feature == "DEFAULT" && st.myCodeLab() != nil {
		return nil, errf("ModelArts.6302", "The number of instances has reached the maximum: only one CodeLab (DEFAULT) instance is allowed per user.")
	}

	// Everything is valid: create.
	capacity := req.Volume.Capacity
	if capacity == 0 {
		switch cat {
		case "EVS":
			capacity = 5
		case "EFS", "SFS":
			capacity = 50
		}
	}
	mount := req.Volume.MountPath
	if mount == "" {
		mount = "/home/ma-user/work/"
	}
	nb := &notebook{
		id: st.uuid(), name: req.Name, desc: req.Description, feature: feature, flavor: f.ID,
		customSpec: req.CustomSpec, imageID: im.ID, owner: st.me, workspace: cmp.Or(req.WorkspaceID, "0"),
		createAt: c.now, token: st.uuid(), reqDuration: reqDur, reqType: reqType,
		volume: volume{category: cat, ownership: strings.ToUpper(req.Volume.Ownership), capacity: capacity,
			mountPath: mount, uri: req.Volume.URI, id: req.Volume.ID, readOnly: req.Volume.ReadOnly},
		endpoints: slices.Clone(req.Endpoints), poolID: req.PoolID, hooks: req.Hooks,
	}
	if req.Affinity != nil {
		nb.affinity = model.Affinity{Required: slices.Clone(req.Affinity.Required), Preferred: slices.Clone(req.Affinity.Preferred)}
	}
	// A disabled lease (-1) keeps the default duration on record, so a
	// later renew or start has a sensible value to re-base.
	nb.lease = lease{createAt: c.now, duration: defaultLease, enable: reqDur >= 0, typ: reqType, updateAt: c.now}
	if reqDur > 0 {
		nb.lease.duration = reqDur
	}
	nb.failCreate = failMarker(req.Name, "create") || st.takeFailNext("create") || c.fail
	nb.setStatus("CREATING", c.now)
	st.addNB(nb)
	st.settleNB(nb, c.now)
	return st.renderNB(nb, c.now), nil
}

func (st *state) myCodeLab() *notebook {
	for _, nb := range st.nbs {
		if nb.feature == "DEFAULT" && nb.owner == st.me && nb.status != "DELETING" {
			return nb
		}
	}
	return nil
}

// openCodeLab serves POST /notebooks/open (seed 003). The reference says a
// user "can create only one" CodeLab instance; opening it again returns
// the existing instance unchanged instead of failing, which is what
// "open" means to the console. A new one is feature DEFAULT on
// modelarts.vm.cpu.free with the multi-kernel CPU image unless image_id
// says otherwise; its lease has no type, as in the seed's sample.
func openCodeLab(c *call) (any, *apiError) {
	st := c.st
	var req model.OpenCodeLabRequest
	if e := decode(c.body, &req); e != nil {
		return nil, e
	}
	if req.ShareURL != "" {
		if _, err := base64.StdEncoding.DecodeString(req.ShareURL); err != nil {
			if _, err2 := base64.URLEncoding.DecodeString(req.ShareURL); err2 != nil {
				return nil, errf("ModelArts.6336", "The 'share_url' property value is incorrect: it must be the base64 encoding of a URL.")
			}
		}
	}
	if nb := st.myCodeLab(); nb != nil {
		return st.renderNB(nb, c.now), nil
	}
	f := st.cat.flavorsBy["modelarts.vm.cpu.free"]
	imageID := cmp.Or(req.ImageID, st.cat.defaultCodeLabImage)
	im, e := st.checkImage(imageID, f)
	if e != nil {
		return nil, e
	}
	nb := &notebook{
		id: st.uuid(), name: "notebook_" + randHex(st.rng, 8), feature: "DEFAULT", flavor: f.ID, imageID: im.ID,
		owner: st.me, workspace: "0", createAt: c.now, token: st.uuid(), reqDuration: defaultLease, reqType: "TIMING",
		volume: volume{category: "EFS", ownership: "MANAGED", capacity: 50, mountPath: "/home/ma-user/work/"},
		lease:  lease{createAt: c.now, duration: defaultLease, enable: true, updateAt: c.now},
	}
	nb.failCreate = st.takeFailNext("create")
	nb.setStatus("CREATING", c.now)
	st.addNB(nb)
	st.settleNB(nb, c.now)
	return st.renderNB(nb, c.now), nil
}

// deleteNotebook serves DELETE /notebooks/{id}. Gen 2 deletes instances in
// any state, running ones included (reference §4.3); only a second delete
// is refused (6357). The instance shows DELETING, then is gone (6404).
func deleteNotebook(c *call) (any, *apiError) {
	nb, e := c.st.findNB(c.id)
	if e != nil {
		return nil, e
	}
	if nb.status == "DELETING" {
		return nil, statusConflict(gen2, "delete", nb.status)
	}
	nb.setStatus("DELETING", c.now)
	nb.resizeUntil = 0
	nb.unmountAll(c.now)
	nb.abortSave(c.now)
	c.st.changed(nb, c.now)
	c.st.settleNB(nb, c.now)
	return c.st.renderNB(nb, c.now), nil
}

// queryDuration reads the duration query parameter of start and renew.
func queryDuration(c *call, allowDisable bool) (d int64, set bool, e *apiError) {
	v := c.query.Get("duration")
	if v == "" {
		return 0, false, nil
	}
	d, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, errf("ModelArts.6332", "The type of parameter 'duration' is incorrect: %q is not an integer.", v)
	}
	if d == -1 && allowDisable {
		return d, true, nil
	}
	return d, true, checkLeaseMs(d)
}

// startNotebook serves POST /notebooks/{id}/start?duration=&type=. From
// STOPPED or START_FAILED only: RUNNING, CREATING, … 6357; STARTING 6306;
// STOPPING 6308. duration defaults to 3,600,000 ms, -1 disables auto-stop.
// A flavor that sold out meanwhile cannot start (6360).
func startNotebook(c *call) (any, *apiError) {
	st := c.st
	nb, e := st.findNB(c.id)
	if e != nil {
		return nil, e
	}
	d, set, e := queryDuration(c, true)
	if e != nil {
		return nil, e
	}
	if !set {
		d = defaultLease
	}
	typ, e := parseLeaseType("type", c.query.Get("type"))
	if e != nil {
		return nil, e
	}
	if nb.status != "STOPPED" && nb.status != "START_FAILED" {
		return nil, statusConflict(gen2, "start", nb.status)
	}
	if f := st.cat.flavorsBy[nb.flavor]; f != nil && f.SoldOut {
		return nil, errf("ModelArts.6360", "Failed to start the instance: insufficient backend resources (flavor %s is sold out).", f.ID)
	}
	nb.reqDuration, nb.reqType = d, typ
	nb.setStatus("STARTING", c.now)
	nb.failReason = ""
	nb.token = st.uuid()
	nb.failStart = nb.failStart || failMarker(nb.name, "start") || st.takeFailNext("start") || c.fail
	nb.rebaseLease(c.now) // the start response already carries the re-based lease (reference §3.6)
	st.changed(nb, c.now)
	st.settleNB(nb, c.now)
	return st.renderNB(nb, c.now), nil
}

// stopNotebook serves POST /notebooks/{id}/stop: RUNNING only (STOPPED and
// others 6357, STARTING 6306, STOPPING 6308). The lease is re-based to the
// stop time, as in the reference's sample.
func stopNotebook(c *call) (any, *apiError) {
	st := c.st
	nb, e := st.findNB(c.id)
	if e != nil {
		return nil, e
	}
	if nb.status != "RUNNING" {
		return nil, statusConflict(gen2, "stop", nb.status)
	}
	nb.setStatus("STOPPING", c.now)
	nb.unmountAll(c.now)
	if nb.lease.enable {
		nb.rebaseLease(c.now)
	}
	st.changed(nb, c.now)
	st.settleNB(nb, c.now)
	return st.renderNB(nb, c.now), nil
}

func renderLease(l lease) leaseResp {
	return leaseResp{CreateAt: l.createAt, Duration: l.duration, Enable: l.enable, Type: l.typ, UpdateAt: l.updateAt}
}

func showLease(c *call) (any, *apiError) {
	nb, e := c.st.findNB(c.id)
	if e != nil {
		return nil, e
	}
	return renderLease(nb.lease), nil
}

// renewLease serves PATCH /notebooks/{id}/lease: RUNNING only (6327). The
// new expiry is now + duration (a reset, not an addition); a duration in
// the query wins over the body and forces timing.
func renewLease(c *call) (any, *apiError) {
	st := c.st
	nb, e := st.findNB(c.id)
	if e != nil {
		return nil, e
	}
	var body model.LeaseReq
	if e := decode(c.body, &body); e != nil {
		return nil, e
	}
	d, set, e := queryDuration(c, false)
	if e != nil {
		return nil, e
	}
	typ := "TIMING"
	if !set {
		d = defaultLease
		if body.Duration != 0 {
			d = body.Duration
			if e := checkLeaseMs(d); e != nil {
				return nil, e
			}
		}
		if typ, e = parseLeaseType("type", body.Type); e != nil {
			return nil, e
		}
	}
	if nb.status != "RUNNING" {
		return nil, errf("ModelArts.6327", "The instance is not running (status %s); only a running instance's lease can be renewed.", nb.status)
	}
	nb.reqDuration, nb.reqType = d, typ
	nb.rebaseLease(c.now)
	st.changed(nb, c.now)
	st.settleNB(nb, c.now)
	return renderLease(nb.lease), nil
}

// updateNotebook serves PUT /notebooks/{id}. name, description,
// storage_new_size and hooks may change while RUNNING (Terraform's
// behaviour, reference §4.3) as well as STOPPED / START_FAILED; flavor,
// image_id, endpoints, affinity and custom_spec only while STOPPED or
// START_FAILED (seed 002). Otherwise ModelArts.6347 with the documented
// template; STARTING 6306, STOPPING 6308.
//
// A member that repeats the current value is not a change and is accepted
// in any status (update_change.go says what "the same" means per member):
// the Terraform provider renames a running notebook by sending name,
// description and its unchanged SSH endpoints, and changes a stopped
// one's flavor by sending flavor, image_id and storage_new_size, the last
// two usually unchanged. An update that changes nothing changes nothing,
// update_at included. Seed 002's "no modification" affinity forms (a null
// affinity, null lists) are such no-ops, and so is clearing the rules of a
// notebook that has none.
//
// storage_new_size: equal to the current capacity is not a change, for EVS
// and for any other volume (Terraform sends volume.size, which for an EFS
// notebook is its capacity); a different size grows an EVS volume (grow
// only, at most 4,096 GB: 6331; not while RESIZING: 6357) and is refused
// for any other category (6336), because seed 002 defines the member as
// "EVS instance capacity that can be expanded dynamically".
func updateNotebook(c *call) (any, *apiError) {
	st := c.st
	var req model.UpdateNotebookRequest
	if e := decode(c.body, &req); e != nil {
		return nil, e
	}
	if err := req.Validate(); err != nil {
		raw := map[string]string{}
		if req.Name != nil {
			raw["name"] = *req.Name
		}
		if req.Description != nil {
			raw["description"] = *req.Description
		}
		return nil, validationError(err, raw)
	}
	nb, e := st.findNB(c.id)
	if e != nil {
		return nil, e
	}
	switch nb.status {
	case "STARTING", "STOPPING":
		return nil, statusConflict(gen2, "update", nb.status)
	}
	ch := changesOf(nb, &req)
	stopped := nb.status == "STOPPED" || nb.status == "START_FAILED"
	running := stopped || nb.status == "RUNNING"
	for _, r := range []struct {
		name    string
		changed bool
	}{{"flavor", ch.flavor}, {"image_id", ch.image}, {"endpoints", ch.endpoints},
		{"affinity", ch.affinity}, {"custom_spec", ch.customSpec}} {
		if r.changed && !stopped {
			return nil, cannotModify(nb.status, r.name)
		}
	}
	for _, r := range []struct {
		name    string
		changed bool
	}{{"name", ch.name}, {"description", ch.desc}, {"storage_new_size", ch.size}, {"hooks", ch.hooks}} {
		if r.changed && !running {
			return nil, cannotModify(nb.status, r.name)
		}
	}

	// Resolve the flavor the instance will have, then check the image
	// against it.
	cur := st.flavorOf(nb)
	target, newFlavor := cur, ""
	if ch.flavor {
		f := st.cat.flavorsBy[*req.Flavor]
		if f == nil || !f.Gen2 {
			return nil, errf("ModelArts.6323", "The flavor %s is not supported.", *req.Flavor)
		}
		if nb.customSpec != nil || !slices.Contains(st.cat.switchable(cur), f) {
			return nil, errf("ModelArts.6792", "Cannot switch instance %s to flavor %s.", nb.id, f.ID)
		}
		target, newFlavor = f, f.ID
	}
	if ch.customSpec {
		if e := st.checkCustomSpec(req.CustomSpec, nb.poolID); e != nil {
			return nil, e
		}
		target = customCategory(req.CustomSpec)
	}
	imageID := nb.imageID
	if ch.image {
		imageID = *req.ImageID
	}
	if ch.image || target != cur {
		if _, e := st.checkImage(imageID, target); e != nil {
			return nil, e
		}
	}
	if ch.size {
		if nb.volume.category != "EVS" {
			return nil, errf("ModelArts.6336", "The 'storage_new_size' parameter only applies to EVS volumes; this instance uses %s (%d GB).",
				nb.volume.category, nb.volume.capacity)
		}
		if nb.volume.status == "RESIZING" {
			return nil, errf("ModelArts.6357", "The update operation is not allowed: the volume is being resized.")
		}
		if err := model.ValidateEVSGrow(nb.volume.capacity, *req.StorageNewSize); err != nil {
			return nil, errf("ModelArts.6331", "The EVS size must be in the range of %d to 4096 GB: %v.", nb.volume.capacity+1, err)
		}
	}
	if ch.affinity && nb.poolID == "" {
		return nil, affinityNeedsPool()
	}
	if !ch.any() {
		return st.renderNB(nb, c.now), nil
	}

	// Everything is valid: apply what changes.
	if ch.name {
		nb.name = *req.Name
	}
	if ch.desc {
		nb.desc = *req.Description
	}
	if newFlavor != "" {
		nb.flavor, nb.customSpec = newFlavor, nil
	}
	if ch.customSpec {
		nb.flavor, nb.customSpec = customFlavor, req.CustomSpec
	}
	nb.imageID = imageID
	if ch.endpoints {
		nb.endpoints = slices.Clone(req.Endpoints)
	}
	if ch.hooks {
		nb.hooks = req.Hooks
	}
	if ch.size {
		nb.volume.capacity = *req.StorageNewSize
		nb.volume.status = "RESIZING" // EVS growth shows RESIZING while the instance keeps working
		nb.resizeUntil = c.now + resizeMs
	}
	if ch.affinity {
		// Apply copies the lists it takes, so the stored rules never
		// alias the request.
		nb.affinity = req.Affinity.Apply(nb.affinity)
	}
	st.changed(nb, c.now)
	st.settleNB(nb, c.now)
	return st.renderNB(nb, c.now), nil
}

// listFlavors serves GET /notebooks/flavors: filters category
// (CPU/GPU/ASCEND), type (MANAGED, DEDICATED = offered on the dedicated
// pool), feature (default NOTEBOOK), flavor_type; limit (default
// unlimited) / offset.
func listFlavors(c *call) (any, *apiError) {
	q := c.query
	category := strings.ToUpper(q.Get("category"))
	switch category {
	case "", "CPU", "GPU", "ASCEND":
	default:
		return nil, badQuery("category", q.Get("category"), "CPU, GPU or ASCEND")
	}
	typ := strings.ToUpper(q.Get("type"))
	switch typ {
	case "", "MANAGED", "DEDICATED", "MANAGED_ROMA", "DEDICATED_ROMA":
	default:
		return nil, badQuery("type", q.Get("type"), "MANAGED or DEDICATED")
	}
	feature := strings.ToUpper(cmp.Or(q.Get("feature"), "NOTEBOOK"))
	if feature != "NOTEBOOK" && feature != "DEFAULT" {
		return nil, badQuery("feature", q.Get("feature"), "DEFAULT or NOTEBOOK")
	}
	ft := q.Get("flavor_type")
	var out []*flavor
	for _, f := range c.st.cat.flavors {
		if !f.Gen2 || f.Feature != feature ||
			category != "" && f.Category != category ||
			typ == "DEDICATED" && !f.Dedicated || strings.HasSuffix(typ, "_ROMA") ||
			ft != "" && f.FlavorType != ft {
			continue
		}
		out = append(out, f)
	}
	return pageFlavors(c, out)
}

func pageFlavors(c *call, fs []*flavor) (any, *apiError) {
	limit, e := qInt(c.query, "limit", 0, 0, 1<<30)
	if e != nil {
		return nil, e
	}
	offset, e := qInt(c.query, "offset", 0, 0, 1<<30)
	if e != nil {
		return nil, e
	}
	total := len(fs)
	fs = fs[min(offset, total):]
	if limit > 0 && len(fs) > limit {
		fs = fs[:limit]
	}
	data := make([]flavorResp, len(fs))
	for i, f := range fs {
		data[i] = renderFlavor(f)
	}
	env := flavorEnvelope{listEnvelope: listEnvelope[flavorResp]{Data: data, Total: total, Size: len(data)}}
	// Both data and flavors carry the items (reference §8.10).
	env.Flavors = slices.Clone(data)
	if limit > 0 {
		env.Current, env.Pages = offset/limit, (total+limit-1)/limit
	} else if total > 0 {
		env.Pages = 1
	}
	return env, nil
}

// switchableFlavors serves GET /notebooks/{id}/flavors: same category,
// architecture and feature, on sale, not free, not the current flavor. A
// custom_spec instance has none.
func switchableFlavors(c *call) (any, *apiError) {
	nb, e := c.st.findNB(c.id)
	if e != nil {
		return nil, e
	}
	var fs []*flavor
	if nb.customSpec == nil {
		fs = c.st.cat.switchable(c.st.cat.flavorsBy[nb.flavor])
	}
	return pageFlavors(c, fs)
}

// listImages serves GET /images: limit (default 200, at most 1,000),
// offset, name with name_fuzzy_match (default true: case-insensitive
// substring; false: exact), namespace, service_type, workspace_id, and
// type — which, as the SDK documents, defaults to BUILD_IN, so private
// (DEDICATED) images only appear with type=DEDICATED.
func listImages(c *call) (any, *apiError) {
	q := c.query
	limit, e := qInt(q, "limit", 200, 1, 1000)
	if e != nil {
		return nil, e
	}
	offset, e := qInt(q, "offset", 0, 0, 1<<30)
	if e != nil {
		return nil, e
	}
	fuzzy := true
	switch strings.ToLower(q.Get("name_fuzzy_match")) {
	case "", "true":
	case "false":
		fuzzy = false
	default:
		return nil, badQuery("name_fuzzy_match", q.Get("name_fuzzy_match"), "true or false")
	}
	typ := strings.ToUpper(cmp.Or(q.Get("type"), "BUILD_IN"))
	if typ != "BUILD_IN" && typ != "DEDICATED" {
		return nil, badQuery("type", q.Get("type"), "BUILD_IN or DEDICATED")
	}
	st := strings.ToUpper(q.Get("service_type"))
	switch st {
	case "", "COMMON", "INFERENCE", "TRAIN", "DEV", "UNKNOWN":
	default:
		return nil, badQuery("service_type", q.Get("service_type"), "COMMON, INFERENCE, TRAIN, DEV or UNKNOWN")
	}
	name, ns, ws := q.Get("name"), q.Get("namespace"), q.Get("workspace_id")
	env := listEnvelope[imageResp]{Data: []imageResp{}, Size: limit, Current: offset / limit}
	for im := range c.st.allImages {
		if im.Type != typ || st != "" && im.ServiceType != st || ns != "" && im.Namespace != ns || ws != "" && ws != cmp.Or(im.WorkspaceID, "0") ||
			name != "" && (fuzzy && !strings.Contains(strings.ToLower(im.Name), strings.ToLower(name)) || !fuzzy && im.Name != name) {
			continue
		}
		if env.Total >= offset && env.Total < offset+limit {
			env.Data = append(env.Data, renderImage(im, c.now))
		}
		env.Total++
	}
	env.Pages = (env.Total + limit - 1) / limit
	return env, nil
}

func showImage(c *call) (any, *apiError) {
	im := c.st.imageByID(c.id)
	if im == nil {
		return nil, errf("ModelArts.6797", "Image %s not found.", c.id)
	}
	return renderImage(im, c.now), nil
}
