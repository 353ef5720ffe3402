package sim

import (
	"cmp"
	"strings"

	"matui/model"
)

// Saving a running notebook as an image (reference §3.12): POST
// /notebooks/{id}/create-image.
//
// The notebook goes SNAPSHOTTING for snapshotMs and then RUNNING again (its
// lease keeps running meanwhile and is not re-based: the instance never
// stopped). The answer is the new image with status INIT; GET /images
// lists it with type=DEDICATED (the list's default type is BUILD_IN),
// INIT for its first imageInitMs, then CREATING, and ACTIVE from the moment
// the notebook is RUNNING again. Choices where the sources are silent:
//
//   - Only a RUNNING notebook (6327; 6306/6308 while STARTING/STOPPING, 6357
//     while already SNAPSHOTTING).
//   - The tag defaults to "latest" (SWR's default); an image of the same
//     namespace, name and tag (catalog or saved, unless its save failed) is
//     ModelArts.6737 ("duplicate image tag").
//   - The image takes the notebook's architecture and the source image's
//     resource categories and services; its size is the source image's
//     plus 1 GiB (the user's changes).
//   - With a fault rule images.save:fail=p the image ends CREATE_FAILED
//     (status_message set) and the notebook still returns to RUNNING.
//     Deleting the notebook while it is SNAPSHOTTING fails the image too.
//   - Until it is ACTIVE, the image cannot be used to create a notebook
//     (6336).
const (
	snapshotMs  = 20_000
	imageInitMs = 2_000
	defaultTag  = "latest"
)

// imageByID finds a catalog or saved image.
func (st *state) imageByID(id string) *image {
	if im := st.cat.imagesBy[id]; im != nil {
		return im
	}
	for _, im := range st.saved {
		if im.ID == id {
			return im
		}
	}
	return nil
}

// statusAt is the image's status at now (ms).
func (im *image) statusAt(now int64) string {
	switch {
	case !im.saved:
		return model.ImageActive
	case im.status != "":
		return im.status
	case now < im.CreateAt+imageInitMs:
		return model.ImageInit
	}
	return model.ImageCreating
}

// finishSave ends the save of nb's image at t.
func (nb *notebook) finishSave(t int64) {
	im := nb.saving
	if im == nil {
		return
	}
	nb.saving = nil
	im.UpdateAt = t
	if im.willFail {
		im.status, im.statusMessage = model.ImageCreateFailed,
			"ModelArts.6102: Failed to push the image to SWR organisation "+im.Namespace+" (simulated failure)."
		return
	}
	im.status = model.ImageActive
}

// abortSave fails the image of a notebook deleted while SNAPSHOTTING.
func (nb *notebook) abortSave(t int64) {
	if im := nb.saving; im != nil {
		nb.saving = nil
		im.UpdateAt, im.status, im.statusMessage = t, model.ImageCreateFailed,
			"The notebook was deleted while the image was being saved."
	}
}

// createImage serves POST /notebooks/{id}/create-image.
func createImage(c *call) (any, *apiError) {
	st := c.st
	var req model.CreateImageRequest
	if e := decode(c.body, &req); e != nil {
		return nil, e
	}
	if err := req.Validate(); err != nil {
		return nil, validationError(err, map[string]string{"name": req.Name})
	}
	nb, e := st.findNB(c.id)
	if e != nil {
		return nil, e
	}
	switch nb.status {
	case "RUNNING":
	case "STARTING", "STOPPING", "SNAPSHOTTING":
		return nil, statusConflict(gen2, "create-image", nb.status)
	default:
		return nil, errf("ModelArts.6327", "The instance is not running (status %s); only a running instance can be saved as an image.", nb.status)
	}
	tag := cmp.Or(req.Tag, defaultTag)
	if dup := st.findImageRef(req.Namespace, req.Name, tag); dup != nil {
		return nil, errf("ModelArts.6737", "The image %s/%s:%s already exists (image %s).", req.Namespace, req.Name, tag, dup.ID)
	}
	src := st.imageByID(nb.imageID)
	arch := "x86_64"
	if f := st.flavorOf(nb); f != nil {
		arch = f.Arch
	}
	im := &image{ID: st.auxUUID(), Name: req.Name, Namespace: req.Namespace, Tag: tag, Description: req.Description,
		Arch: arch, Type: model.ImageTypeDedicated, Origin: model.ImageOriginSave, ServiceType: "DEV",
		DevServices: []string{"NOTEBOOK", "SSH"}, ResourceCategories: []string{"CPU"}, SizeKB: 1 << 20,
		Visibility: "PRIVATE", WorkspaceID: cmp.Or(req.WorkspaceID, "0"), CreateAt: c.now, UpdateAt: c.now,
		saved: true, willFail: c.fail}
	if src != nil {
		im.DevServices = append([]string(nil), src.DevServices...)
		im.ResourceCategories = append([]string(nil), src.ResourceCategories...)
		im.FlavorType = src.FlavorType
		im.SizeKB += src.SizeKB
	}
	st.saved = append(st.saved, im)
	nb.saving = im
	nb.setStatus("SNAPSHOTTING", c.now)
	st.changed(nb, c.now)
	st.settleNB(nb, c.now)
	return renderImage(im, c.now), nil
}

// findImageRef finds a live image with this namespace, name and tag.
func (st *state) findImageRef(ns, name, tag string) *image {
	for im := range st.allImages {
		if im.Namespace == ns && im.Name == name && im.Tag == tag && im.status != model.ImageCreateFailed {
			return im
		}
	}
	return nil
}

// allImages is the catalog followed by the saved images, the order GET
// /images lists them in.
func (st *state) allImages(yield func(*image) bool) {
	for _, im := range st.cat.images {
		if !yield(im) {
			return
		}
	}
	for _, im := range st.saved {
		if !yield(im) {
			return
		}
	}
}

// imageNotReady is the error for a saved image that cannot run yet.
func imageNotReady(im *image, now int64) *apiError {
	return errf("ModelArts.6336", "The 'image_id' property value is incorrect: image %s is %s, not ACTIVE.",
		strings.Join([]string{im.Namespace, im.Name + ":" + im.Tag}, "/"), im.statusAt(now))
}
