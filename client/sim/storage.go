package sim

import (
	"errors"
	"slices"

	"matui/model"
)

// Dynamic storage (reference §3.13): POST/GET /notebooks/{id}/storage and
// GET/DELETE /notebooks/{id}/storage/{storage_id}.
//
// Choices where the sources are silent:
//
//   - Timing (sim time): MOUNTING → MOUNTED 5 s, UNMOUNTING → UNMOUNTED 3 s;
//     an UNMOUNTED mount stays visible for 60 s and then disappears (GET →
//     ModelArts.6404, which the Terraform provider reads as "unmounted").
//   - Failures: with a fault rule storage.attach:fail=p the mount ends in
//     MOUNT_FAILED (failure_reason set), with storage.detach:fail=p the
//     unmount ends in UNMOUNT_FAILED; either can be detached (again).
//   - Mount and unmount need a RUNNING notebook (6327 otherwise, 6306 while
//     STARTING, 6308 while STOPPING): the AttachDynamicStorage page says so
//     for mounting, and there is nothing to unmount from a container that
//     is not running.
//   - Stop and delete: a dynamic mount belongs to the running container
//     (the API mounts only into a running instance, STOPPED releases the
//     compute, and the SDK defines DYNAMIC as "mounted and unmounted while
//     the instance runs"). So stopping (by hand or at lease expiry) unmounts
//     every mount — UNMOUNTING while the notebook is STOPPING — and a
//     STOPPED notebook has none: they must be mounted again after a start
//     (the "mounts a dataset bucket every morning"). Delete takes
//     them with the instance (§3.5: "deletes the container and all its
//     storage").
//   - At most maxMounts mounts per notebook (ModelArts.0118, the "exceeds
//     quota" code); every mount that is not UNMOUNTED counts, a failed one
//     included until it is detached. No source gives the number.
//   - A mount path that is, contains or lies inside another mount's path is
//     refused (6336): the second mount would hide the first.
//   - EFS (SFS Turbo) only on a dedicated-pool notebook (6324), as the
//     AttachDynamicStorage page says; a category the API does not mount is
//     6324 too, other field errors 6335/6336 as for notebooks.
//   - The list has no paging parameters in the SDK; it returns everything
//     with current 1 (the SDK documents a positive page number).
const (
	mountMs         = 5_000
	unmountMs       = 3_000
	unmountedKeepMs = 60_000
	maxMounts       = 10
)

// mount is one dynamic storage of a notebook.
type mount struct {
	id         string
	category   string // upper case
	mountPath  string
	uri        string
	efsID      string
	status     string
	since      int64 // when status began
	failReason string
	// willFail makes the pending MOUNTING or UNMOUNTING end in its failure
	// state (decided when the request was accepted, by the fault injector).
	willFail bool
}

func (m *mount) nextAt() int64 {
	switch m.status {
	case model.MountMounting:
		return m.since + mountMs
	case model.MountUnmounting:
		return m.since + unmountMs
	case model.MountUnmounted:
		return m.since + unmountedKeepMs
	}
	return 0
}

// mountNext is the earliest pending mount transition of nb, or 0.
func (nb *notebook) mountNext() int64 {
	var t int64
	for _, m := range nb.mounts {
		if d := m.nextAt(); d != 0 && (t == 0 || d < t) {
			t = d
		}
	}
	return t
}

// settleMountAt applies the mount transition due at t, if there is one,
// and reports whether it did.
func (nb *notebook) settleMountAt(t int64) bool {
	for i, m := range nb.mounts {
		if m.nextAt() != t {
			continue
		}
		switch m.status {
		case model.MountMounting:
			if m.willFail {
				m.status, m.failReason = model.MountMountFailed,
					"ModelArts.6320: Failed to access OBS while mounting "+m.uri+" (simulated failure)."
			} else {
				m.status = model.MountMounted
			}
		case model.MountUnmounting:
			if m.willFail {
				m.status, m.failReason = model.MountUnmountFailed,
					"ModelArts.6699: Failed to unmount "+m.mountPath+": the device is busy (simulated failure)."
			} else {
				m.status, m.failReason = model.MountUnmounted, ""
			}
		case model.MountUnmounted:
			nb.mounts = slices.Delete(nb.mounts, i, i+1)
			return true
		}
		m.since, m.willFail = t, false
		return true
	}
	return false
}

// unmountAll starts unmounting every mount, as stop and delete do; such an
// unmount does not fail.
func (nb *notebook) unmountAll(t int64) {
	for _, m := range nb.mounts {
		if m.status != model.MountUnmounted && m.status != model.MountUnmounting {
			m.status, m.since, m.willFail, m.failReason = model.MountUnmounting, t, false, ""
		}
	}
}

func (nb *notebook) findMount(id string) *mount {
	for _, m := range nb.mounts {
		if m.id == id {
			return m
		}
	}
	return nil
}

type mountResp struct {
	ID            string `json:"id"`
	Category      string `json:"category"`
	MountPath     string `json:"mount_path"`
	URI           string `json:"uri"`
	Status        string `json:"status"`
	FailureReason string `json:"failure_reason,omitempty"`
	EfsID         string `json:"efs_id,omitempty"`
	MountType     string `json:"mount_type"`
}

