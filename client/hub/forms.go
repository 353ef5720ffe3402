package hub

import (
	"context"
	"strings"

	"matui/client"
	"matui/model"
)

// read forwards a catalog read, bound to the session like a list.
func read[T any](s *Session, ctx context.Context, do func(Upstream, context.Context) (T, error)) (T, error) {
	var zero T
	if s.h.isClosed() {
		return zero, ErrClosed
	}
	ctx, cancel := s.bind(ctx)
	defer cancel()
	return do(s.h.up, ctx)
}

// ListFlavors forwards the flavor catalog.
func (s *Session) ListFlavors(ctx context.Context, opts client.FlavorOptions) ([]model.NotebookFlavor, error) {
	return read(s, ctx, func(f Upstream, ctx context.Context) ([]model.NotebookFlavor, error) {
		return f.ListFlavors(ctx, opts)
	})
}

// ListSwitchableFlavors forwards a notebook's switchable flavors.
func (s *Session) ListSwitchableFlavors(ctx context.Context, id string) ([]model.NotebookFlavor, error) {
	return read(s, ctx, func(f Upstream, ctx context.Context) ([]model.NotebookFlavor, error) {
		return f.ListSwitchableFlavors(ctx, id)
	})
}

// ListImages forwards the image catalog.
func (s *Session) ListImages(ctx context.Context, opts client.ImageOptions) ([]model.Image, error) {
	return read(s, ctx, func(f Upstream, ctx context.Context) ([]model.Image, error) {
		return f.ListImages(ctx, opts)
	})
}

// write forwards a creation or update through mutate (role check, audit,
// invalidation).
func write[T any](s *Session, ctx context.Context, action string, inst model.Instance, detail string, do func(context.Context) (T, error)) (T, error) {
	var out T
	err := s.mutate(ctx, action, inst, detail, func(ctx context.Context) error {
		var err error
		out, err = do(ctx)
		return err
	})
	return out, err
}

// CreateNotebook creates a Gen 2 notebook (operators only).
func (s *Session) CreateNotebook(ctx context.Context, req model.CreateNotebookRequest) (model.Notebook, error) {
	return write(s, ctx, "create", model.Instance{Name: req.Name}, "", func(ctx context.Context) (model.Notebook, error) {
		return s.h.up.CreateNotebook(ctx, req)
	})
}

// UpdateNotebook updates a Gen 2 notebook (operators only).
func (s *Session) UpdateNotebook(ctx context.Context, id string, req model.UpdateNotebookRequest) (model.Notebook, error) {
	return write(s, ctx, "update", model.Instance{ID: id}, "", func(ctx context.Context) (model.Notebook, error) {
		return s.h.up.UpdateNotebook(ctx, id, req)
	})
}

// CreateDevInstance creates a Gen 1 instance (operators only).
func (s *Session) CreateDevInstance(ctx context.Context, req model.CreateDevInstanceRequest) (model.DevInstance, error) {
	return write(s, ctx, "create", model.Instance{Name: req.Name}, "", func(ctx context.Context) (model.DevInstance, error) {
		return s.h.up.CreateDevInstance(ctx, req)
	})
}

// ModifyDevInstance modifies a Gen 1 instance (operators only).
func (s *Session) ModifyDevInstance(ctx context.Context, id string, req model.ModifyDevInstanceRequest) (model.DevInstance, error) {
	return write(s, ctx, "update", model.Instance{ID: id}, "", func(ctx context.Context) (model.DevInstance, error) {
		return s.h.up.ModifyDevInstance(ctx, id, req)
	})
}

// OpenCodeLab opens (creating if needed) the CodeLab instance (operators only).
func (s *Session) OpenCodeLab(ctx context.Context, req model.OpenCodeLabRequest) (model.Notebook, error) {
	return write(s, ctx, "codelab", model.Instance{}, "", func(ctx context.Context) (model.Notebook, error) {
		return s.h.up.OpenCodeLab(ctx, req)
	})
}

// ListPools forwards the pool list.
func (s *Session) ListPools(ctx context.Context, opts client.PoolOptions) ([]model.Cluster, error) {
	return read(s, ctx, func(u Upstream, ctx context.Context) ([]model.Cluster, error) { return u.ListPools(ctx, opts) })
}

// AttachStorage mounts storage into a notebook (operators only).
func (s *Session) AttachStorage(ctx context.Context, id string, req model.AttachStorageRequest) (model.DataVolume, error) {
	return write(s, ctx, "attach", model.Instance{ID: id}, req.MountPath, func(ctx context.Context) (model.DataVolume, error) {
		return s.h.up.AttachStorage(ctx, id, req)
	})
}

// DetachStorage unmounts storage (operators only).
func (s *Session) DetachStorage(ctx context.Context, id, storageID string) (model.DataVolume, error) {
	return write(s, ctx, "detach", model.Instance{ID: id}, storageID, func(ctx context.Context) (model.DataVolume, error) {
		return s.h.up.DetachStorage(ctx, id, storageID)
	})
}

// AddNotebookTags tags a notebook (operators only).
func (s *Session) AddNotebookTags(ctx context.Context, id string, tags []model.Tag) error {
	_, err := write(s, ctx, "tag", model.Instance{ID: id}, tagDetail(tags), func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.h.up.AddNotebookTags(ctx, id, tags)
	})
	return err
}

// RemoveNotebookTags untags a notebook (operators only).
func (s *Session) RemoveNotebookTags(ctx context.Context, id string, tags []model.Tag) error {
	_, err := write(s, ctx, "untag", model.Instance{ID: id}, tagDetail(tags), func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.h.up.RemoveNotebookTags(ctx, id, tags)
	})
	return err
}

// SaveImage saves a running notebook as an image (operators only).
func (s *Session) SaveImage(ctx context.Context, id string, req model.CreateImageRequest) (model.Image, error) {
	return write(s, ctx, "save-image", model.Instance{ID: id}, req.Namespace+"/"+req.Name+":"+req.Tag, func(ctx context.Context) (model.Image, error) {
		return s.h.up.SaveImage(ctx, id, req)
	})
}

func tagDetail(tags []model.Tag) string {
	parts := make([]string, len(tags))
	for i, t := range tags {
		parts[i] = t.Key + "=" + t.Value
	}
	return strings.Join(parts, ",")
}
