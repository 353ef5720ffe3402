package sim

import (
	"cmp"
	"slices"
	"strings"

	"matui/model"
)

// Gen 1 handlers (/v1/{project_id}/demanager/instances). Errors use the
// Gen 1 body {error_code, error_message}; not-found is ModelArts.6309.

var gen1Statuses = []string{"CREATING", "CREATE_FAILED", "STARTING", "RESTARTING", "START_FAILED", "RUNNING",
	"STOPPING", "STOPPED", "UNAVAILABLE", "DELETED", "RESIZING", "RESIZE_FAILED", "CREATE_QUEUING",
	"START_QUEUING", "READY_TO_START"}

func (st *state) findDev(id string) (*dev, *apiError) {
	d := st.devBy[id]
	if d == nil {
		return nil, errf("ModelArts.6309", "The instance does not exist.")
	}
	return d, nil
}

// listDevs serves GET /demanager/instances. de_type=Notebook is required
// (6335 when missing, 6336 otherwise); provision_type only Docker; status;
// sortby name (default) or creation_timestamp (else 6303); order asc
// (default) or desc; offset; limit (0, the default, returns everything);
// pool_id; workspace_id; show_self (default true: only the caller's).
func listDevs(c *call) (any, *apiError) {
	st, q := c.st, c.query
	switch dt := q.Get("de_type"); dt {
	case "Notebook":
	case "":
		return nil, errf("ModelArts.6335", "'de_type' is a required property.")
	default:
		return nil, errf("ModelArts.6336", "The 'de_type' property value %q is incorrect: only Notebook is supported.", dt)
	}
	if pt := q.Get("provision_type"); pt != "" && pt != "Docker" {
		return nil, errf("ModelArts.6336", "The 'provision_type' property value %q is incorrect: only Docker is supported.", pt)
	}
	status := q.Get("status")
	if status != "" && !slices.Contains(gen1Statuses, status) {
		return nil, errf("ModelArts.6336", "The 'status' property value %q is incorrect.", status)
	}
	sortBy := cmp.Or(q.Get("sortby"), "name")
	if sortBy != "name" && sortBy != "creation_timestamp" {
		return nil, errf("ModelArts.6303", "The field %s does not support sorting.", sortBy)
	}
	desc := false
	switch q.Get("order") {
	case "", "asc":
	case "desc":
		desc = true
	default:
		return nil, errf("ModelArts.6336", "The 'order' property value %q is incorrect: asc or desc.", q.Get("order"))
	}
	offset, e := qInt(q, "offset", 0, 0, 1<<30)
	if e != nil {
		return nil, e
	}
	limit, e := qInt(q, "limit", 0, 0, 1<<30)
	if e != nil {
		return nil, e
	}
	self := true
	switch q.Get("show_self") {
	case "", "true":
	case "false":
		self = !st.admin // only an administrator sees every user's instances
	default:
		return nil, errf("ModelArts.6336", "The 'show_self' property value %q is incorrect: true or false.", q.Get("show_self"))
	}
	pool, ws := q.Get("pool_id"), q.Get("workspace_id")

	order := st.devs
	if sortBy == "name" {
		order = st.devNameOrder()
	}
	out := devListResp{Instances: []devResp{}}
	n := len(order)
	for i := range n {
		d := order[i]
		if desc {
			d = order[n-1-i]
		}
		if self && d.owner != st.me || status != "" && d.status != status ||
			pool != "" && d.poolID != pool || ws != "" && ws != "0" {
			continue
		}
		if out.TotalCount >= offset && (limit == 0 || out.TotalCount < offset+limit) {
			out.Instances = append(out.Instances, st.renderDev(d, c.now))
		}
		out.TotalCount++
	}
	return out, nil
}

func (st *state) devNameOrder() []*dev {
	if v := st.devSort["name"]; v != nil && v.rev == st.devRev {
		return v.order
	}
	order := slices.Clone(st.devs)
	slices.SortStableFunc(order, func(a, b *dev) int { return cmp.Compare(a.name, b.name) })
	st.devSort["name"] = &sortedDevView{rev: st.devRev, order: order}
	return order
}

func getDev(c *call) (any, *apiError) {
	d, e := c.st.findDev(c.id)
	if e != nil {
		return nil, e
	}
	return c.st.renderDev(d, c.now), nil
}