func renderMount(m *mount) mountResp {
	return mountResp{ID: m.id, Category: m.category, MountPath: m.mountPath, URI: m.uri, Status: m.status,
		FailureReason: m.failReason, EfsID: m.efsID, MountType: model.MountTypeDynamic}
}

// runningFor checks that nb can mount or unmount now.
func runningFor(nb *notebook, op string) *apiError {
	switch nb.status {
	case "RUNNING":
		return nil
	case "STARTING", "STOPPING":
		return statusConflict(gen2, op, nb.status)
	}
	return errf("ModelArts.6327", "The instance is not running (status %s); storage can only be %s on a running instance.", nb.status, map[string]string{
		"mount": "mounted", "unmount": "unmounted"}[op])
}

// attachStorage serves POST /notebooks/{id}/storage.
func attachStorage(c *call) (any, *apiError) {
	st := c.st
	var req model.AttachStorageRequest
	if e := decode(c.body, &req); e != nil {
		return nil, e
	}
	if err := req.Validate(); err != nil {
		var fes model.FieldErrors
		if errors.As(err, &fes) && fes[0].Field == "category" && req.Category != "" {
			return nil, errf("ModelArts.6324", "The storage type %s is not supported: dynamic storage is OBS, OBSFS or EFS.", req.Category)
		}
		return nil, validationError(err, nil)
	}
	nb, e := st.findNB(c.id)
	if e != nil {
		return nil, e
	}
	if e := runningFor(nb, "mount"); e != nil {
		return nil, e
	}
	cat := model.NormEnum(req.Category)
	if cat == model.StorageEFS && nb.poolID == "" {
		return nil, errf("ModelArts.6324", "The storage type EFS (SFS Turbo) can only be mounted to an instance on a dedicated pool.")
	}
	held := 0
	for _, m := range nb.mounts {
		if !model.MountHolds(m.status) {
			continue
		}
		held++
		if model.MountPathsOverlap(m.mountPath, req.MountPath) {
			return nil, errf("ModelArts.6336", "The 'mount_path' property value is incorrect: %s overlaps %s, where storage %s is mounted.",
				req.MountPath, m.mountPath, m.id)
		}
	}
	if held >= maxMounts {
		return nil, errf("ModelArts.0118", "The expected number of dynamic storages (%d) exceeds the quota (%d) of instance %s.", held+1, maxMounts, nb.id)
	}
	m := &mount{id: st.auxUUID(), category: cat, mountPath: req.MountPath, uri: req.URI, efsID: req.EfsID,
		status: model.MountMounting, since: c.now, willFail: c.fail}
	nb.mounts = append(nb.mounts, m)
	st.changed(nb, c.now)
	st.settleNB(nb, c.now)
	return renderMount(m), nil
}

// listStorage serves GET /notebooks/{id}/storage, in any notebook status.
func listStorage(c *call) (any, *apiError) {
	nb, e := c.st.findNB(c.id)
	if e != nil {
		return nil, e
	}
	env := listEnvelope[mountResp]{Data: make([]mountResp, 0, len(nb.mounts)), Current: 1, Total: len(nb.mounts), Size: len(nb.mounts)}
	for _, m := range nb.mounts {
		env.Data = append(env.Data, renderMount(m))
	}
	if env.Total > 0 {
		env.Pages = 1
	}
	return env, nil
}

func (st *state) findMount(c *call) (*notebook, *mount, *apiError) {
	nb, e := st.findNB(c.id)
	if e != nil {
		return nil, nil, e
	}
	m := nb.findMount(c.sub)
	if m == nil {
		// The not-found code of notebooks: the Terraform provider treats
		// 6404 as "gone" when it waits for an unmount to finish.
		return nil, nil, errf("ModelArts.6404", "Dynamic storage %s of notebook %s not found.", c.sub, nb.id)
	}
	return nb, m, nil
}

// showStorage serves GET /notebooks/{id}/storage/{storage_id}.
func showStorage(c *call) (any, *apiError) {
	_, m, e := c.st.findMount(c)
	if e != nil {
		return nil, e
	}
	return renderMount(m), nil
}

// detachStorage serves DELETE /notebooks/{id}/storage/{storage_id}: a
// MOUNTED, MOUNT_FAILED or UNMOUNT_FAILED mount goes UNMOUNTING; one still
// MOUNTING or UNMOUNTING, or already UNMOUNTED, is 6357.
func detachStorage(c *call) (any, *apiError) {
	st := c.st
	nb, m, e := st.findMount(c)
	if e != nil {
		return nil, e
	}
	if e := runningFor(nb, "unmount"); e != nil {
		return nil, e
	}
	switch m.status {
	case model.MountMounted, model.MountMountFailed, model.MountUnmountFailed:
	default:
		return nil, errf("ModelArts.6357", "The unmount operation is not allowed: storage %s is %s.", m.id, m.status)
	}
	m.status, m.since, m.willFail, m.failReason = model.MountUnmounting, c.now, c.fail, ""
	st.changed(nb, c.now)
	st.settleNB(nb, c.now)
	return renderMount(m), nil
}
