package hub

import (
	"context"
	"errors"
	"fmt"

	"matui/client"
	"matui/model"
)

// FormsBackend is the upstream's optional form operations (client.Forms,
// implemented by *client.Client). When the upstream has them, a Session
// forwards them: catalog reads like lists (any role), creations and updates
// like the other mutations (operators only, audited, invalidating the
// shared list).
type FormsBackend = client.Forms

var _ FormsBackend = (*Session)(nil)

// ErrNoForms is what the form operations return when the upstream lacks them.
var ErrNoForms = fmt.Errorf("hub: the upstream has no form operations: %w", errors.ErrUnsupported)

func (s *Session) forms() (FormsBackend, error) {
	if f, ok := s.h.up.(FormsBackend); ok {
		return f, nil
	}
	return nil, ErrNoForms
}

// read forwards a catalog read, bound to the session like a list.
func read[T any](s *Session, ctx context.Context, do func(FormsBackend, context.Context) (T, error)) (T, error) {
	var zero T
	f, err := s.forms()
	if err != nil {
		return zero, err
	}
	if s.h.isClosed() {
		return zero, ErrClosed
	}
	ctx, cancel := s.bind(ctx)
	defer cancel()
	return do(f, ctx)
}

// ListFlavors forwards the flavor catalog.
func (s *Session) ListFlavors(ctx context.Context, opts client.FlavorOptions) ([]model.NotebookFlavor, error) {
	return read(s, ctx, func(f FormsBackend, ctx context.Context) ([]model.NotebookFlavor, error) {
		return f.ListFlavors(ctx, opts)
	})
}

// ListSwitchableFlavors forwards a notebook's switchable flavors.
func (s *Session) ListSwitchableFlavors(ctx context.Context, id string) ([]model.NotebookFlavor, error) {
	return read(s, ctx, func(f FormsBackend, ctx context.Context) ([]model.NotebookFlavor, error) {
		return f.ListSwitchableFlavors(ctx, id)
	})
}

// ListImages forwards the image catalog.
func (s *Session) ListImages(ctx context.Context, opts client.ImageOptions) ([]model.Image, error) {
	return read(s, ctx, func(f FormsBackend, ctx context.Context) ([]model.Image, error) {
		return f.ListImages(ctx, opts)
	})
}

// write forwards a creation or update through mutate (role check, audit,
// invalidation).
func write[T any](s *Session, ctx context.Context, action string, inst model.Instance, do func(FormsBackend, context.Context) (T, error)) (T, error) {
	var out T
	f, err := s.forms()
	if err != nil {
		return out, err
	}
	err = s.mutate(ctx, action, inst, "", func(ctx context.Context) error {
		var err error
		out, err = do(f, ctx)
		return err
	})
	return out, err
}

// CreateNotebook creates a Gen 2 notebook (operators only).
func (s *Session) CreateNotebook(ctx context.Context, req model.CreateNotebookRequest) (model.Notebook, error) {
	return write(s, ctx, "create", model.Instance{Name: req.Name}, func(f FormsBackend, ctx context.Context) (model.Notebook, error) {
		return f.CreateNotebook(ctx, req)
	})
}

// UpdateNotebook updates a Gen 2 notebook (operators only).
func (s *Session) UpdateNotebook(ctx context.Context, id string, req model.UpdateNotebookRequest) (model.Notebook, error) {
	return write(s, ctx, "update", model.Instance{ID: id}, func(f FormsBackend, ctx context.Context) (model.Notebook, error) {
		return f.UpdateNotebook(ctx, id, req)
	})
}

// CreateDevInstance creates a Gen 1 instance (operators only).
func (s *Session) CreateDevInstance(ctx context.Context, req model.CreateDevInstanceRequest) (model.DevInstance, error) {
	return write(s, ctx, "create", model.Instance{Name: req.Name}, func(f FormsBackend, ctx context.Context) (model.DevInstance, error) {
		return f.CreateDevInstance(ctx, req)
	})
}

// ModifyDevInstance modifies a Gen 1 instance (operators only).
func (s *Session) ModifyDevInstance(ctx context.Context, id string, req model.ModifyDevInstanceRequest) (model.DevInstance, error) {
	return write(s, ctx, "update", model.Instance{ID: id}, func(f FormsBackend, ctx context.Context) (model.DevInstance, error) {
		return f.ModifyDevInstance(ctx, id, req)
	})
}

// OpenCodeLab opens (creating if needed) the CodeLab instance (operators only).
func (s *Session) OpenCodeLab(ctx context.Context, req model.OpenCodeLabRequest) (model.Notebook, error) {
	return write(s, ctx, "codelab", model.Instance{}, func(f FormsBackend, ctx context.Context) (model.Notebook, error) {
		return f.OpenCodeLab(ctx, req)
	})
}