// createDev serves POST /demanager/instances (seed 001). Beyond model's
// Validate: unknown profile 6336, unknown flavor 6323, profile/flavor type
// mismatch 6330, storage type not offered 6324, sold-out paid flavor 6329,
// unknown pool 6336, duplicate name 6301. A free, sold-out flavor queues:
// CREATE_QUEUING with queuing_info (rank, remain_time, end_timestamp),
// then CREATING, then RUNNING.
func createDev(c *call) (any, *apiError) {
	st := c.st
	var req model.CreateDevInstanceRequest
	if e := decode(c.body, &req); e != nil {
		return nil, e
	}
	if err := req.Validate(); err != nil {
		raw := map[string]string{"name": req.Name, "description": req.Description}
		if loc := req.Spec.Storage.Location; loc != nil {
			raw["spec.storage.location.path"] = loc.Path
		} else {
			raw["spec.storage.location.path"] = ""
		}
		if a := req.Spec.AutoStop; a != nil {
			raw["spec.auto_stop.duration"] = fmtRaw(a.Duration)
		}
		return nil, validationError(err, raw)
	}
	p := st.cat.resolveProfile(req.ProfileID)
	if p == nil {
		return nil, errf("ModelArts.6336", "The 'profile_id' property value is incorrect: profile %q does not exist.", req.ProfileID)
	}
	f := st.cat.flavorsBy[req.Flavor]
	if f == nil || !f.Gen1 {
		return nil, errf("ModelArts.6323", "The flavor %s is not supported.", req.Flavor)
	}
	if !slices.Contains(p.FlavorTypes, f.Gen1Type) {
		return nil, errf("ModelArts.6330", "The flavor type of profile %s (%s) does not match the type of flavor %s (%s).",
			p.Name, strings.Join(p.FlavorTypes, "/"), f.ID, f.Gen1Type)
	}
	if !slices.Contains(f.Gen1Storage, req.Spec.Storage.Type) {
		return nil, errf("ModelArts.6324", "The storage type %s is not supported by flavor %s.", req.Spec.Storage.Type, f.ID)
	}
	if f.SoldOut && !f.Free {
		return nil, errf("ModelArts.6329", "The flavor %s is sold out.", f.ID)
	}
	poolID := ""
	if req.Pool != nil {
		if req.Pool.ID != st.cat.pool.ID {
			return nil, errf("ModelArts.6336", "The 'pool.id' property value is incorrect: dedicated pool %s does not exist.", req.Pool.ID)
		}
		poolID = req.Pool.ID
	}
	for _, d := range st.devs {
		if d.owner == st.me && d.name == req.Name {
			return nil, errf("ModelArts.6301", "The instance %s already exists.", req.Name)
		}
	}

	storage := req.Spec.Storage
	if storage.Location != nil {
		loc := *storage.Location
		storage.Location = &loc
	}
	if storage.Type == "evs" {
		if storage.Location == nil {
			storage.Location = &model.DevLocation{}
		}
		storage.Location.Path = "/home/ma-user/work"
		if storage.Location.VolumeSize == 0 {
			storage.Location.VolumeSize = 5
		}
	}
	d := &dev{id: st.devID(), name: req.Name, desc: req.Description, flavor: f.ID, profile: p, owner: st.me,
		storage: storage, prompt: true, poolID: poolID, created: c.now, token: randHex(st.rng, 32)}
	if a := req.Spec.AutoStop; a != nil {
		d.autoStop = a.Enable != nil && *a.Enable
		if a.Duration != nil {
			d.duration = *a.Duration
		}
		if a.Prompt != nil {
			d.prompt = *a.Prompt
		}
	}
	d.failCreate = failMarker(req.Name, "create") || st.takeFailNext("create")
	if f.Free && f.SoldOut {
		st.enqueue(d, f, "CREATE_QUEUING", c.now)
	} else {
		d.setStatus("CREATING", c.now)
	}
	st.addDev(d)
	st.settleDev(d, c.now)
	return st.renderDev(d, c.now), nil
}

// modifyDev serves PUT /demanager/instances/{id} (seed 000): description
// and auto_stop. Refused while STARTING (6306) or STOPPING (6308). A
// duration (or enabling) on a RUNNING instance applies from the next start
// — stop_timestamp stays as it is (reference §2.4) — but disabling auto
// stop cancels the pending stop at once: keeping a deadline the user just
// switched off would stop their instance against their will.
func modifyDev(c *call) (any, *apiError) {
	st := c.st
	var req model.ModifyDevInstanceRequest
	if e := decode(c.body, &req); e != nil {
		return nil, e
	}
	if err := req.Validate(); err != nil {
		raw := map[string]string{}
		if req.Description != nil {
			raw["description"] = *req.Description
		}
		if req.Spec != nil && req.Spec.AutoStop != nil {
			raw["spec.auto_stop.duration"] = fmtRaw(req.Spec.AutoStop.Duration)
		}
		return nil, validationError(err, raw)
	}
	d, e := st.findDev(c.id)
	if e != nil {
		return nil, e
	}
	if d.status == "STARTING" || d.status == "STOPPING" {
		return nil, statusConflict(gen1, "modify", d.status)
	}
	if req.Spec != nil && req.Spec.AutoStop != nil {
		a := req.Spec.AutoStop
		enable := d.autoStop
		if a.Enable != nil {
			enable = *a.Enable
		}
		if enable && a.Duration == nil && d.duration == 0 {
			return nil, errf("ModelArts.6348", "The parameter 'duration' is required when auto stop is enabled.")
		}
		d.autoStop = enable
		if a.Duration != nil {
			d.duration = *a.Duration
		}
		if a.Prompt != nil {
			d.prompt = *a.Prompt
		}
		if !enable {
			d.stopAt = 0
		}
	}
	if req.Description != nil {
		d.desc = *req.Description
	}
	d.updated = c.now
	st.devRev++
	st.settleDev(d, c.now)
	return st.renderDev(d, c.now), nil
}

// deleteDev serves DELETE /demanager/instances/{id}: refused while RUNNING
// (6304), STARTING (6306) or STOPPING (6308); a queued instance leaves its
// queue. Answers {"instance_id": id}; the instance is gone at once.
func deleteDev(c *call) (any, *apiError) {
	d, e := c.st.findDev(c.id)
	if e != nil {
		return nil, e
	}
	switch d.status {
	case "RUNNING", "STARTING", "STOPPING", "RESTARTING":
		return nil, statusConflict(gen1, "delete", d.status)
	}
	c.st.removeDev(d)
	return struct {
		InstanceID string `json:"instance_id"`
	}{d.id}, nil
}

// actionDev serves POST /demanager/instances/{id}/action with {"action":
// "start"|"stop"} (OTC; HWC's restart/queue/dequeue are not simulated and
// answer 6336). start: STOPPED / START_FAILED → STARTING (START_QUEUING on
// a free sold-out flavor); RUNNING 6305; STARTING or queued 6306; STOPPING
// 6308. stop: RUNNING → STOPPING; a START_QUEUING instance leaves the
// queue and is STOPPED again; STOPPED 6307; STARTING 6306; STOPPING 6308.
func actionDev(c *call) (any, *apiError) {
	st := c.st
	var req model.DevActionRequest
	if e := decode(c.body, &req); e != nil {
		return nil, e
	}
	switch req.Action {
	case model.ActionStart, model.ActionStop:
	case "":
		return nil, errf("ModelArts.6335", "'action' is a required property.")
	default:
		return nil, errf("ModelArts.6336", "The 'action' property value %q is incorrect: start or stop.", req.Action)
	}
	d, e := st.findDev(c.id)
	if e != nil {
		return nil, e
	}
	prev := d.status
	f := st.cat.flavorsBy[d.flavor]
	if req.Action == model.ActionStart {
		if d.status != "STOPPED" && d.status != "START_FAILED" {
			if d.status == "CREATING" {
				return nil, errf("ModelArts.6306", "The instance is being created. No other operation is allowed.")
			}
			return nil, statusConflict(gen1, "start", d.status)
		}
		if f.SoldOut && !f.Free {
			return nil, errf("ModelArts.6360", "Failed to start the instance: insufficient backend resources (flavor %s is sold out).", f.ID)
		}
		d.failCode, d.failMsg = "", ""
		d.failStart = d.failStart || failMarker(d.name, "start") || st.takeFailNext("start")
		if f.Free && f.SoldOut {
			st.enqueue(d, f, "START_QUEUING", c.now)
		} else {
			d.setStatus("STARTING", c.now)
		}
	} else {
		switch d.status {
		case "RUNNING":
			d.setStatus("STOPPING", c.now)
			d.stopAt = 0
		case "START_QUEUING":
			st.dequeue(d)
			d.setStatus("STOPPED", c.now)
		case "CREATING":
			return nil, errf("ModelArts.6306", "The instance is being created. No other operation is allowed.")
		default:
			return nil, statusConflict(gen1, "stop", d.status)
		}
	}
	st.devRev++
	st.settleDev(d, c.now)
	return devActionResp{CurrentStatus: d.status, PreviousState: prev}, nil
}

// tokenDev serves GET /demanager/instances/{id}/token (OTC-2024).
func tokenDev(c *call) (any, *apiError) {
	d, e := c.st.findDev(c.id)
	if e != nil {
		return nil, e
	}
	return struct {
		Token string `json:"token"`
	}{d.token}, nil
}
